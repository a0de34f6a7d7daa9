package org.unicard.notify;

import java.time.LocalDate;
import java.time.YearMonth;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.authorizer.ResponseCode;
import org.unicard.config.ProgramRules;
import org.unicard.iso8583.message.Mti;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.state.TerminalTable;
import org.unicard.time.CairoCalendar;

import static org.unicard.notify.CitizenTexts.Language.ARABIC;
import static org.unicard.notify.CitizenTexts.Language.ENGLISH;

/**
 * Turns one decided REQUEST record into citizen events (spec §14) and folds it into the household
 * tallies; builds the bread digest and the monthly statement of one household. The rules:
 * <ul>
 *   <li>a retransmission ({@code duplicateOf} set) changed nothing and sends nothing;</li>
 *   <li>an approved 0200 that moved an account: {@code purchase} (00), {@code withdrawal} (01) or
 *       {@code return} (20), with the amount and the account's balance after the decision (field 54,
 *       which the journal keeps); a health co-payment names the wallet's balance, and an exempt
 *       citizen's visit is sent with nothing paid; bread only with {@code notifications.bread-at-once}
 *       (it is in the day's digest anyway);</li>
 *   <li>an approved reversal that moved an account: {@code reversal}, with the amount given back or
 *       taken back and the account's balance after it ({@link AuthOutcome#balanceAfter}, which the
 *       journal keeps; none for a record journaled before it did);</li>
 *   <li>a decline of 0100/0200 with one of {@code notifications.decline-codes} on a known card:
 *       {@code decline}, with the code, and for 51 the balance left;</li>
 *   <li>an operator block (lost, stolen, damaged): {@code block};</li>
 *   <li>the first approved use of a replacement card: {@code card-replaced}, after the operation's own event.</li>
 * </ul>
 * The household's purse (ration, bread, cash support) goes to the head card's mobile (to the card's
 * own when the head has none); a member's own wallet and health events, declines, blocks and
 * replacements go to that card's mobile (declines, blocks and replacements to the head's when the card
 * has none). An event for nobody's mobile is dropped and counted.
 * <p>
 * <b>What it reads from the state tables, and why that is safe from the notifier thread.</b> A card's
 * PAN, household, head flag and replacement link, a household's id and bread individuals, terminal and
 * acquirer names are written at import, before the notifier thread starts ({@link Thread#start} orders
 * them). A card's mobile may be changed by a live change (spec §12) on the authorizer thread; that write
 * happens before the decision of every later request on the same thread, whose sequence the authorizer
 * publishes to the Disruptor (a release store), the journal thread reads that sequence (an acquire load)
 * before it writes the record into Chronicle, Chronicle completes the excerpt header with an ordered
 * store, and the tailer reads the header with a volatile load before the record: so everything the
 * authorizer wrote before deciding a record is visible once the notifier reads that record. A change
 * made after it may be seen early (a mobile changed a moment later is used a moment early), which is
 * harmless. Balances, status and PIN tries are never read from the tables: the record holds them.
 */
public final class RecordEvents
{
    /** The most events one record makes (an operation's own and a card-replaced). */
    public static final int MAX_EVENTS_PER_RECORD = 2;

    private final CardTable cards;
    private final HouseholdTable households;
    private final TerminalTable terminals;
    private final AcquirerTable acquirers;
    private final HouseholdTally tally;
    private final NotifySettings settings;
    private final NotifierCounters counters;
    private ProgramRules rules;
    private int firstBusinessDay;

    public RecordEvents(
        final DataSet data,
        final HouseholdTally tally,
        final NotifySettings settings,
        final NotifierCounters counters,
        final ProgramRules rules,
        final int firstBusinessDay)
    {
        this.cards = data.cards();
        this.households = data.households();
        this.terminals = data.terminals();
        this.acquirers = data.acquirers();
        this.tally = tally;
        this.settings = settings;
        this.counters = counters;
        this.rules = rules;
        this.firstBusinessDay = firstBusinessDay;
    }

