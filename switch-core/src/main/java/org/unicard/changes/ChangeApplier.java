package org.unicard.changes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

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
 * Applies a validated change batch to the live tables (spec §12), all or nothing, in two steps:
 * <ol>
 *   <li>{@link #prepare}: every check that needs the tables (a card's household, the card a
 *       replacement replaces, what an existing card keeps, each table's capacity) and every lookup,
 *       with no change made. It reads only what batches alone write (the id and PAN indexes, the
 *       fields a card keeps), so the {@code unicard-changes} thread runs it off the ring while requests
 *       are decided; batches are taken one at a time, so nothing it read changes before the commit.</li>
 *   <li>{@link #commit}: on the ring, while no other stage reads the tables (see
 *       {@code ring.DecodeEventHandler}), every change, with the indexes the plan resolved: what holds
 *       the ring is the writing alone. A plan prepared before another batch committed is prepared
 *       again first (the epoch check), so a commit never acts on a stale plan.</li>
 * </ol>
 * Replay runs both steps on its own thread. Order of application: households, terminals, acquirers,
 * cards, then the replacement links, so a line may refer to a household or card added anywhere in the
 * same batch.
 */
public final class ChangeApplier
{
    /** Configuration that sets the tables' headroom, named in a capacity refusal. */
    public static final String HEADROOM_SETTINGS = "changes.headroom-percent / changes.headroom-minimum";

    private final DataSet data;
    private final Authorizer authorizer;
    private final IntConsumer terminalChanged;
    private final IntConsumer acquirerChanged;
    /** Batches committed by this applier: a plan is valid for the epoch it was prepared in. */
    private volatile long epoch;

    public ChangeApplier(final DataSet data, final Authorizer authorizer)
    {
        this(data, authorizer, terminal -> { }, acquirer -> { });
    }

    /**
     * @param terminalChanged told of each terminal added or changed (the key schedules built from
     *                        the table are built again).
     * @param acquirerChanged told of each acquirer added or changed.
     */
    public ChangeApplier(final DataSet data, final Authorizer authorizer, final IntConsumer terminalChanged, final IntConsumer acquirerChanged)
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
     * A batch checked against the tables, with every lookup resolved: for each change, the dense
     * index of the row it changes, or -1 for a row it adds.
     */
    public static final class Plan
    {
        private final ChangeBatch batch;
        private final long epoch;
        private final List<ChangeError> errors;
        private final int[] households;
        private final int[] terminals;
        private final int[] acquirers;
        private final int[] cards;
        /** Per card: its household's dense index, or -(position in the batch's households + 2). */
        private final int[] cardHouseholds;
        /** Per card: the replaced card's dense index, or -(position in the batch's cards + 2), or {@link CardTable#NO_CARD}. */
        private final int[] replaced;

        Plan(final ChangeBatch batch, final long epoch, final List<ChangeError> errors)
        {
            this.batch = batch;
            this.epoch = epoch;
            this.errors = errors;
            households = new int[batch.households().size()];
            terminals = new int[batch.terminals().size()];
            acquirers = new int[batch.acquirers().size()];
            cards = new int[batch.cards().size()];
            cardHouseholds = new int[batch.cards().size()];
            replaced = new int[batch.cards().size()];
        }

        public ChangeBatch batch()
        {
            return batch;
        }

        /**
         * @return why the batch cannot apply; empty when it can.
         */
        public List<ChangeError> errors()
        {
            return errors;
        }
    }

    /**
     * Checks and applies in one step (replay, tests).
     */
    public Outcome apply(final ChangeBatch batch, final long businessTimeMs)
    {
        return commit(prepare(batch), businessTimeMs);
    }

    /**
     * Checks the batch against the tables and resolves every lookup; changes nothing.
     *
     * @return the plan, with the errors that refuse the batch (empty when it can apply).
     */
    public Plan prepare(final ChangeBatch batch)
    {
        final long preparedIn = epoch;
        final List<ChangeError> errors = new ArrayList<>();
        final Plan plan = new Plan(batch, preparedIn, errors);
        final HouseholdTable households = data.households();
        final CardTable cards = data.cards();
        final TerminalTable terminals = data.terminals();
        final AcquirerTable acquirers = data.acquirers();

        final Map<Long, Integer> batchHouseholds = new HashMap<>(batch.households().size() * 2);
        int newHouseholds = 0;
        for (int i = 0; i < plan.households.length; i++)
        {
            final HouseholdChange change = batch.households().get(i);
            batchHouseholds.put(change.householdId(), i);
            plan.households[i] = households.indexOf(change.householdId());
            if (plan.households[i] < 0)
            {
                newHouseholds++;
            }
        }
        final int newCards = planCards(batch, plan, batchHouseholds, errors);
        int newTerminals = 0;
        for (int i = 0; i < plan.terminals.length; i++)
        {
            plan.terminals[i] = terminals.indexOf(TerminalTable.packTerminalId(batch.terminals().get(i).terminalId()));
            if (plan.terminals[i] < 0)
            {
                newTerminals++;
            }
        }
        int newAcquirers = 0;
        for (int i = 0; i < plan.acquirers.length; i++)
        {
            plan.acquirers[i] = acquirers.indexOf(batch.acquirers().get(i).acquirerId());
            if (plan.acquirers[i] < 0)
            {
                newAcquirers++;
            }
        }
        capacity(errors, "household", households.size(), households.capacity(), newHouseholds);
        capacity(errors, "card", cards.size(), cards.capacity(), newCards);
        capacity(errors, "terminal", terminals.size(), terminals.capacity(), newTerminals);
        capacity(errors, "acquirer", acquirers.size(), acquirers.capacity(), newAcquirers);
        return plan;
    }

    /**
     * Resolves every card line: its household (in the switch or in this batch), the card it replaces,
     * and the checks on a card that exists.
     *
     * @return the cards the batch adds.
     */
    private int planCards(final ChangeBatch batch, final Plan plan, final Map<Long, Integer> batchHouseholds,
        final List<ChangeError> errors)
    {
        final HouseholdTable households = data.households();
        final CardTable cards = data.cards();
        final Map<Long, Integer> batchCards = new HashMap<>(batch.cards().size() * 2);
        for (int i = 0; i < plan.cards.length; i++)
        {
            batchCards.put(batch.cards().get(i).pan(), i);
        }
        int newCards = 0;
        for (int i = 0; i < plan.cards.length; i++)
        {
            final CardChange change = batch.cards().get(i);
            final int line = change.line();
            final int existing = cards.indexOf(change.pan());
            plan.cards[i] = existing;
            final int household = households.indexOf(change.householdId());
            final Integer householdInBatch = batchHouseholds.get(change.householdId());
            if (household >= 0)
            {
                plan.cardHouseholds[i] = household;
            }
            else if (householdInBatch != null)
            {
                plan.cardHouseholds[i] = -(householdInBatch + 2);
            }
            else
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
            plan.replaced[i] = CardTable.NO_CARD;
            if (change.replacesPan() != 0)
            {
                final int old = cards.indexOf(change.replacesPan());
                final Integer oldInBatch = batchCards.get(change.replacesPan());
                if (old < 0 && oldInBatch == null)
                {
                    errors.add(new ChangeError(line, "replaces_pan", "no card " + PanMask.masked(change.replacesPan()) +
                        " to replace (neither in the switch nor in this batch)"));
                    continue;
                }
                final long oldHousehold = oldInBatch != null ? batch.cards().get(oldInBatch).householdId() :
                    households.householdId(cards.household(old));
                if (oldHousehold != change.householdId())
                {
                    errors.add(new ChangeError(line, "replaces_pan", "the replaced card belongs to another household"));
                }
                plan.replaced[i] = oldInBatch != null ? -(oldInBatch + 2) : old;
            }
        }
        return newCards;
    }

    /**
     * Applies a prepared batch (prepared again first when another batch committed since).
     *
     * @param businessTimeMs the time it is applied at (made monotonic by the authorizer).
     * @return counts, or the errors and nothing changed.
     */
    public Outcome commit(final Plan prepared, final long businessTimeMs)
    {
        final Plan plan = prepared.epoch == epoch ? prepared : prepare(prepared.batch);
        if (!plan.errors.isEmpty())
        {
            return new Outcome(null, plan.errors, businessTimeMs);
        }
        final ChangeBatch batch = plan.batch;
        final long nowMs = authorizer.changeTime(businessTimeMs);
        final HouseholdTable households = data.households();
        final CardTable cards = data.cards();
        final TerminalTable terminals = data.terminals();
        final AcquirerTable acquirers = data.acquirers();
        int householdsAdded = 0;
        for (int i = 0; i < plan.households.length; i++)
        {
            final HouseholdChange change = batch.households().get(i);
            final int existing = plan.households[i];
            if (existing >= 0)
            {
                authorizer.changeHousehold(existing, change.governorate(), change.rationIndividuals(), change.breadIndividuals(),
                    change.cashSupportPiasters());
            }
            else
            {
                plan.households[i] = households.add(change.householdId(), change.governorate(), change.rationIndividuals(),
                    change.breadIndividuals(), change.cashSupportPiasters());
                authorizer.openHousehold(plan.households[i]);
                householdsAdded++;
            }
        }
        int terminalsAdded = 0;
        for (int i = 0; i < plan.terminals.length; i++)
        {
            final TerminalChange change = batch.terminals().get(i);
            final int existing = plan.terminals[i];
            if (existing >= 0)
            {
                terminals.update(existing, change.merchantId(), change.type(), change.governorate(), change.name(), change.pinKey(),
                    change.macKey(), change.active());
                terminalChanged.accept(existing);
            }
            else
            {
                terminalChanged.accept(terminals.add(change.terminalId(), change.merchantId(), change.type(), change.governorate(),
                    change.name(), change.pinKey(), change.macKey(), change.active()));
                terminalsAdded++;
            }
        }
        int acquirersAdded = 0;
        for (int i = 0; i < plan.acquirers.length; i++)
        {
            final AcquirerChange change = batch.acquirers().get(i);
            final int existing = plan.acquirers[i];
            if (existing >= 0)
            {
                acquirers.update(existing, change.name(), change.zonePinKey(), change.active());
                acquirerChanged.accept(existing);
            }
            else
            {
                acquirerChanged.accept(acquirers.add(change.acquirerId(), change.name(), change.zonePinKey(), change.active()));
                acquirersAdded++;
            }
        }
        int cardsAdded = 0;
        for (int i = 0; i < plan.cards.length; i++)
        {
            final CardChange change = batch.cards().get(i);
            final int existing = plan.cards[i];
            if (existing >= 0)
            {
                cards.status(existing, change.status());
                cards.attributes(existing, change.expiry(), change.pvv(), change.programs(), change.healthExempt());
                cards.mobile(existing, change.mobile());
            }
            else
            {
                final int ref = plan.cardHouseholds[i];
                final int household = ref >= 0 ? ref : plan.households[-ref - 2];
                plan.cards[i] = cards.add(change.pan(), change.nationalId(), household, change.head(), change.status(), change.issuedDay(),
                    change.expiry(), change.pvv(), change.programs(), Math.max(0, change.walletPiasters()), change.healthExempt());
                cards.mobile(plan.cards[i], change.mobile());
                cardsAdded++;
            }
        }
        for (int i = 0; i < plan.cards.length; i++)
        {
            final int ref = plan.replaced[i];
            if (ref != CardTable.NO_CARD)
            {
                cards.replacesCard(plan.cards[i], ref >= 0 ? ref : plan.cards[-ref - 2]);
            }
        }
        final Counts counts = new Counts(householdsAdded, plan.households.length - householdsAdded, cardsAdded, plan.cards.length - cardsAdded,
            terminalsAdded, plan.terminals.length - terminalsAdded, acquirersAdded, plan.acquirers.length - acquirersAdded);
        authorizer.batches().remember(batch.id(), batch.sha256(), counts.applied(), nowMs);
        epoch = epoch + 1;
        return new Outcome(counts, List.of(), nowMs);
    }

    /**
     * @return every reason the batch cannot apply to the tables as they are; empty when it can.
     */
    public List<ChangeError> check(final ChangeBatch batch)
    {
        return prepare(batch).errors();
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
