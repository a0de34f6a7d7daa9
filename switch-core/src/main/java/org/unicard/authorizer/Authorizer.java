package org.unicard.authorizer;

import org.unicard.config.ProgramRules;
import org.unicard.iso8583.message.Mti;
import org.unicard.metrics.SingleWriterCounter;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Luhn;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;
import org.unicard.time.CairoCalendar;

/**
 * The single-threaded state machine that decides every request (spec §4, §5, §7, §8, §9).
 * <p>
 * Checks run in the order of spec §7 from the retransmission check on (format, terminal and MAC
 * are decided by the ring stage before this one): retransmission (original answer, or 94),
 * processing code (12), terminal type (58), card number (14), card status (41, 43, 62), expiry (54),
 * program (57), amount and currency (13), PIN (55, 75), balance (51). Every decided request, declined
 * or not, enters the {@link DuplicateWindow}.
 * <p>
 * Benefit cycles roll lazily: a household's ration month, bread day and cash-support months are
 * brought up to the request's business time when the household is first touched in a new cycle.
 * Business time is made monotonic here ({@code max} of the stamped time and the last one), so a
 * clock stepping back cannot reopen a closed cycle.
 * <p>
 * Deterministic: no clock, no I/O, no allocation, no locks. Replaying the journaled requests in
 * order into a fresh instance over the same data set reproduces every outcome and every field of
 * state.
 */
public final class Authorizer
{
    /** Field 49 for amounts in piasters. */
    public static final int CURRENCY_EGP = 818;
    /** Field 49 for counted goods without currency (bread, in loaves). */
    public static final int CURRENCY_NONE = 999;
    /** 10^0 to 10^18, for the PAN's digit count. Never written. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final CairoCalendar calendar = CairoCalendar.instance();
    private final CardTable cards;
    private final HouseholdTable households;
    private final TerminalTable terminals;
    private final DuplicateWindow window;
    private final SpendLedger ledger;
    private final RecordPositions positions = new RecordPositions();
    private ProgramRules rules;
    private boolean rulesJournaled;

    /** Written by the deciding thread; read by the metrics scrape (the sequence gauge, the journal lag). */
    private final SingleWriterCounter sequence = new SingleWriterCounter();
    private long lastTimeMs = Long.MIN_VALUE;
    private int firstBusinessDay = HouseholdTable.NO_CYCLE;

    private int day;
    private int month;
    /**
     * Where the current business day starts and the next begins: a decision of the same day as the
     * one before (nearly all) computes no calendar ({@link #businessTime}).
     */
    private long dayStartMs = Long.MAX_VALUE;
    private long nextDayStartMs = Long.MIN_VALUE;
    /** The retrieval reference's yDDD part for the current business day, times 10^8. */
    private long referenceDayPart;

    /** Change batches applied (spec §12), for exactly-once; in the authorizer's state, so in snapshots. */
    private final org.unicard.changes.BatchMemory batches = new org.unicard.changes.BatchMemory();
    /** Applies a journaled change batch again during replay; set by recovery, which holds the LMK. */
    private ChangeReplay changeReplay;

    /** Re-applies a CHANGES journal record during replay (see {@code org.unicard.changes.ChangeReplayer}). */
    @FunctionalInterface
    public interface ChangeReplay
    {
        /**
         * @param record the CHANGES record.
         */
        void replay(org.agrona.DirectBuffer record);
    }

    /**
     * @param data                  the imported data set, whose tables this authorizer now owns.
     * @param initialRules          the program rules until a journaled change replaces them.
     * @param windowCapacityEntries capacity of the duplicate window.
     * @param ledgerCapacityEntries capacity of the spend ledger.
     */
    public Authorizer(
        final DataSet data,
        final ProgramRules initialRules,
        final int windowCapacityEntries,
        final int ledgerCapacityEntries)
    {
        this(data, initialRules, windowCapacityEntries, ledgerCapacityEntries, DuplicateWindow.DETAIL_ENTRIES);
    }

    /**
     * @param windowDetailEntries requests whose detail the duplicate window keeps in memory (see
     *                            {@link DuplicateWindow#DuplicateWindow(int, int)}).
     */
    public Authorizer(
        final DataSet data,
        final ProgramRules initialRules,
        final int windowCapacityEntries,
        final int ledgerCapacityEntries,
        final int windowDetailEntries)
    {
        cards = data.cards();
        households = data.households();
        terminals = data.terminals();
        rules = initialRules;
        window = new DuplicateWindow(windowCapacityEntries, windowDetailEntries);
        ledger = new SpendLedger(ledgerCapacityEntries);
    }

    /**
     * Points the duplicate window at the journal it reads old entries back from; the journal's
     * appender (or the replay) keeps {@link #positions()} up to date.
     */
    public void journal(final DecidedRecords records)
    {
        window.records(records);
    }

    /**
     * @return where each decided request's record is in the journal; written by the journal stage
     * (or the replay), read by the window's journal lookup.
     */
    public RecordPositions positions()
    {
        return positions;
    }

    /**
     * Sets the data set's first business day (spec §4: bread points and the first cash credit count
     * from it). Journaled once, when the switch first runs on a data set.
     *
     * @param businessTimeMs the business time of the first start.
     */
    public void genesis(final long businessTimeMs)
    {
        if (firstBusinessDay != HouseholdTable.NO_CYCLE)
        {
            throw new IllegalStateException("genesis already set: firstBusinessDay=" + firstBusinessDay);
        }
        firstBusinessDay = calendar.dayNumber(businessTimeMs);
        lastTimeMs = Math.max(lastTimeMs, businessTimeMs);
    }

    public boolean hasGenesis()
    {
        return firstBusinessDay != HouseholdTable.NO_CYCLE;
    }

    public int firstBusinessDay()
    {
        return firstBusinessDay;
    }

    /**
     * Replaces the program rules from the next request on; called only for rules that are (or are
     * being) journaled.
     */
    public void rules(final ProgramRules newRules)
    {
        rules = newRules;
        rulesJournaled = true;
    }

