package org.unicard.generate;

import org.unicard.importer.CivilDays;
import org.unicard.state.Luhn;
import org.unicard.security.PinVerificationValue;
import org.unicard.security.TdesKey;

/**
 * The rows of {@code households.csv} and {@code cards.csv} for one run of consecutive households.
 * Every household draws from its own stream, seeded by the data set's seed and the household's
 * index, so a chunk's bytes do not depend on which thread rendered it or on the chunk size.
 */
final class HouseholdChunk
{
    /** Cards a household can have at most: head, 8 members, and one old card the head's replaces. */
    static final int CARD_SLOTS_PER_HOUSEHOLD = 10;

    private static final int OLD_CARD_SLOT = 9;
    private static final long HOUSEHOLD_STREAM = 1;
    private static final long PAN_PREFIX = 507803L * 1_000_000_000L;
    private static final long ACCOUNT_NUMBERS = 1_000_000_000L;

    /** Household sizes 1..9 in per mille; mean 3.34 members. */
    private static final int[] SIZE_PER_MILLE = {130, 240, 230, 180, 100, 60, 30, 20, 10};
    private static final byte[] ROLE_HEAD = ascii("head");
    private static final byte[] ROLE_MEMBER = ascii("member");
    private static final byte[] HEAD_PROGRAMS = ascii("ration;bread;health;wallet");
    private static final byte[] HEAD_PROGRAMS_WITH_CASH = ascii("ration;bread;health;wallet;cash");
    private static final byte[] MEMBER_PROGRAMS = ascii("health;wallet");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[][] STATUS = {
        ascii("collected"), ascii("issued"), ascii("blocked_lost"), ascii("blocked_stolen"), ascii("damaged")};
    /** Card statuses in per mille, in the order of {@link #STATUS}. */
    private static final int[] STATUS_PER_MILLE = {930, 40, 12, 6, 12};
    private static final int[] MOBILE_PREFIXES = {10, 11, 12, 15};

    final ByteSink households;
    final ByteSink cards;
    long citizens;
    long cardCount;

    private final Settings settings;
    private final SplitMix64 random = new SplitMix64(0);

    /**
     * What every chunk of one data set shares.
     *
     * @param seed         the data set's seed.
     * @param governorate  the governorate of every household, or 0 to spread them by population.
     * @param referenceDay the day the data set describes (days since 1970-01-01).
     * @param pvk          the clear PIN verification key.
     * @param panMultiplier coprime with 10^9: account numbers are a permutation of card slots.
     * @param panOffset    added to the permuted slot.
     */
    record Settings(long seed, int governorate, int referenceDay, TdesKey pvk, long panMultiplier, long panOffset)
    {
    }

    HouseholdChunk(final Settings settings, final int households)
    {
        this.settings = settings;
        this.households = new ByteSink(households * 40);
        this.cards = new ByteSink(households * 280);
    }

    /**
     * Renders households {@code [from, to)}.
     *
     * @return this chunk.
     */
    HouseholdChunk render(final long from, final long to)
    {
        for (long index = from; index < to; index++)
        {
            household(index);
        }
        return this;
    }

    /**
     * @param settings the data set's settings.
     * @param index    a household index.
     * @param slot     0 head, 1..8 members, 9 the old card a head's new card replaces.
     * @return the card's PAN: 507803, a 9-digit account number, the Luhn digit.
     */
    static long pan(final Settings settings, final long index, final int slot)
    {
        final long cardSlot = index * CARD_SLOTS_PER_HOUSEHOLD + slot;
        final long account = Math.floorMod(settings.panMultiplier() * cardSlot + settings.panOffset(), ACCOUNT_NUMBERS);
        final long payload = PAN_PREFIX + account;
        return payload * 10 + Luhn.checkDigit(payload);
    }

    /**
     * @param index a household index.
     * @param governorate its governorate code.
     * @return its id: the governorate code followed by the 1-based index in 10 digits.
     */
    static long householdId(final long index, final int governorate)
    {
        return governorate * 10_000_000_000L + index + 1;
    }