    /** A RULES record: the bread quota and points of later statements follow them. */
    public void rules(final ProgramRules newRules)
    {
        rules = newRules;
    }

    /** A GENESIS record: bread points count days from the data set's first business day. */
    public void firstBusinessDay(final int day)
    {
        if (firstBusinessDay == HouseholdTable.NO_CYCLE)
        {
            firstBusinessDay = day;
        }
    }

    /**
     * Folds a record into the tallies and, when {@code emit}, fills events for it.
     *
     * @param index   the record's journal index (the events' keys start with it).
     * @param today   the Cairo day the tallies are counting.
     * @param emit    whether to make events (false while reading again what was already delivered).
     * @param events  where the events go, from {@code first}; room for {@link #MAX_EVENTS_PER_RECORD}.
     * @return how many events were filled.
     */
    public int onRequest(
        final long index, final AuthRequest request, final AuthOutcome outcome, final boolean emit, final CitizenEvent[] events,
        final int first)
    {
        if (outcome.duplicateOf != AuthOutcome.NONE)
        {
            return 0;
        }
        tallyRecord(request, outcome);
        if (!emit)
        {
            return 0;
        }
        int count = 0;
        if (request.sourceType == AuthRequest.SOURCE_OPERATOR)
        {
            count += block(index, request, outcome, events[first]);
        }
        else if (outcome.responseCode == ResponseCode.APPROVED)
        {
            count += approved(index, request, outcome, events[first]);
        }
        else
        {
            count += decline(index, request, outcome, events[first]);
        }
        if (outcome.supersededCard != AuthOutcome.NONE && outcome.responseCode == ResponseCode.APPROVED)
        {
            count += replaced(index, count, request, outcome, events[first + count]);
        }
        return count;
    }

    private void tallyRecord(final AuthRequest request, final AuthOutcome outcome)
    {
        if (outcome.responseCode != ResponseCode.APPROVED)
        {
            return;
        }
        if (outcome.supersededCard != AuthOutcome.NONE && outcome.card >= 0)
        {
            tally.replaced(cards.household(outcome.card), outcome.supersededCard, outcome.card);
        }
        if (outcome.amountApplied == 0 || outcome.household < 0)
        {
            return;
        }
        if (outcome.account == Program.ACCOUNT_BREAD)
        {
            // A reversal of bread gives back loaves; the journal does not say which day they were taken,
            // and reversals follow their originals within seconds: they count against the current day.
            tally.bread(outcome.household, (int)-outcome.amountApplied, true, true);
        }
        else if (outcome.account == Program.ACCOUNT_RATION)
        {
            tally.ration(outcome.household, -outcome.amountApplied);
        }
    }

