package org.unicard.changes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.unicard.authorizer.Authorizer;
import org.unicard.changes.ChangeBatch.AcquirerChange;
import org.unicard.changes.ChangeBatch.CardChange;
import org.unicard.changes.ChangeBatch.HouseholdChange;
import org.unicard.changes.ChangeBatch.TerminalChange;
import org.unicard.security.PanMask;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;

/**
 * Applies a validated change batch to the live tables (spec §12), all or nothing: first every check
 * that needs the tables (a card's household, the card a replacement replaces, what an existing card
 * keeps, each table's capacity), with no change made; then, only when all pass, every change.
 * Runs while no ring stage reads the tables (the decode stage holds the ring between two requests,
 * see {@code ring.DecodeEventHandler}), or on the replaying thread.
 * <p>
 * Order of application: households, terminals, acquirers, cards, then the replacement links, so a
 * line may refer to a household or card added anywhere in the same batch.
 */
public final class ChangeApplier
{
    /** Configuration that sets the tables' headroom, named in a capacity refusal. */
    public static final String HEADROOM_SETTINGS = "changes.headroom-percent / changes.headroom-minimum";

    private final DataSet data;
    private final Authorizer authorizer;
    private final java.util.function.IntConsumer terminalChanged;
    private final java.util.function.IntConsumer acquirerChanged;

    /**
     * @param data       the live tables.
     * @param authorizer owns the benefit cycles of the households.
     */
    public ChangeApplier(final DataSet data, final Authorizer authorizer)
    {
        this(data, authorizer, terminal -> { }, acquirer -> { });
    }

    /**
     * @param terminalChanged told of each terminal added or changed (the key schedules built from
     *                        the table are built again).
     * @param acquirerChanged told of each acquirer added or changed.
     */
    public ChangeApplier(
        final DataSet data,
        final Authorizer authorizer,
        final java.util.function.IntConsumer terminalChanged,
        final java.util.function.IntConsumer acquirerChanged)
    {
        this.data = data;
        this.authorizer = authorizer;
        this.terminalChanged = terminalChanged;
        this.acquirerChanged = acquirerChanged;
    }

    /** What a batch added and changed; the journal's CHANGES record keeps these counts. */
    public record Counts(
        int householdsAdded, int householdsChanged, int cardsAdded, int cardsChanged, int terminalsAdded, int terminalsChanged,
        int acquirersAdded, int acquirersChanged)
    {
        public int applied()
        {
            return householdsAdded + householdsChanged + cardsAdded + cardsChanged + terminalsAdded + terminalsChanged +
                acquirersAdded + acquirersChanged;
        }
    }

    /** The outcome: counts when applied, else the errors (nothing applied). */
    public record Outcome(Counts counts, List<ChangeError> errors, long businessTimeMs)
    {
        public boolean applied()
        {
            return errors.isEmpty();
        }
    }

