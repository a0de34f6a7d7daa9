package org.unicard.config;

import java.util.Arrays;
import java.util.Properties;

import org.unicard.context.Configuration;

/**
 * The numbers the authorizer decides by (spec §4 defaults). Immutable. The rules in force are
 * part of the journal: a change of rules is journaled before the first request decided under it,
 * so replay applies each request under the rules the live switch used.
 * <p>
 * Each rule is a property name, a default and a valid range, named in {@link Configuration};
 * {@link #values()} is the canonical order used in the journal.
 */
public final class ProgramRules
{
    /** One rule: its property name, default and inclusive range. */
    private record Rule(String name, long defaultValue, long min, long max)
    {
    }

    private static final Rule[] RULES = {
        new Rule(Configuration.RATION_FIRST_INDIVIDUALS_COUNT_PROP_NAME, Configuration.RATION_FIRST_INDIVIDUALS_COUNT_DEFAULT, 0,
            Configuration.RATION_FIRST_INDIVIDUALS_COUNT_MAX),
        new Rule(Configuration.RATION_FIRST_INDIVIDUALS_PIASTERS_PROP_NAME, Configuration.RATION_FIRST_INDIVIDUALS_PIASTERS_DEFAULT, 0,
            Configuration.RATION_PIASTERS_MAX),
        new Rule(Configuration.RATION_FURTHER_INDIVIDUALS_PIASTERS_PROP_NAME, Configuration.RATION_FURTHER_INDIVIDUALS_PIASTERS_DEFAULT, 0,
            Configuration.RATION_PIASTERS_MAX),
        new Rule(Configuration.BREAD_POINTS_PIASTERS_PER_LOAF_PROP_NAME, Configuration.BREAD_POINTS_PIASTERS_PER_LOAF_DEFAULT, 0,
            Configuration.BREAD_POINTS_PIASTERS_PER_LOAF_MAX),
        new Rule(Configuration.BREAD_DAILY_LOAVES_PROP_NAME, Configuration.BREAD_DAILY_LOAVES_DEFAULT, 0, Configuration.BREAD_DAILY_LOAVES_MAX),
        new Rule(Configuration.BREAD_MAX_LOAVES_PROP_NAME, Configuration.BREAD_MAX_LOAVES_DEFAULT, 1, Configuration.BREAD_MAX_LOAVES_MAX),
        new Rule(Configuration.UNCOLLECTED_DAYS_PROP_NAME, Configuration.UNCOLLECTED_DAYS_DEFAULT, 1, Configuration.UNCOLLECTED_DAYS_MAX),
        new Rule(Configuration.PIN_MAX_TRIES_PROP_NAME, Configuration.PIN_MAX_TRIES_DEFAULT, 1, Configuration.PIN_MAX_TRIES_MAX),
        new Rule(Configuration.DUPLICATE_WINDOW_HOURS_PROP_NAME, Configuration.DUPLICATE_WINDOW_HOURS_DEFAULT, 1,
            Configuration.DUPLICATE_WINDOW_HOURS_MAX),
        new Rule(Configuration.MAX_AMOUNT_PIASTERS_PROP_NAME, Configuration.MAX_AMOUNT_PIASTERS_DEFAULT, 1, Configuration.MAX_AMOUNT_PIASTERS_MAX),
    };

    private static final int RATION_FIRST_COUNT = 0;
    private static final int RATION_FIRST_PIASTERS = 1;
    private static final int RATION_FURTHER_PIASTERS = 2;
    private static final int BREAD_POINT_PIASTERS = 3;
    private static final int BREAD_DAILY_LOAVES = 4;
    private static final int BREAD_MAX_LOAVES = 5;
    private static final int UNCOLLECTED_DAYS = 6;
    private static final int PIN_MAX_TRIES = 7;
    private static final int WINDOW_HOURS = 8;
    private static final int MAX_AMOUNT = 9;