    private int approved(final long index, final AuthRequest request, final AuthOutcome outcome, final CitizenEvent event)
    {
        final int account = outcome.account;
        if (account == 0 || outcome.card < 0)
        {
            return 0;
        }
        final boolean reversal = Mti.isReversal(request.mti);
        if (reversal && outcome.amountApplied == 0)
        {
            return 0;
        }
        if (!reversal && request.mti != Mti.FINANCIAL_REQUEST)
        {
            return 0;
        }
        final int type = ProcessingCode.type(request.processingCode);
        final EventKind kind = reversal ? EventKind.REVERSAL : switch (type)
        {
            case ProcessingCode.TYPE_CASH_WITHDRAWAL -> EventKind.WITHDRAWAL;
            case ProcessingCode.TYPE_RETURN -> EventKind.RETURN;
            default -> EventKind.PURCHASE;
        };
        if (account == Program.ACCOUNT_BREAD && !settings.breadAtOnce())
        {
            counters.foldedIntoDigest.increment();
            return 0;
        }
        if (!allowed(kind))
        {
            return 0;
        }
        final int card = outcome.card;
        if (!recipient(event, card, account, false))
        {
            return 0;
        }
        fill(event, index, 0, request.businessTimeMs, card, kind, account);
        final String terminal = terminalName(request);
        if (reversal)
        {
            event.amount = Math.abs(outcome.amountApplied);
            event.balance = outcome.balanceAfter == AuthOutcome.NO_BALANCE || outcome.balanceAfter == AuthOutcome.UNKNOWN_BALANCE ?
                CitizenEvent.ABSENT : outcome.balanceAfter;
            event.textAr = CitizenTexts.reversal(account, outcome.amountApplied, event.balance, terminal, ARABIC);
            event.textEn = CitizenTexts.reversal(account, outcome.amountApplied, event.balance, terminal, ENGLISH);
            return 1;
        }
        final int balanceAccount = account == Program.ACCOUNT_HEALTH ? Program.ACCOUNT_WALLET : account;
        final long balance = balance(outcome, balanceAccount);
        event.amount = request.amount;
        event.balance = balance;
        switch (kind)
        {
            case WITHDRAWAL ->
            {
                event.textAr = CitizenTexts.withdrawal(account, request.amount, balance, terminal, ARABIC);
                event.textEn = CitizenTexts.withdrawal(account, request.amount, balance, terminal, ENGLISH);
            }
            case RETURN ->
            {
                event.textAr = CitizenTexts.giveBack(account, request.amount, balance, terminal, ARABIC);
                event.textEn = CitizenTexts.giveBack(account, request.amount, balance, terminal, ENGLISH);
            }
            default ->
            {
                final boolean exempt = account == Program.ACCOUNT_HEALTH && outcome.amountApplied == 0;
                event.textAr = CitizenTexts.purchase(account, request.amount, balance, exempt, terminal, ARABIC);
                event.textEn = CitizenTexts.purchase(account, request.amount, balance, exempt, terminal, ENGLISH);
            }
        }
        return 1;
    }

    private int decline(final long index, final AuthRequest request, final AuthOutcome outcome, final CitizenEvent event)
    {
        final int code = outcome.responseCode;
        if (outcome.card < 0 || Mti.isReversal(request.mti) || !settings.declineCodes().contains(code))
        {
            return 0;
        }
        if (!allowed(EventKind.DECLINE))
        {
            return 0;
        }
        final int account = ProcessingCode.account(request.processingCode);
        final int card = outcome.card;
        final boolean purse = code == ResponseCode.INSUFFICIENT_FUNDS;
        if (!recipient(event, card, purse ? account : Program.ACCOUNT_ALL, true))
        {
            return 0;
        }
        fill(event, index, 0, request.businessTimeMs, card, EventKind.DECLINE, account);
        event.code = code;
        final int balanceAccount = account == Program.ACCOUNT_HEALTH ? Program.ACCOUNT_WALLET : account;
        if (request.amount > 0)
        {
            event.amount = request.amount;
        }
        event.balance = code == ResponseCode.INSUFFICIENT_FUNDS ? balance(outcome, balanceAccount) : CitizenEvent.ABSENT;
        final String terminal = terminalName(request);
        final String last4 = CitizenEvent.last4Text(event.cardLast4);
        final long amount = Math.max(0, request.amount);
        event.textAr = CitizenTexts.decline(code, account, amount, event.balance, terminal, last4, ARABIC);
        event.textEn = CitizenTexts.decline(code, account, amount, event.balance, terminal, last4, ENGLISH);
        return 1;
    }