    /**
     * @return whether the rules in force came from the journal (or were just journaled), rather
     * than from the configuration the authorizer was built with.
     */
    public boolean rulesJournaled()
    {
        return rulesJournaled;
    }

    public ProgramRules rules()
    {
        return rules;
    }

    /**
     * @return the sequence of the last request decided.
     */
    public long sequence()
    {
        return sequence.get();
    }

    public long lastTimeMs()
    {
        return lastTimeMs;
    }

    public DuplicateWindow window()
    {
        return window;
    }

    public SpendLedger ledger()
    {
        return ledger;
    }

    /**
     * @return the change batches applied (spec §12).
     */
    public org.unicard.changes.BatchMemory batches()
    {
        return batches;
    }

    /**
     * @return what replays a CHANGES record, or {@code null} when none was set.
     */
    public ChangeReplay changeReplay()
    {
        return changeReplay;
    }

    public void changeReplay(final ChangeReplay replay)
    {
        changeReplay = replay;
    }

    /**
     * Sets the business time a change batch is applied at (spec §12), made monotonic as a request's
     * is; called only while no request is being decided.
     *
     * @return the time used.
     */
    public long changeTime(final long businessTimeMs)
    {
        final long nowMs = Math.max(businessTimeMs, lastTimeMs);
        lastTimeMs = nowMs;
        businessTime(nowMs);
        return nowMs;
    }

    /**
     * Changes an existing household's entitlements from the next cycle of each program (spec §12):
     * the current cycles are closed first under the old figures (this month's ration credit and cash
     * support, today's bread quota), then the new figures are set; today's loaves taken, and this
     * month's for bread points, are offset so that today's quota and the days of this month up to
     * today count at the old size. Call {@link #changeTime} first.
     */
    public void changeHousehold(
        final int household, final int governorateCode, final int rationIndividuals, final int breadIndividuals, final long cashSupportPiasters)
    {
        rollHousehold(household);
        final int oldBread = households.breadIndividuals(household);
        households.entitlements(household, governorateCode, rationIndividuals, breadIndividuals, cashSupportPiasters);
        final int quotaChange = rules.breadDailyLoavesPerIndividual * (breadIndividuals - oldBread);
        if (quotaChange != 0)
        {
            households.loavesTakenToday(household, households.loavesTakenToday(household) + quotaChange);
            final int daysSoFar = Math.max(0, day + 1 - Math.max(CairoCalendar.firstDayOfMonth(month), firstBusinessDay));
            households.loavesTakenThisMonth(household, households.loavesTakenThisMonth(household) + quotaChange * daysSoFar);
        }
    }

    /**
     * Brings a household's cycles up to the time of {@link #changeTime} (for an export of the state,
     * whose cash-support balances are otherwise credited only when a household is next touched).
     */
    public void settleHousehold(final int household)
    {
        rollHousehold(household);
    }

    /**
     * Opens a household added by a change batch with full entitlements for the current cycles (spec
     * §12): this month's ration credit (no bread points: it had no last month), today's bread quota,
     * this month's cash support; the days of this month before today do not count for its bread
     * points. Call {@link #changeTime} first.
     */
    public void openHousehold(final int household)
    {
        households.rationBalancePiasters(household, rules.monthlyRationPiasters(households.rationIndividuals(household)));
        households.rationMonth(household, month);
        households.breadMonth(household, month);
        final int daysBefore = Math.max(0, day - Math.max(CairoCalendar.firstDayOfMonth(month), firstBusinessDay));
        households.loavesTakenThisMonth(household, breadQuotaPerDay(household) * daysBefore);
        households.breadDay(household, day);
        households.loavesTakenToday(household, 0);
        households.cashBalancePiasters(household, households.cashSupportMonthlyPiasters(household));
        households.cashCreditedMonth(household, month);
    }

    /**
     * Saves or loads the authorizer's own state for a snapshot: the sequence, the monotonic
     * business time, the first business day, whether the rules in force were journaled, the
     * duplicate window and the spend ledger (the tables it owns are saved by the caller, the rules
     * themselves with {@link #rules()} and {@link #restoreRules}). Never called while deciding.
     *
     * @param visitor copies the columns out or fills them in.
     */
    public void visitState(final org.unicard.state.StateVisitor visitor)
    {
        sequence.set(visitor.scalar(sequence.get()));
        lastTimeMs = visitor.scalar(lastTimeMs);
        firstBusinessDay = (int)visitor.scalar(firstBusinessDay);
        rulesJournaled = visitor.scalar(rulesJournaled ? 1 : 0) != 0;
        window.visitState(visitor);
        ledger.visitState(visitor);
        positions.visitState(visitor);
        batches.visitState(visitor);
    }

    /**
     * Puts back the rules a snapshot was taken under, and whether they had been journaled.
     *
     * @param savedRules the rules in force when the snapshot was taken.
     * @param journaled  whether they came from the journal.
     */
    public void restoreRules(final ProgramRules savedRules, final boolean journaled)
    {
        rules = savedRules;
        rulesJournaled = journaled;
    }