    /** How many values {@link #values()} holds. */
    public static final int VALUE_COUNT = RULES.length;

    private final long[] values;

    public final int rationFirstIndividualsCount;
    public final long rationFirstIndividualsMonthlyPiasters;
    public final long rationFurtherIndividualsMonthlyPiasters;
    public final long breadPointPiastersPerUnusedLoaf;
    public final int breadDailyLoavesPerIndividual;
    public final int breadMaxLoavesPerTransaction;
    public final int uncollectedDestroyedAfterDays;
    public final int pinMaxTries;
    public final long duplicateWindowMs;
    public final long maxTransactionAmountPiasters;

    private ProgramRules(final long[] values)
    {
        this.values = values.clone();
        rationFirstIndividualsCount = (int)values[RATION_FIRST_COUNT];
        rationFirstIndividualsMonthlyPiasters = values[RATION_FIRST_PIASTERS];
        rationFurtherIndividualsMonthlyPiasters = values[RATION_FURTHER_PIASTERS];
        breadPointPiastersPerUnusedLoaf = values[BREAD_POINT_PIASTERS];
        breadDailyLoavesPerIndividual = (int)values[BREAD_DAILY_LOAVES];
        breadMaxLoavesPerTransaction = (int)values[BREAD_MAX_LOAVES];
        uncollectedDestroyedAfterDays = (int)values[UNCOLLECTED_DAYS];
        pinMaxTries = (int)values[PIN_MAX_TRIES];
        duplicateWindowMs = values[WINDOW_HOURS] * 3_600_000L;
        maxTransactionAmountPiasters = values[MAX_AMOUNT];
    }

    /**
     * @return the rules of spec §4.
     */
    public static ProgramRules defaults()
    {
        final long[] values = new long[RULES.length];
        for (int i = 0; i < RULES.length; i++)
        {
            values[i] = RULES[i].defaultValue();
        }
        return new ProgramRules(values);
    }

    /**
     * Reads the rules from properties; absent names keep their defaults.
     *
     * @param properties the merged configuration.
     * @param source     where the properties came from, for error messages.
     * @return the rules.
     * @throws ConfigurationException naming the property, value and valid range when a value is bad.
     */
    public static ProgramRules from(final Properties properties, final String source)
    {
        final long[] values = new long[RULES.length];
        for (int i = 0; i < RULES.length; i++)
        {
            final Rule rule = RULES[i];
            values[i] = Settings.longValue(properties, source, rule.name(), rule.defaultValue(), rule.min(), rule.max());
        }
        return new ProgramRules(values);
    }

    /**
     * @param values values in the order of {@link #values()}, e.g. read back from the journal.
     * @return the rules.
     */
    public static ProgramRules fromValues(final long[] values)
    {
        if (values.length != RULES.length)
        {
            throw new IllegalArgumentException("rule count=" + values.length + " expected=" + RULES.length);
        }
        return new ProgramRules(values);
    }

    /**
     * @return every rule's value in canonical order (a copy).
     */
    public long[] values()
    {
        return values.clone();
    }

    /**
     * @return the property names in canonical order.
     */
    public static String[] names()
    {
        final String[] names = new String[RULES.length];
        for (int i = 0; i < RULES.length; i++)
        {
            names[i] = RULES[i].name();
        }
        return names;
    }

    /**
     * @param rationIndividuals a household's ration individuals.
     * @return the household's monthly ration credit before bread points, in piasters.
     */
    public long monthlyRationPiasters(final int rationIndividuals)
    {
        final int first = Math.min(rationIndividuals, rationFirstIndividualsCount);
        final int further = rationIndividuals - first;
        return first * rationFirstIndividualsMonthlyPiasters + further * rationFurtherIndividualsMonthlyPiasters;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ProgramRules rules && Arrays.equals(values, rules.values);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("ProgramRules{");
        for (int i = 0; i < RULES.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(RULES[i].name()).append('=').append(values[i]);
        }
        return text.append('}').toString();
    }
}