    private int block(final long index, final AuthRequest request, final AuthOutcome outcome, final CitizenEvent event)
    {
        final byte command = request.command;
        final boolean block = command == AuthRequest.COMMAND_BLOCK_LOST || command == AuthRequest.COMMAND_BLOCK_STOLEN ||
            command == AuthRequest.COMMAND_BLOCK_DAMAGED;
        if (!block || outcome.responseCode != ResponseCode.APPROVED || outcome.card < 0 || !allowed(EventKind.BLOCK))
        {
            return 0;
        }
        if (!recipient(event, outcome.card, Program.ACCOUNT_ALL, true))
        {
            return 0;
        }
        fill(event, index, 0, request.businessTimeMs, outcome.card, EventKind.BLOCK, 0);
        final String last4 = CitizenEvent.last4Text(event.cardLast4);
        final String reasonEn = outcome.cardStatus == CardStatus.BLOCKED_LOST ? "lost" :
            outcome.cardStatus == CardStatus.BLOCKED_STOLEN ? "stolen" : "damaged";
        final String reasonAr = outcome.cardStatus == CardStatus.BLOCKED_LOST ? "فقد" :
            outcome.cardStatus == CardStatus.BLOCKED_STOLEN ? "سرقة" : "تلف";
        event.textAr = CitizenTexts.block(last4, reasonEn, reasonAr, ARABIC);
        event.textEn = CitizenTexts.block(last4, reasonEn, reasonAr, ENGLISH);
        return 1;
    }

    private int replaced(final long index, final int number, final AuthRequest request, final AuthOutcome outcome,
        final CitizenEvent event)
    {
        if (!allowed(EventKind.CARD_REPLACED) || !recipient(event, outcome.card, Program.ACCOUNT_ALL, true))
        {
            return 0;
        }
        fill(event, index, number, request.businessTimeMs, outcome.card, EventKind.CARD_REPLACED, 0);
        final String newLast4 = CitizenEvent.last4Text(event.cardLast4);
        final String oldLast4 = CitizenEvent.last4Text((int)(cards.pan(outcome.supersededCard) % 10_000));
        event.textAr = CitizenTexts.cardReplaced(newLast4, oldLast4, ARABIC);
        event.textEn = CitizenTexts.cardReplaced(newLast4, oldLast4, ENGLISH);
        return 1;
    }

    /**
     * Fills the bread digest of one household for a day that has ended.
     *
     * @return whether an event was filled (bread was taken, the kind is sent and the household has a mobile).
     */
    public boolean breadDigest(final int household, final int day, final CitizenEvent event)
    {
        final int loaves = tally.loavesToday(household);
        if (loaves <= 0)
        {
            return false;
        }
        if (!allowed(EventKind.BREAD_DIGEST) || !householdRecipient(event, household))
        {
            return false;
        }
        final String date = LocalDate.ofEpochDay(day).toString();
        final int quota = rules.breadDailyLoavesPerIndividual * households.breadIndividuals(household);
        event.key = "bread-digest-" + households.householdId(household) + "-" + date;
        event.timeMs = LocalDate.ofEpochDay(day + 1L).atStartOfDay(CairoCalendar.ZONE).toInstant().toEpochMilli();
        event.householdId = households.householdId(household);
        event.kind = EventKind.BREAD_DIGEST;
        event.program = "bread";
        event.amount = loaves;
        event.balance = Math.max(0, quota - loaves);
        event.textAr = CitizenTexts.breadDigest(date, loaves, quota, ARABIC);
        event.textEn = CitizenTexts.breadDigest(date, loaves, quota, ENGLISH);
        return true;
    }

    /**
     * Fills the statement of one household for a month that has ended: ration used, bread taken,
     * bread points earned (added to the next month's ration credit, spec §4) and cash support
     * credited in that month.
     *
     * @return whether an event was filled (the kind is sent and the household has a mobile).
     */
    public boolean monthlyStatement(final int household, final int month, final CitizenEvent event)
    {
        if (!allowed(EventKind.MONTHLY_STATEMENT) || !householdRecipient(event, household))
        {
            return false;
        }
        final int year = Math.floorDiv(month, 12);
        final String name = YearMonth.of(year, month - year * 12 + 1).toString();
        final int loaves = tally.loavesThisMonth(household);
        final long quota = (long)rules.breadDailyLoavesPerIndividual * households.breadIndividuals(household);
        final long points = Math.max(0, quota * daysCounted(month) - loaves) * rules.breadPointPiastersPerUnusedLoaf;
        final long cash = firstBusinessDay != HouseholdTable.NO_CYCLE && month >= CairoCalendar.monthOfDay(firstBusinessDay) ?
            households.cashSupportMonthlyPiasters(household) : 0;
        final long ration = tally.rationUsedThisMonthPiasters(household);
        event.key = "monthly-statement-" + households.householdId(household) + "-" + name;
        event.timeMs = LocalDate.ofEpochDay(CairoCalendar.firstDayOfMonth(month + 1)).atStartOfDay(CairoCalendar.ZONE).toInstant()
            .toEpochMilli();
        event.householdId = households.householdId(household);
        event.kind = EventKind.MONTHLY_STATEMENT;
        event.textAr = CitizenTexts.monthlyStatement(name, ration, loaves, points, cash, ARABIC);
        event.textEn = CitizenTexts.monthlyStatement(name, ration, loaves, points, cash, ENGLISH);
        return true;
    }