    private void household(final long index)
    {
        final SplitMix64 random = this.random.reset(SplitMix64.streamSeed(settings.seed(), HOUSEHOLD_STREAM, index));
        final int governorate = settings.governorate() != 0 ? settings.governorate() : Geography.pick(random);
        final long householdId = householdId(index, governorate);
        final int size = pickSize(random);
        final long cashPiasters = random.percent(15) ? random.between(450, 900) * 100L : 0;

        households.number(householdId).comma().digits(governorate, 2).comma()
            .number(size).comma().number(size).comma().number(cashPiasters).endLine();
        citizens += size;

        final byte[] headPrograms = cashPiasters > 0 ? HEAD_PROGRAMS_WITH_CASH : HEAD_PROGRAMS;
        final long headNationalId = nationalId(random, random.between(21, 80), governorate);
        final boolean healthExempt = random.percent(5);
        final int mobile = pickMobile(random);
        long replacedPan = 0;
        int headIssuedDay = settings.referenceDay() - random.below(400);
        if (random.percent(2))
        {
            replacedPan = pan(settings, index, OLD_CARD_SLOT);
            final int oldIssuedDay = settings.referenceDay() - random.between(200, 399);
            headIssuedDay = settings.referenceDay() - random.below(200);
            card(random, replacedPan, headNationalId, householdId, ROLE_HEAD, STATUS[0], oldIssuedDay, headPrograms,
                0, healthExempt, 0, mobile);
        }
        card(random, pan(settings, index, 0), headNationalId, householdId, ROLE_HEAD, pickStatus(random), headIssuedDay,
            headPrograms, random.below(200_001), healthExempt, replacedPan, mobile);

        for (int member = 1; member < size; member++)
        {
            final int age;
            if (member == 1 && random.percent(85))
            {
                age = random.between(18, 75);
            }
            else if (member > 1 && random.percent(18))
            {
                age = random.between(16, 30);
            }
            else
            {
                continue;
            }
            card(random, pan(settings, index, member), nationalId(random, age, governorate), householdId, ROLE_MEMBER,
                pickStatus(random), settings.referenceDay() - random.below(400), MEMBER_PROGRAMS, random.below(200_001),
                random.percent(5), 0, pickMobile(random));
        }
    }

    private void card(
        final SplitMix64 random,
        final long pan,
        final long nationalId,
        final long householdId,
        final byte[] role,
        final byte[] status,
        final int issuedDay,
        final byte[] programs,
        final long walletPiasters,
        final boolean healthExempt,
        final long replacedPan,
        final int mobile)
    {
        final int pin = DataSetGenerator.syntheticPin(settings.seed(), pan);
        final int pvv = PinVerificationValue.compute(settings.pvk(), pan, 16, 1, pin, 4);
        final int issued = CivilDays.toYyyyMmDd(issuedDay);
        final int issuedYear = issued / 10000;
        final int issuedMonth = issued / 100 % 100;
        final int expiryMonths = issuedYear * 12 + issuedMonth - 1 + random.between(36, 60);

        cards.number(pan).comma().digits(nationalId, 14).comma().number(householdId).comma()
            .put(role).comma().put(status).comma()
            .digits(issuedYear, 4).put('-').digits(issuedMonth, 2).put('-').digits(issued % 100, 2).comma()
            .digits(expiryMonths / 12 % 100, 2).digits(expiryMonths % 12 + 1, 2).comma()
            .digits(pvv, 4).comma().put(programs).comma().number(walletPiasters).comma()
            .put(healthExempt ? TRUE : FALSE).comma();
        if (replacedPan != 0)
        {
            cards.number(replacedPan);
        }
        cards.comma();
        if (mobile >= 0)
        {
            cards.put('0').digits(mobile, 10);
        }
        cards.endLine();
        cardCount++;
    }

    /**
     * A national id consistent with an age at the reference day: century digit, birth date
     * YYMMDD, governorate, a 4-digit serial and a final digit (random: the real check digit's
     * rule is not public).
     */
    private long nationalId(final SplitMix64 random, final int age, final int governorate)
    {
        final int birthDay = settings.referenceDay() - age * 365 - age / 4 - random.below(365);
        final int birth = CivilDays.toYyyyMmDd(birthDay);
        final int year = birth / 10000;
        final long century = year >= 2000 ? 3 : 2;
        return century * 10_000_000_000_000L + (year % 100 * 10000L + birth % 10000) * 10_000_000L +
            governorate * 100_000L + random.below(10_000) * 10L + random.below(10);
    }

    private static int pickSize(final SplitMix64 random)
    {
        int draw = random.below(1000);
        for (int i = 0; i < SIZE_PER_MILLE.length; i++)
        {
            draw -= SIZE_PER_MILLE[i];
            if (draw < 0)
            {
                return i + 1;
            }
        }
        return SIZE_PER_MILLE.length;
    }

    private static byte[] pickStatus(final SplitMix64 random)
    {
        int draw = random.below(1000);
        for (int i = 0; i < STATUS_PER_MILLE.length; i++)
        {
            draw -= STATUS_PER_MILLE[i];
            if (draw < 0)
            {
                return STATUS[i];
            }
        }
        return STATUS[0];
    }

    /**
     * @return the mobile number without its leading 0 (10 digits, 1X........), or -1 for none.
     */
    private static int pickMobile(final SplitMix64 random)
    {
        if (random.percent(10))
        {
            return -1;
        }
        return MOBILE_PREFIXES[random.below(MOBILE_PREFIXES.length)] * 100_000_000 + random.below(100_000_000);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