    /**
     * Checks the batch against the tables and, when every check passes, applies it.
     *
     * @param batch          validated by {@link ChangeParser}.
     * @param businessTimeMs the time it is applied at (made monotonic by the authorizer).
     * @return counts, or errors and nothing changed.
     */
    public Outcome apply(final ChangeBatch batch, final long businessTimeMs)
    {
        final List<ChangeError> errors = check(batch);
        if (!errors.isEmpty())
        {
            return new Outcome(null, errors, businessTimeMs);
        }
        final long nowMs = authorizer.changeTime(businessTimeMs);
        final HouseholdTable households = data.households();
        final CardTable cards = data.cards();
        final TerminalTable terminals = data.terminals();
        final AcquirerTable acquirers = data.acquirers();
        int householdsAdded = 0;
        int householdsChanged = 0;
        for (final HouseholdChange change : batch.households())
        {
            final int existing = households.indexOf(change.householdId());
            if (existing >= 0)
            {
                authorizer.changeHousehold(existing, change.governorate(), change.rationIndividuals(), change.breadIndividuals(),
                    change.cashSupportPiasters());
                householdsChanged++;
            }
            else
            {
                final int added = households.add(change.householdId(), change.governorate(), change.rationIndividuals(),
                    change.breadIndividuals(), change.cashSupportPiasters());
                authorizer.openHousehold(added);
                householdsAdded++;
            }
        }
        int terminalsAdded = 0;
        int terminalsChanged = 0;
        for (final TerminalChange change : batch.terminals())
        {
            final int existing = terminals.indexOf(TerminalTable.packTerminalId(change.terminalId()));
            if (existing >= 0)
            {
                terminals.update(existing, change.merchantId(), change.type(), change.governorate(), change.name(), change.pinKey(),
                    change.macKey(), change.active());
                terminalChanged.accept(existing);
                terminalsChanged++;
            }
            else
            {
                terminalChanged.accept(terminals.add(change.terminalId(), change.merchantId(), change.type(), change.governorate(),
                    change.name(), change.pinKey(), change.macKey(), change.active()));
                terminalsAdded++;
            }
        }
        int acquirersAdded = 0;
        int acquirersChanged = 0;
        for (final AcquirerChange change : batch.acquirers())
        {
            final int existing = acquirers.indexOf(change.acquirerId());
            if (existing >= 0)
            {
                acquirers.update(existing, change.name(), change.zonePinKey(), change.active());
                acquirerChanged.accept(existing);
                acquirersChanged++;
            }
            else
            {
                acquirerChanged.accept(acquirers.add(change.acquirerId(), change.name(), change.zonePinKey(), change.active()));
                acquirersAdded++;
            }
        }
        int cardsAdded = 0;
        int cardsChanged = 0;
        for (final CardChange change : batch.cards())
        {
            final int existing = cards.indexOf(change.pan());
            if (existing >= 0)
            {
                cards.status(existing, change.status());
                cards.attributes(existing, change.expiry(), change.pvv(), change.programs(), change.healthExempt());
                cards.mobile(existing, change.mobile());
                cardsChanged++;
            }
            else
            {
                final int added = cards.add(change.pan(), change.nationalId(), households.indexOf(change.householdId()), change.head(),
                    change.status(), change.issuedDay(), change.expiry(), change.pvv(), change.programs(),
                    Math.max(0, change.walletPiasters()), change.healthExempt());
                cards.mobile(added, change.mobile());
                cardsAdded++;
            }
        }
        for (final CardChange change : batch.cards())
        {
            if (change.replacesPan() != 0)
            {
                cards.replacesCard(cards.indexOf(change.pan()), cards.indexOf(change.replacesPan()));
            }
        }
        final Counts counts = new Counts(householdsAdded, householdsChanged, cardsAdded, cardsChanged, terminalsAdded, terminalsChanged,
            acquirersAdded, acquirersChanged);
        authorizer.batches().remember(batch.id(), batch.sha256(), counts.applied(), nowMs);
        return new Outcome(counts, List.of(), nowMs);
    }