    private int daysCounted(final int month)
    {
        final int first = CairoCalendar.firstDayOfMonth(month);
        final int end = CairoCalendar.firstDayOfMonth(month + 1);
        return Math.max(0, end - Math.max(first, firstBusinessDay == HouseholdTable.NO_CYCLE ? first : firstBusinessDay));
    }

    private boolean allowed(final EventKind kind)
    {
        if (settings.kinds().contains(kind))
        {
            return true;
        }
        counters.droppedByRule.increment();
        return false;
    }

    /**
     * Sets the event's mobile, card and household for a card's event.
     *
     * @param account  the account the event is about: a household purse goes to the head.
     * @param fallback whether another card of the household may get it when the chosen one has no mobile.
     */
    private boolean recipient(final CitizenEvent event, final int card, final int account, final boolean fallback)
    {
        event.clear();
        final int household = cards.household(card);
        final boolean purse = account == Program.ACCOUNT_RATION || account == Program.ACCOUNT_BREAD || account == Program.ACCOUNT_CASH;
        final int head = tally.headCard(household);
        long mobile = purse && head != CardTable.NO_CARD ? cards.mobile(head) : cards.mobile(card);
        if (mobile == 0 && (purse || fallback))
        {
            mobile = purse ? cards.mobile(card) : head == CardTable.NO_CARD ? 0 : cards.mobile(head);
        }
        if (mobile == 0)
        {
            counters.droppedNoMobile.increment();
            return false;
        }
        event.mobile = mobile;
        event.cardLast4 = (int)(cards.pan(card) % 10_000);
        event.householdId = households.householdId(household);
        return true;
    }

    private boolean householdRecipient(final CitizenEvent event, final int household)
    {
        event.clear();
        final int head = tally.headCard(household);
        final long mobile = head == CardTable.NO_CARD ? 0 : cards.mobile(head);
        if (mobile == 0)
        {
            counters.droppedNoMobile.increment();
            return false;
        }
        event.mobile = mobile;
        return true;
    }

    private static void fill(
        final CitizenEvent event, final long index, final int number, final long timeMs, final int card, final EventKind kind,
        final int account)
    {
        event.key = index + "-" + number;
        event.recordIndex = index;
        event.timeMs = timeMs;
        event.kind = kind;
        event.program = CitizenTexts.programName(account);
    }

    private static long balance(final AuthOutcome outcome, final int account)
    {
        for (int i = 0; i < outcome.balanceCount; i++)
        {
            if (outcome.balanceAccount[i] == account)
            {
                return outcome.balanceAmount[i];
            }
        }
        return CitizenEvent.ABSENT;
    }

    private String terminalName(final AuthRequest request)
    {
        String name = null;
        if (request.sourceType == AuthRequest.SOURCE_TERMINAL && request.sourceIndex >= 0 && request.sourceIndex < terminals.size())
        {
            name = terminals.name[request.sourceIndex];
        }
        else if (request.sourceType == AuthRequest.SOURCE_ACQUIRER && request.sourceIndex >= 0 &&
            request.sourceIndex < acquirers.acquirerId.length)
        {
            name = acquirers.name[request.sourceIndex];
        }
        return name == null || name.isBlank() ? TerminalTable.unpackTerminalId(request.terminalId) : name;
    }
}