    /**
     * Reads, without changing anything, the memory that the next requests of a replay will use: each
     * request's duplicate-window slot, card record, household record and spend-ledger row. Where
     * each line is comes from the request and from what its journal record names (the card in
     * {@link AuthRequest#cardHint}, the household in {@link PrefetchSlots#householdHint}), so no
     * address waits for another read: one loop computes them for the whole batch, then loops of
     * loads alone read them, so that the processor has the batch's cache misses in flight together
     * instead of one stage after another. A request that names no card reads its PAN's home slot
     * in the PAN index instead. Hints out of range are ignored; a wrong one costs a miss,
     * never a different decision.
     * Decisions are unaffected; only replay calls it.
     *
     * @param requests decoded requests (their PANs, card hints and duplicate-window keys are read).
     * @param count    how many.
     * @param slots    the caller's own scratch space for the batch, with its household hints (two
     *                 threads may prefetch at once, each with its own).
     * @return a value of no meaning, so the loads are not optimised away.
     */
    public long prefetch(final AuthRequest[] requests, final int count, final PrefetchSlots slots)
    {
        if (count > slots.capacity())
        {
            throw new IllegalArgumentException("count=" + count + " slots.capacity=" + slots.capacity());
        }
        final int[] panSlots = slots.panSlots;
        final int[] cardsPlusOne = slots.cardsPlusOne;
        final int[] windowSlots = slots.windowSlots;
        final int[] householdRecords = slots.households;
        final int[] householdHints = slots.householdHints;
        final int[] ledgerElements = slots.ledgerElements;
        final int cardCount = cards.size();
        final int householdCount = households.size();
        int unnamed = 0;
        for (int i = 0; i < count; i++)
        {
            final AuthRequest request = requests[i];
            final int messageClass = request.sourceType == AuthRequest.SOURCE_OPERATOR ? 0 : DuplicateWindow.messageClass(request.mti);
            // A request with no window key reads slot 0, which every batch reads: one line, always cached.
            windowSlots[i] = messageClass == 0 ? 0 : window.homeSlot(request.terminalId,
                DuplicateWindow.sourceKey(request.sourceType, request.sourceIndex, messageClass, request.stan),
                request.transmissionDateTime);
            final int card = request.cardHint;
            if (card >= 0 && card < cardCount)
            {
                cardsPlusOne[i] = card + 1;
                final int household = householdHints[i];
                householdRecords[i] = household >= 0 && household < householdCount ? household : -1;
                ledgerElements[i] = ledgerElement(request, card);
            }
            else
            {
                panSlots[unnamed++] = cards.homeSlot(request.pan);
                cardsPlusOne[i] = 0;
                householdRecords[i] = -1;
                ledgerElements[i] = SpendLedger.FIRST;
            }
        }
        // One loop of loads per table, each iteration a load and an add, so that the processor's
        // window holds as many of the batch's misses at once as it can.
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            sink += window.touchSlot(windowSlots[i]);
        }
        for (int i = 0; i < count; i++)
        {
            sink += cards.touchCard(cardsPlusOne[i]);
        }
        for (int i = 0; i < count; i++)
        {
            final int household = householdRecords[i];
            sink += household < 0 ? 0 : households.touch(household);
        }
        for (int i = 0; i < count; i++)
        {
            sink += ledger.touch(ledgerElements[i]);
        }
        for (int i = 0; i < unnamed; i++)
        {
            sink += cards.slotContent(panSlots[i]);
        }
        return sink;
    }

    /**
     * Reads, without changing anything, the memory that a batch of live requests (decoded together,
     * about to be decided one by one) will use, and names each request's card in
     * {@link AuthRequest#cardHint}. Live requests name no card, so the card is found first, in
     * loops of loads alone as {@link #prefetch} does: the PAN index's home slots, then the records
     * of the cards there, then each card through the index (now cached); then {@link #prefetch}
     * reads the window slots, card, household and ledger rows. The hint saves the decision its PAN
     * index lookup; {@link #cardOf} takes it only for the card that has the request's PAN, so a
     * stale hint costs a lookup, never a different decision.
     * <p>
     * It only reads, and no value it reads decides anything (the PAN index and a card's household
     * change only in change batches, which a batch read ahead never passes), so the thread that
     * decodes may call it while another thread decides.
     *
     * @param requests decoded requests to be decided (their PANs and duplicate-window keys are read).
     * @param count    how many.
     * @param slots    the caller's own scratch space for the batch.
     * @return a value of no meaning, so the loads are not optimised away.
     */
    public long prefetchBatch(final AuthRequest[] requests, final int count, final PrefetchSlots slots)
    {
        if (count > slots.capacity())
        {
            throw new IllegalArgumentException("count=" + count + " slots.capacity=" + slots.capacity());
        }
        final int[] panSlots = slots.panSlots;
        final int[] cardsPlusOne = slots.cardsPlusOne;
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            panSlots[i] = cards.homeSlot(requests[i].pan);
        }
        for (int i = 0; i < count; i++)
        {
            cardsPlusOne[i] = cards.slotContent(panSlots[i]);
        }
        for (int i = 0; i < count; i++)
        {
            sink += cards.touchCard(cardsPlusOne[i]);
        }
        for (int i = 0; i < count; i++)
        {
            final AuthRequest request = requests[i];
            final int card = request.sourceType == AuthRequest.SOURCE_OPERATOR ? -1 : cards.indexOf(request.pan);
            request.cardHint = card;
            slots.householdHints[i] = card < 0 ? -1 : cards.household(card);
        }
        return sink + prefetch(requests, count, slots);
    }

    /**
     * @return the spend ledger's row of a ration or wallet purchase, return or reversal by this card
     * (one cache line), or the ledger's first element for any other request.
     */
    private int ledgerElement(final AuthRequest request, final int card)
    {
        final int account = ProcessingCode.account(request.processingCode);
        if ((account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_WALLET) &&
            ProcessingCode.type(request.processingCode) != ProcessingCode.TYPE_BALANCE_INQUIRY)
        {
            return ledger.homeElement(request.terminalId, SpendLedger.cardKey(card, account, request.sourceType, request.sourceIndex));
        }
        return SpendLedger.FIRST;
    }

    /**
     * The card of the request's PAN, or -1. A card hint is taken only when the card there has this
     * PAN: PANs are unique in the card table and a card's PAN never changes, so that is exactly the
     * card the PAN index would give, without the index's read.
     */
    private int cardOf(final AuthRequest request)
    {
        final int hint = request.cardHint;
        if (hint >= 0 && hint < cards.size() && cards.pan(hint) == request.pan)
        {
            return hint;
        }
        return cards.indexOf(request.pan);
    }

    /**
     * Reads, changing nothing, what the window's next evictions will touch: the index slots of the
     * oldest entries that {@code count} requests up to {@code businessTimeMs} will evict, the expired
     * ones (up to four a request, as a minute of entries expires at once) and, in a full window, one
     * a request. Only the thread that decides may call it (it reads where the window's oldest entry
     * is now), right before deciding about those requests.
     *
     * @param businessTimeMs the latest business time among the requests.
     * @return a value of no meaning, so the loads are not optimised away.
     */
    public long prefetchEvictions(final int count, final long businessTimeMs)
    {
        return window.probeEvictions(count, Math.max(businessTimeMs, lastTimeMs), rules.duplicateWindowMs);
    }

    /**
     * Decides one request and applies its effect on the state.
     *
     * @param request the request; its business time is set to the time the decision was made at
     *                (the stamped time, or the last one when the clock stepped back), which the
     *                journal records, so that replay and the duplicate window see one time.
     * @param outcome filled with the decision.
     */
    public void authorize(final AuthRequest request, final AuthOutcome outcome)
    {
        if (firstBusinessDay == HouseholdTable.NO_CYCLE)
        {
            throw new IllegalStateException("authorize before genesis");
        }
        outcome.clear();
        sequence.increment();
        outcome.sequence = sequence.get();
        final long nowMs = Math.max(request.businessTimeMs, lastTimeMs);
        lastTimeMs = nowMs;
        request.businessTimeMs = nowMs;
        businessTime(nowMs);
        outcome.retrievalReference = retrievalReference(outcome.sequence);

        if (request.sourceType == AuthRequest.SOURCE_OPERATOR)
        {
            command(request, outcome);
        }
        else
        {
            final int messageClass = DuplicateWindow.messageClass(request.mti);
            if (messageClass == 0)
            {
                throw new IllegalArgumentException("mti=" + request.mti + " is not decided by the authorizer");
            }
            decideWithWindow(request, outcome, messageClass, nowMs);
        }
        chainToCard(request, outcome);
    }

    /**
     * Links the record into its card's history chain (docs/design.md, "Transaction history"): the
     * record keeps the card's previous record's sequence and becomes the card's last. Every record
     * whose PAN is a known card is linked, declines decided before the card was looked up included;
     * what changes nothing (spec §8: a retransmission, a 94; a status query) reads the chain's head
     * without joining it, so it leaves the state exactly as it was. Replay decides every record
     * again, so the chain is rebuilt with the state.
     */
    private void chainToCard(final AuthRequest request, final AuthOutcome outcome)
    {
        final int card = outcome.card >= 0 ? outcome.card : request.panDigits == 0 ? -1 : cardOf(request);
        if (card < 0)
        {
            return;
        }
        outcome.previousOfCard = cards.lastSequence(card);
        final boolean changesNothing = request.sourceType == AuthRequest.SOURCE_OPERATOR ? request.command == AuthRequest.COMMAND_QUERY :
            outcome.duplicateOf != AuthOutcome.NONE || outcome.responseCode == ResponseCode.DUPLICATE_KEY_OTHER_CONTENT;
        if (!changesNothing)
        {
            cards.lastSequence(card, outcome.sequence);
        }
    }

    private void decideWithWindow(final AuthRequest request, final AuthOutcome outcome, final int messageClass, final long nowMs)
    {
        final long windowMs = rules.duplicateWindowMs;
        final long source = DuplicateWindow.sourceKey(request.sourceType, request.sourceIndex, messageClass, request.stan);
        final int existing = window.find(request.terminalId, source, request.transmissionDateTime, nowMs, windowMs);
        if (existing == DuplicateWindow.UNREADABLE)
        {
            answerUnmatchable(outcome);
            return;
        }
        if (existing >= 0)
        {
            if (window.hasFlag(existing, DuplicateWindow.FLAG_LATE_ORIGINAL) && window.foundResponseCode() == ResponseCode.NONE)
            {
                // The original arrives after its own reversal: decline it, and keep that answer for its retransmissions.
                outcome.responseCode = ResponseCode.DO_NOT_HONOUR;
                window.answerLateOriginal(existing, request.contentHash, nowMs, outcome);
                return;
            }
            if (window.foundContentHash() != request.contentHash)
            {
                outcome.responseCode = ResponseCode.DUPLICATE_KEY_OTHER_CONTENT;
                return;
            }
            window.answerAgain(outcome);
            return;
        }

        if (messageClass == DuplicateWindow.CLASS_REVERSAL)
        {
            reverse(request, outcome, nowMs);
        }
        else if (window.possiblyEvicted(
            request.terminalId, request.sourceType, request.sourceIndex, request.transmissionDateTime, nowMs))
        {
            answerUnmatchable(outcome);
        }
        else
        {
            decide(request, outcome);
        }
        window.insert(request.terminalId, source, request.transmissionDateTime, request.contentHash, nowMs, windowMs, outcome, (byte)0);
    }

    /**
     * A request the window cannot safely tell from a retransmission (its original may have been
     * evicted early, or its entry's detail cannot be read back) is never decided again: it is
     * answered 94 and moves nothing (docs/design.md, "Exactly once").
     */
    private void answerUnmatchable(final AuthOutcome outcome)
    {
        window.countUnmatchable();
        outcome.responseCode = ResponseCode.DUPLICATE_KEY_OTHER_CONTENT;
    }

    private void decide(final AuthRequest request, final AuthOutcome outcome)
    {
        final int processingCode = request.processingCode;
        final int type = ProcessingCode.type(processingCode);
        final int account = ProcessingCode.account(processingCode);
        if (!ProcessingCode.isWellFormed(processingCode) || !TransactionPermissions.isSupported(type, account) ||
            !isAllowedForMti(request.mti, type, account))
        {
            outcome.responseCode = ResponseCode.INVALID_PROCESSING_CODE;
            return;
        }

        final byte terminalType = request.sourceType == AuthRequest.SOURCE_ACQUIRER ?
            TerminalType.ACQUIRER_LINK : terminals.type[request.sourceIndex];
        if (!TransactionPermissions.isAllowed(terminalType, type, account))
        {
            outcome.responseCode = ResponseCode.NOT_PERMITTED_ON_TERMINAL;
            return;
        }

        final int card = luhnValid(request.pan, request.panDigits) ? cardOf(request) : -1;
        if (card < 0)
        {
            outcome.responseCode = ResponseCode.INVALID_CARD_NUMBER;
            return;
        }
        outcome.card = card;
        final int household = cards.household(card);
        outcome.household = household;
        outcome.pinTries = cards.pinTries(card);
        outcome.cardStatus = effectiveStatus(card);

        final int cardCode = checkCard(request, card, account);
        if (cardCode != ResponseCode.APPROVED)
        {
            outcome.responseCode = cardCode;
            return;
        }
        if ((cards.programs(card) & Program.HOUSEHOLD_PROGRAMS) != 0)
        {
            rollHousehold(household);
        }

        final boolean moves = type != ProcessingCode.TYPE_BALANCE_INQUIRY && request.mti == Mti.FINANCIAL_REQUEST;
        final long cardKey = SpendLedger.cardKey(card, account, request.sourceType, request.sourceIndex);
        final int amountCode = checkAmount(request, type, account, moves, cardKey);
        if (amountCode != ResponseCode.APPROVED)
        {
            outcome.responseCode = amountCode;
            return;
        }

        final int pinCode = checkPin(request, card, type, account);
        outcome.pinTries = cards.pinTries(card);
        if (pinCode != ResponseCode.APPROVED)
        {
            outcome.responseCode = pinCode;
            return;
        }

        if (moves && !purchase(request, outcome, card, household, type, account, cardKey))
        {
            return;
        }
        approve(card, outcome);
        addBalances(card, household, outcome);
    }

    private void approve(final int card, final AuthOutcome outcome)
    {
        outcome.responseCode = ResponseCode.APPROVED;
        outcome.authorizationId = (int)(outcome.sequence % 1_000_000);
        if (!cards.hasFlag(card, CardTable.FLAG_USED))
        {
            cards.addFlag(card, CardTable.FLAG_USED);
            final int old = cards.replacesCard(card);
            // Spec §9: from the new card's first approval on, the old card gets 62, also when it was blocked (a
            // replacement usually follows a lost-card block) - the block's own code then gives way to 62.
            if (old != CardTable.NO_CARD && cards.status(old) != CardStatus.SUPERSEDED)
            {
                cards.status(old, CardStatus.SUPERSEDED);
                outcome.supersededCard = old;
            }
        }
    }

    /**
     * The card checks of spec §7 in order: status (41, 43, 62), expiry (54), program (57).
     *
     * @return {@link ResponseCode#APPROVED} when all pass, else the first failure's code.
     */
    private int checkCard(final AuthRequest request, final int card, final int account)
    {
        final int statusCode = statusResponse(card);
        if (statusCode != ResponseCode.APPROVED)
        {
            return statusCode;
        }
        final int cardExpiry = cards.expiryYyMm(card);
        if ((request.expiry != AuthRequest.ABSENT && request.expiry != cardExpiry) ||
            CairoCalendar.monthOfYyMm(cardExpiry) < month)
        {
            return ResponseCode.EXPIRED_CARD;
        }
        if (account != Program.ACCOUNT_ALL && (cards.programs(card) & Program.forAccount(account)) == 0)
        {
            return ResponseCode.PROGRAM_NOT_HELD;
        }
        return ResponseCode.APPROVED;
    }

    /**
     * Amount and currency (13): an amount within the rules and the account's currency, and a return
     * of no more than the card's net spend at that terminal this month.
     *
     * @return {@link ResponseCode#APPROVED} or {@link ResponseCode#INVALID_AMOUNT}.
     */
    private int checkAmount(final AuthRequest request, final int type, final int account, final boolean moves, final long cardKey)
    {
        if (type == ProcessingCode.TYPE_BALANCE_INQUIRY)
        {
            return ResponseCode.APPROVED;
        }
        final long amount = request.amount;
        final int expectedCurrency = account == Program.ACCOUNT_BREAD ? CURRENCY_NONE : CURRENCY_EGP;
        final long maxAmount = account == Program.ACCOUNT_BREAD ?
            rules.breadMaxLoavesPerTransaction : rules.maxTransactionAmountPiasters;
        if (amount <= 0 || amount > maxAmount || request.currency != expectedCurrency)
        {
            return ResponseCode.INVALID_AMOUNT;
        }
        if (moves && type == ProcessingCode.TYPE_RETURN && amount > ledger.spent(request.terminalId, cardKey, month))
        {
            return ResponseCode.INVALID_AMOUNT;
        }
        return ResponseCode.APPROVED;
    }

    /**
     * Moves the money or goods of an 0200 that passed every check: a debit when the account holds
     * enough (else 51, with the balances), a credit for a return; the spend ledger follows ration and
     * wallet, the accounts that take returns.
     *
     * @return whether it moved; {@code false} when declined 51.
     */
    private boolean purchase(
        final AuthRequest request,
        final AuthOutcome outcome,
        final int card,
        final int household,
        final int type,
        final int account,
        final long cardKey)
    {
        final long amount = request.amount;
        final long change = signedChange(card, type, account, amount);
        if (change < 0 && available(card, household, account) < -change)
        {
            outcome.responseCode = ResponseCode.INSUFFICIENT_FUNDS;
            addBalances(card, household, outcome);
            return false;
        }
        apply(card, household, account, change, day);
        outcome.account = account;
        outcome.amountApplied = change;
        if (account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_WALLET)
        {
            ledger.add(request.terminalId, cardKey, month, type == ProcessingCode.TYPE_RETURN ? -amount : amount);
        }
        return true;
    }

    /**
     * @return the change a transaction makes to its account: a return credits (ration, wallet), an
     * exempt citizen's health co-payment is recorded but not debited (0), anything else debits.
     */
    private long signedChange(final int card, final int type, final int account, final long amount)
    {
        if (account == Program.ACCOUNT_HEALTH && cards.hasFlag(card, CardTable.FLAG_HEALTH_EXEMPT))
        {
            return 0;
        }
        if (type == ProcessingCode.TYPE_RETURN && (account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_WALLET))
        {
            return amount;
        }
        return -amount;
    }

    /**
     * @return what a debit of the account may take now: ration credit, loaves left today, the wallet
     * (which pays health co-payments, so a card without a wallet has nothing for them), cash support.
     */
    private long available(final int card, final int household, final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> households.rationBalancePiasters(household);
            case Program.ACCOUNT_BREAD -> breadQuotaPerDay(household) - households.loavesTakenToday(household);
            case Program.ACCOUNT_HEALTH -> (cards.programs(card) & Program.WALLET) == 0 ? 0 : cards.walletBalancePiasters(card);
            case Program.ACCOUNT_WALLET -> cards.walletBalancePiasters(card);
            case Program.ACCOUNT_CASH -> households.cashBalancePiasters(household);
            default -> throw new IllegalStateException("account=" + account + " cannot move money");
        };
    }

    /**
     * Applies a signed change to an account (negative: a debit, positive: a credit): the one place
     * where balances move, for purchases, returns and reversals alike. The change belongs to the
     * cycle of {@code changeDay} (today for a purchase, the original's day for a reversal): ration
     * credit lapses with its month, and loaves count against the day and the month they were taken
     * in, so a change from a closed cycle leaves that cycle's figure alone. Checks no balance: the
     * caller has (a purchase) or must not (a reversal gives back what was taken).
     *
     * @return the change applied; 0 when its cycle has closed (ration) or when it was 0.
     */
    private long apply(final int card, final int household, final int account, final long change, final int changeDay)
    {
        if (change == 0)
        {
            return 0;
        }
        switch (account)
        {
            case Program.ACCOUNT_RATION ->
            {
                if (CairoCalendar.monthOfDay(changeDay) != month)
                {
                    return 0;
                }
                households.rationBalancePiasters(household, households.rationBalancePiasters(household) + change);
            }
            case Program.ACCOUNT_BREAD ->
            {
                // The bread account counts loaves taken, so a debit of loaves adds to them and a credit takes them off.
                final int loaves = (int)-change;
                if (changeDay == day)
                {
                    households.loavesTakenToday(household, households.loavesTakenToday(household) + loaves);
                }
                if (CairoCalendar.monthOfDay(changeDay) == month)
                {
                    households.loavesTakenThisMonth(household, households.loavesTakenThisMonth(household) + loaves);
                }
            }
            // The health co-payment is paid from the citizen's wallet.
            case Program.ACCOUNT_HEALTH, Program.ACCOUNT_WALLET ->
                cards.walletBalancePiasters(card, cards.walletBalancePiasters(card) + change);
            case Program.ACCOUNT_CASH ->
                households.cashBalancePiasters(household, households.cashBalancePiasters(household) + change);
            default -> throw new IllegalStateException("account=" + account + " cannot move money");
        }
        return change;
    }

    private void reverse(final AuthRequest request, final AuthOutcome outcome, final long nowMs)
    {
        final int original = findOriginal(request, outcome, nowMs);
        if (original < 0)
        {
            return;
        }
        outcome.responseCode = ResponseCode.APPROVED;
        outcome.card = window.foundCard();
        if (window.hasFlag(original, DuplicateWindow.FLAG_REVERSED) || window.foundResponseCode() != ResponseCode.APPROVED)
        {
            window.addFlag(original, DuplicateWindow.FLAG_REVERSED);
            return;
        }
        window.addFlag(original, DuplicateWindow.FLAG_REVERSED);
        outcome.reversalOf = window.foundSequence();
        // The reversal's content equals its original's, so its amount is the original's.
        outcome.reversedAmount = request.amount;
        final int account = window.foundAccount();
        final long applied = window.foundAmountApplied();
        if (account == 0 || applied == 0)
        {
            return;
        }
        final int card = window.foundCard();
        final int household = cards.household(card);
        outcome.household = household;
        final int originalDay = calendar.dayNumber(window.foundTimeMs());
        final long giveBack = account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_WALLET ?
            returnableGiveBack(request, outcome, card, account, applied, CairoCalendar.monthOfDay(originalDay)) : -applied;
        if (giveBack == 0)
        {
            return;
        }
        if ((Program.forAccount(account) & Program.HOUSEHOLD_PROGRAMS) != 0)
        {
            rollHousehold(household);
        }
        final long undone = apply(card, household, account, giveBack, originalDay);
        if (undone != 0)
        {
            recordUndo(outcome, account, undone);
            outcome.balanceAfter = balanceOf(card, household, account);
        }
    }

    /**
     * @return the balance of one account as field 54 names it (loaves left today for bread); a health
     * co-payment's is the wallet's, which paid it.
     */
    private long balanceOf(final int card, final int household, final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> households.rationBalancePiasters(household);
            case Program.ACCOUNT_BREAD -> breadQuotaPerDay(household) - households.loavesTakenToday(household);
            case Program.ACCOUNT_HEALTH, Program.ACCOUNT_WALLET -> cards.walletBalancePiasters(card);
            case Program.ACCOUNT_CASH -> households.cashBalancePiasters(household);
            default -> throw new IllegalStateException("account=" + account + " has no balance");
        };
    }

    /**
     * Finds the 0200 a reversal names in field 90 and answers the reversal when there is nothing to
     * reverse: not found (25, keeping a late-original marker unless the original may have been
     * evicted early), already answered as a late original, or other content (25).
     *
     * @return the original's window entry, or -1 when the reversal is answered.
     */
    private int findOriginal(final AuthRequest request, final AuthOutcome outcome, final long nowMs)
    {
        final long windowMs = rules.duplicateWindowMs;
        final boolean financial = request.originalMti == Mti.FINANCIAL_REQUEST;
        final long originalSource = DuplicateWindow.sourceKey(
            request.sourceType, request.sourceIndex, DuplicateWindow.CLASS_FINANCIAL, request.originalStan);
        final int original = financial ?
            window.find(request.terminalId, originalSource, request.originalTransmissionDateTime, nowMs, windowMs) :
            DuplicateWindow.MISSING;
        if (original < 0)
        {
            outcome.responseCode = ResponseCode.ORIGINAL_NOT_FOUND;
            if (original == DuplicateWindow.UNREADABLE ||
                financial && window.possiblyEvicted(request.terminalId, request.sourceType, request.sourceIndex,
                    request.originalTransmissionDateTime, nowMs))
            {
                // The original may have been decided and evicted early: a late-original entry could
                // decline with 05 a debit that stands, so none is kept and nothing moves.
                window.countUnmatchable();
                return -1;
            }
            if (financial)
            {
                // Keep the reversal: the original, should it arrive late, is declined with 05.
                final AuthOutcome placeholder = outcome;
                final int savedCode = placeholder.responseCode;
                placeholder.responseCode = ResponseCode.NONE;
                window.insert(request.terminalId, originalSource, request.originalTransmissionDateTime, 0, nowMs, windowMs,
                    placeholder, DuplicateWindow.FLAG_LATE_ORIGINAL);
                placeholder.responseCode = savedCode;
            }
            return -1;
        }
        if (window.hasFlag(original, DuplicateWindow.FLAG_LATE_ORIGINAL))
        {
            outcome.responseCode = window.foundResponseCode() == ResponseCode.NONE ?
                ResponseCode.ORIGINAL_NOT_FOUND : ResponseCode.APPROVED;
            return -1;
        }
        if (window.foundContentHash() != request.contentHash)
        {
            outcome.responseCode = ResponseCode.ORIGINAL_NOT_FOUND;
            return -1;
        }
        return original;
    }

    /**
     * What the reversal of a ration or wallet purchase or return gives back, the two accounts that
     * take returns (spec §8): a purchase's reversal gives back only what the purchase debited and
     * returns at that terminal did not already give back, as the spend ledger holds it for the
     * purchase's month (returns are not tied to one purchase, so a reversal gives back at most the
     * net still spent there: the purchases, returns and reversals of one card at one terminal never
     * give back more than was debited). A return's reversal takes the credit back. The ledger is
     * updated here; ration credit lapses with its month ({@link #apply}): the merchant's side is
     * still reversed ({@link AuthOutcome#reversedAmount}), the card gets nothing.
     *
     * @return the signed change to give back (positive: a credit to the card), 0 for nothing.
     */
    private long returnableGiveBack(
        final AuthRequest request,
        final AuthOutcome outcome,
        final int card,
        final int account,
        final long applied,
        final int originalMonth)
    {
        final long cardKey = SpendLedger.cardKey(card, account, request.sourceType, request.sourceIndex);
        final long giveBack = applied < 0 ?
            Math.min(-applied, Math.max(0, ledger.spent(request.terminalId, cardKey, originalMonth))) : -applied;
        outcome.reversedAmount = Math.abs(giveBack);
        if (giveBack != 0)
        {
            ledger.addTo(request.terminalId, cardKey, originalMonth, month, -giveBack);
        }
        return giveBack;
    }

    private static void recordUndo(final AuthOutcome outcome, final int account, final long undo)
    {
        outcome.account = account;
        outcome.amountApplied = undo;
    }

    private void command(final AuthRequest request, final AuthOutcome outcome)
    {
        final int card = request.panDigits == 0 ? -1 : cardOf(request);
        if (card < 0)
        {
            outcome.responseCode = ResponseCode.INVALID_CARD_NUMBER;
            return;
        }
        outcome.card = card;
        outcome.household = cards.household(card);
        final byte status = effectiveStatus(card);
        switch (request.command)
        {
            case AuthRequest.COMMAND_QUERY -> outcome.responseCode = ResponseCode.APPROVED;
            case AuthRequest.COMMAND_BLOCK_LOST -> block(card, CardStatus.BLOCKED_LOST, outcome);
            case AuthRequest.COMMAND_BLOCK_STOLEN -> block(card, CardStatus.BLOCKED_STOLEN, outcome);
            case AuthRequest.COMMAND_BLOCK_DAMAGED -> block(card, CardStatus.DAMAGED, outcome);
            case AuthRequest.COMMAND_COLLECT ->
            {
                if (status == CardStatus.ISSUED)
                {
                    cards.status(card, CardStatus.COLLECTED);
                    outcome.responseCode = ResponseCode.APPROVED;
                }
                else
                {
                    outcome.responseCode = status == CardStatus.COLLECTED ? ResponseCode.APPROVED : ResponseCode.RESTRICTED_CARD;
                }
            }
            case AuthRequest.COMMAND_PIN_RESET ->
            {
                cards.pinTries(card, 0);
                outcome.responseCode = ResponseCode.APPROVED;
            }
            default -> throw new IllegalArgumentException("command=" + request.command);
        }
        outcome.cardStatus = effectiveStatus(card);
        outcome.pinTries = cards.pinTries(card);
        if ((cards.programs(card) & Program.HOUSEHOLD_PROGRAMS) != 0)
        {
            rollHousehold(cards.household(card));
        }
        addBalances(card, cards.household(card), outcome);
    }

    private void block(final int card, final byte blockStatus, final AuthOutcome outcome)
    {
        cards.status(card, blockStatus);
        outcome.responseCode = ResponseCode.APPROVED;
    }

    /**
     * @return the card's status at the current business day: an issued card uncollected past the
     * configured number of days is destroyed.
     */
    public byte effectiveStatus(final int card)
    {
        final byte status = cards.status(card);
        if (status == CardStatus.ISSUED && day - cards.issuedDay(card) >= rules.uncollectedDestroyedAfterDays)
        {
            return CardStatus.DESTROYED;
        }
        return status;
    }

    private int statusResponse(final int card)
    {
        return switch (effectiveStatus(card))
        {
            case CardStatus.COLLECTED -> ResponseCode.APPROVED;
            case CardStatus.BLOCKED_LOST -> ResponseCode.LOST_CARD;
            case CardStatus.BLOCKED_STOLEN -> ResponseCode.STOLEN_CARD;
            default -> ResponseCode.RESTRICTED_CARD;
        };
    }

    private int checkPin(final AuthRequest request, final int card, final int type, final int account)
    {
        final boolean required = account == Program.ACCOUNT_WALLET || account == Program.ACCOUNT_CASH ||
            type == ProcessingCode.TYPE_CASH_WITHDRAWAL;
        final boolean present = request.pinResult != AuthRequest.PIN_ABSENT;
        final int maxTries = rules.pinMaxTries;
        if (cards.pinTries(card) >= maxTries && (required || present))
        {
            return ResponseCode.PIN_TRIES_EXCEEDED;
        }
        if (!present)
        {
            return required ? ResponseCode.WRONG_PIN : ResponseCode.APPROVED;
        }
        if (request.pinResult == AuthRequest.PIN_CORRECT)
        {
            cards.pinTries(card, 0);
            return ResponseCode.APPROVED;
        }
        cards.pinTries(card, cards.pinTries(card) + 1);
        return cards.pinTries(card) >= maxTries ? ResponseCode.PIN_TRIES_EXCEEDED : ResponseCode.WRONG_PIN;
    }

    private static boolean isAllowedForMti(final int mti, final int type, final int account)
    {
        if (mti == Mti.AUTHORIZATION_REQUEST)
        {
            // 0100 authorizes without debit: balance inquiries and health eligibility.
            return type == ProcessingCode.TYPE_BALANCE_INQUIRY ||
                (type == ProcessingCode.TYPE_PURCHASE && account == Program.ACCOUNT_HEALTH);
        }
        return true;
    }

    /**
     * Brings a household's cycles up to the current business day: a new month opens a new ration
     * credit (with bread points from the month before) and credits cash support for every month
     * not yet credited; a new day resets the loaves taken today.
     */
    private void rollHousehold(final int household)
    {
        if (households.rationMonth(household) != month)
        {
            final int previousMonth = month - 1;
            final int loavesTakenLastMonth = households.breadMonth(household) == previousMonth ?
                households.loavesTakenThisMonth(household) : 0;
            final long unusedLoaves = Math.max(0L,
                (long)breadQuotaPerDay(household) * daysCounted(previousMonth) - loavesTakenLastMonth);
            households.rationBalancePiasters(household, rules.monthlyRationPiasters(households.rationIndividuals(household)) +
                unusedLoaves * rules.breadPointPiastersPerUnusedLoaf);
            households.rationMonth(household, month);
        }
        if (households.breadMonth(household) != month)
        {
            households.breadMonth(household, month);
            households.loavesTakenThisMonth(household, 0);
        }
        if (households.breadDay(household) != day)
        {
            households.breadDay(household, day);
            households.loavesTakenToday(household, 0);
        }
        final int credited = households.cashCreditedMonth(household);
        if (credited != month)
        {
            final int firstMonth = CairoCalendar.monthOfDay(firstBusinessDay);
            final int from = credited == HouseholdTable.NO_CYCLE ? firstMonth : credited + 1;
            final long months = Math.max(0, month - from + 1);
            households.cashBalancePiasters(household,
                households.cashBalancePiasters(household) + months * households.cashSupportMonthlyPiasters(household));
            households.cashCreditedMonth(household, month);
        }
    }

    /**
     * @return the days of a month that count for bread points: from the data set's first business
     * day (or the 1st, whichever is later) to the month's last day.
     */
    private int daysCounted(final int monthNumber)
    {
        final int first = CairoCalendar.firstDayOfMonth(monthNumber);
        final int end = CairoCalendar.firstDayOfMonth(monthNumber + 1);
        return Math.max(0, end - Math.max(first, firstBusinessDay));
    }

    private int breadQuotaPerDay(final int household)
    {
        return rules.breadDailyLoavesPerIndividual * households.breadIndividuals(household);
    }

    private void addBalances(final int card, final int household, final AuthOutcome outcome)
    {
        outcome.balanceCount = 0;
        final int programs = cards.programs(card);
        if ((programs & Program.RATION) != 0)
        {
            outcome.addBalance(Program.ACCOUNT_RATION, households.rationBalancePiasters(household));
        }
        if ((programs & Program.BREAD) != 0)
        {
            outcome.addBalance(Program.ACCOUNT_BREAD, breadQuotaPerDay(household) - households.loavesTakenToday(household));
        }
        if ((programs & Program.HEALTH) != 0)
        {
            outcome.addBalance(Program.ACCOUNT_HEALTH, 0);
        }
        if ((programs & Program.WALLET) != 0)
        {
            outcome.addBalance(Program.ACCOUNT_WALLET, cards.walletBalancePiasters(card));
        }
        if ((programs & Program.CASH) != 0)
        {
            outcome.addBalance(Program.ACCOUNT_CASH, households.cashBalancePiasters(household));
        }
    }

    private long retrievalReference(final long requestSequence)
    {
        // yDDD of the Cairo business date, then the sequence: unique for 10^8 requests a day.
        return referenceDayPart + requestSequence % 100_000_000L;
    }

    /**
     * Sets the business day and month of a decision or a change batch at {@code nowMs}, and the
     * retrieval reference's day part. The calendar is computed only when {@code nowMs} leaves the
     * day of the call before; the result is the same either way.
     */
    private void businessTime(final long nowMs)
    {
        if (nowMs >= dayStartMs && nowMs < nextDayStartMs)
        {
            return;
        }
        day = calendar.dayNumber(nowMs);
        month = CairoCalendar.monthOfDay(day);
        dayStartMs = calendar.startOfDayMs(day);
        nextDayStartMs = calendar.startOfDayMs(day + 1);
        final int year = Math.floorDiv(month, 12);
        final int dayOfYear = day - CairoCalendar.firstDayOfMonth(year * 12) + 1;
        referenceDayPart = ((year % 10) * 1000L + dayOfYear) * 100_000_000L;
    }

    /**
     * @param pan    a PAN as a number.
     * @param digits its digit count as sent, leading zeros included.
     * @return whether it is 12 to 19 digits without a leading zero (no card number starts with 0,
     * and "0" + a card's digits must not reach that card) and its last digit is the Luhn check digit
     * of the others.
     */
    public static boolean luhnValid(final long pan, final int digits)
    {
        // pan has exactly that many digits when 10^(digits-1) <= pan < 10^digits; every long is below 10^19.
        return digits >= 12 && digits <= 19 && pan >= POWERS_OF_TEN[digits - 1] && (digits == 19 || pan < POWERS_OF_TEN[digits]) &&
            Luhn.isValid(pan);
    }
}