    /**
     * @return every reason the batch cannot apply to the tables as they are; empty when it can.
     */
    public List<ChangeError> check(final ChangeBatch batch)
    {
        final List<ChangeError> errors = new ArrayList<>();
        final HouseholdTable households = data.households();
        final CardTable cards = data.cards();
        final TerminalTable terminals = data.terminals();
        final AcquirerTable acquirers = data.acquirers();

        final Map<Long, HouseholdChange> batchHouseholds = new HashMap<>();
        int newHouseholds = 0;
        for (final HouseholdChange change : batch.households())
        {
            batchHouseholds.put(change.householdId(), change);
            if (households.indexOf(change.householdId()) < 0)
            {
                newHouseholds++;
            }
        }
        final Map<Long, CardChange> batchCards = new HashMap<>();
        for (final CardChange change : batch.cards())
        {
            batchCards.put(change.pan(), change);
        }
        int newCards = 0;
        for (final CardChange change : batch.cards())
        {
            final int line = change.line();
            final int existing = cards.indexOf(change.pan());
            final int household = households.indexOf(change.householdId());
            if (household < 0 && !batchHouseholds.containsKey(change.householdId()))
            {
                errors.add(new ChangeError(line, "household_id", "no such household " + change.householdId() +
                    " (neither in the switch nor in this batch)"));
            }
            if (existing >= 0)
            {
                checkExistingCard(change, existing, errors);
            }
            else
            {
                newCards++;
            }
            if (change.replacesPan() != 0)
            {
                final int old = cards.indexOf(change.replacesPan());
                final CardChange oldInBatch = batchCards.get(change.replacesPan());
                if (old < 0 && oldInBatch == null)
                {
                    errors.add(new ChangeError(line, "replaces_pan", "no card " + PanMask.masked(change.replacesPan()) +
                        " to replace (neither in the switch nor in this batch)"));
                }
                else
                {
                    final long oldHousehold = oldInBatch != null ? oldInBatch.householdId() : households.householdId(cards.household(old));
                    if (oldHousehold != change.householdId())
                    {
                        errors.add(new ChangeError(line, "replaces_pan", "the replaced card belongs to another household"));
                    }
                }
            }
        }
        int newTerminals = 0;
        for (final TerminalChange change : batch.terminals())
        {
            if (terminals.indexOf(TerminalTable.packTerminalId(change.terminalId())) < 0)
            {
                newTerminals++;
            }
        }
        int newAcquirers = 0;
        for (final AcquirerChange change : batch.acquirers())
        {
            if (acquirers.indexOf(change.acquirerId()) < 0)
            {
                newAcquirers++;
            }
        }
        capacity(errors, "household", households.size(), households.capacity(), newHouseholds);
        capacity(errors, "card", cards.size(), cards.capacity(), newCards);
        capacity(errors, "terminal", terminals.size(), terminals.capacity(), newTerminals);
        capacity(errors, "acquirer", acquirers.size(), acquirers.capacity(), newAcquirers);
        return errors;
    }

    private void checkExistingCard(final CardChange change, final int card, final List<ChangeError> errors)
    {
        final int line = change.line();
        final CardTable cards = data.cards();
        if (change.walletPiasters() >= 0)
        {
            errors.add(new ChangeError(line, "wallet_piasters",
                "only allowed for a new card: an existing card keeps its live wallet balance (leave it out or empty)"));
        }
        if (cards.nationalId(card) != change.nationalId())
        {
            errors.add(new ChangeError(line, "national_id", "an existing card keeps its national_id"));
        }
        if (data.households().householdId(cards.household(card)) != change.householdId())
        {
            errors.add(new ChangeError(line, "household_id", "an existing card keeps its household_id (" +
                data.households().householdId(cards.household(card)) + ")"));
        }
        if (cards.hasFlag(card, CardTable.FLAG_HEAD) != change.head())
        {
            errors.add(new ChangeError(line, "role", "an existing card keeps its role"));
        }
        if (cards.issuedDay(card) != change.issuedDay())
        {
            errors.add(new ChangeError(line, "issued_on", "an existing card keeps its issued_on"));
        }
        final int replaced = cards.replacesCard(card);
        final long replacedPan = replaced == CardTable.NO_CARD ? 0 : cards.pan(replaced);
        if (change.replacesPan() != replacedPan)
        {
            errors.add(new ChangeError(line, "replaces_pan", "an existing card keeps the card it replaces (" +
                (replacedPan == 0 ? "none" : PanMask.masked(replacedPan)) + ")"));
        }
    }

    private static void capacity(final List<ChangeError> errors, final String table, final int size, final int capacity, final int adding)
    {
        if ((long)size + adding > capacity)
        {
            errors.add(new ChangeError(0, null, table + " table full: capacity=" + capacity + " size=" + size + " adding=" + adding +
                "; raise " + HEADROOM_SETTINGS + " (applies at the next full import: a restart without a snapshot)"));
        }
    }
}
