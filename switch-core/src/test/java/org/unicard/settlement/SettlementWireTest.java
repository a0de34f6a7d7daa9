package org.unicard.settlement;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicard.journal.ChronicleJournal;
import org.unicard.security.TdesKey;
import org.unicard.server.JposTerminal;
import org.unicard.server.SwitchOptions;
import org.unicard.server.UnicardSwitch;
import org.unicard.server.WireData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settlement against the wire: a seeded random mix of bread, ration, wallet and cash purchases,
 * returns, reversals (repeated ones, ones of declined originals, ones before their original),
 * retransmissions and declines, sent by jPOS terminals at several terminals and on an acquirer
 * link to a real switch. The day's {@link SettlementReport} must equal, line for line, what the
 * approved responses add up to, computed here from the responses alone.
 */
class SettlementWireTest
{
    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final String ATM_1 = "ATM00001";
    private static final String ATM_2 = "ATM00002";

    @TempDir
    Path directory;

    private UnicardSwitch unicard;
    private final List<JposTerminal> connections = new ArrayList<>();

    /** One terminal (or an acquirer link's terminal id) the test sends from. */
    private record Source(String terminalId, String merchantId, boolean acquirer, boolean mac, JposTerminal connection)
    {
    }

    /** One request sent and the response code it got. */
    private record Sent(Source source, ISOMsg request, String key, String code)
    {
    }

    @BeforeEach
    void start() throws Exception
    {
        WireData.write(directory);
        unicard = UnicardSwitch.start(new SwitchOptions(directory, null, null, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null));
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final JposTerminal connection : connections)
        {
            connection.close();
        }
        unicard.close();
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void shouldSettleExactlyWhatTheApprovedResponsesAddUpTo(final long seed) throws Exception
    {
        final Traffic traffic = new Traffic(seed);
        traffic.run(400);
        unicard.close();

        final Map<String, long[]> expected = traffic.expected();
        final List<SettlementLine> lines;
        final List<SettlementLine> dayBefore;
        try (ChronicleJournal journal = ChronicleJournal.open(unicard.journalDirectory()))
        {
            lines = SettlementReport.of(journal, DAY, records -> { }).lines();
            dayBefore = SettlementReport.of(journal, DAY.minusDays(1), records -> { }).lines();
        }
        final Map<String, long[]> actual = new TreeMap<>();
        for (final SettlementLine line : lines)
        {
            actual.put(key(line.terminalId(), line.acquirerId(), line.account()), new long[] {
                line.purchases(), line.purchasesTotal(), line.returns(), line.returnsTotal(), line.reversals(),
                line.reversalsTotal(), line.net()});
        }
        assertEquals(render(expected), render(actual), "seed=" + seed);
        assertTrue(dayBefore.isEmpty(), "seed=" + seed + " nothing settles on the day before");
        traffic.assertCoverage(seed);
    }

    /**
     * The traffic of one seed. Requests go out one at a time, so the switch decides them in the
     * order they are sent; STANs are unique across the run except for retransmissions.
     */
    private final class Traffic
    {
        private final Random random;
        private final List<Source> sources = new ArrayList<>();
        private final List<Sent> sent = new ArrayList<>();
        private final List<Sent> financials = new ArrayList<>();
        private final List<Sent> reversals = new ArrayList<>();
        private final Map<String, String> firstCode = new HashMap<>();
        private final Map<String, Integer> kinds = new TreeMap<>();
        private int stan;
        private int seconds;

        Traffic(final long seed) throws Exception
        {
            random = new Random(seed);
            final JposTerminal terminalLink = connect(unicard.terminalPort());
            final JposTerminal otherTerminalLink = connect(unicard.terminalPort());
            final JposTerminal acquirerLink = connect(unicard.acquirerPort());
            sources.add(new Source(WireData.BAKERY, WireData.MERCHANT_BAKERY, false, false, terminalLink));
            sources.add(new Source(WireData.GROCER, WireData.MERCHANT_GROCER, false, true, otherTerminalLink));
            sources.add(new Source(WireData.GROCER_NO_MAC, WireData.MERCHANT_GROCER_2, false, false, terminalLink));
            sources.add(new Source(WireData.POST, WireData.MERCHANT_POST, false, false, otherTerminalLink));
            sources.add(new Source(ATM_1, null, true, false, acquirerLink));
            sources.add(new Source(ATM_2, null, true, false, acquirerLink));
            stan = (int)(seed * 1_000);
            seconds = (int)(seed * 1_000);
        }

        void run(final int requests) throws Exception
        {
            for (int i = 0; i < requests; i++)
            {
                final int dice = random.nextInt(100);
                if (dice < 40 || financials.isEmpty())
                {
                    purchase();
                }
                else if (dice < 52)
                {
                    ret();
                }
                else if (dice < 66)
                {
                    reverse(financials.get(random.nextInt(financials.size())), "0400");
                }
                else if (dice < 72 && !reversals.isEmpty())
                {
                    count("repeated reversal");
                    final Sent earlier = reversals.get(random.nextInt(reversals.size()));
                    reverseAgain(earlier);
                }
                else if (dice < 76 && !reversals.isEmpty())
                {
                    count("0420 repeating a 0400");
                    final Sent earlier = reversals.get(random.nextInt(reversals.size()));
                    final ISOMsg advice = (ISOMsg)earlier.request().clone();
                    advice.setMTI("0420");
                    send(earlier.source(), withMacIfNeeded(earlier.source(), advice));
                }
                else if (dice < 90)
                {
                    count("retransmission");
                    final Sent earlier = sent.get(random.nextInt(sent.size()));
                    send(earlier.source(), (ISOMsg)earlier.request().clone());
                }
                else if (dice < 95)
                {
                    reversalBeforeOriginal();
                }
                else
                {
                    purchase();
                }
            }
        }

        private JposTerminal connect(final int port) throws Exception
        {
            final JposTerminal connection = new JposTerminal(port);
            connections.add(connection);
            return connection;
        }

        private void purchase() throws Exception
        {
            final Source source = sources.get(random.nextInt(sources.size()));
            final ISOMsg request;
            switch (source.terminalId())
            {
                case WireData.BAKERY ->
                {
                    final String card = pick(WireData.HEAD, WireData.HEAD, WireData.LARGE_HEAD, WireData.LARGE_HEAD, WireData.MEMBER,
                        WireData.LOST);
                    final long loaves = random.nextInt(20) == 0 ? 51 : 1 + random.nextInt(12);
                    request = message("0200", source, card, "009200", loaves, "999");
                    count("bread purchase");
                }
                case WireData.GROCER, WireData.GROCER_NO_MAC ->
                {
                    final String card = pick(WireData.HEAD, WireData.LARGE_HEAD, WireData.MEMBER, WireData.UNCOLLECTED);
                    if (random.nextInt(3) == 0)
                    {
                        request = pin(source, message("0200", source, card, "009400", 100 + random.nextInt(3_000), "818"));
                        count("wallet purchase");
                    }
                    else
                    {
                        request = message("0200", source, card, "009100", 100 + random.nextInt(4_000), "818");
                        count("ration purchase");
                    }
                }
                case WireData.POST ->
                {
                    final boolean cash = random.nextBoolean();
                    final String card = cash ? WireData.LARGE_HEAD : pick(WireData.HEAD, WireData.MEMBER);
                    request = pin(source, message("0200", source, card, cash ? "019500" : "019400",
                        500 + random.nextInt(cash ? 20_000 : 4_000), "818"));
                    count("withdrawal");
                }
                default ->
                {
                    final String card = pick(WireData.HEAD, WireData.MEMBER, WireData.STOLEN);
                    request = pin(source, message("0200", source, card, "009400", 100 + random.nextInt(3_000), "818"));
                    count("acquirer purchase");
                }
            }
            financials.add(send(source, withMacIfNeeded(source, request)));
        }

        private void ret() throws Exception
        {
            final boolean acquirer = random.nextBoolean();
            final Source source = acquirer ? sources.get(4 + random.nextInt(2)) : sources.get(1 + random.nextInt(2));
            final ISOMsg request;
            if (acquirer)
            {
                request = pin(source, message("0200", source, pick(WireData.HEAD, WireData.MEMBER), "209400",
                    100 + random.nextInt(2_000), "818"));
            }
            else
            {
                request = message("0200", source, pick(WireData.HEAD, WireData.LARGE_HEAD), "209100", 100 + random.nextInt(3_000), "818");
            }
            count("return");
            financials.add(send(source, withMacIfNeeded(source, request)));
        }

        private void reverse(final Sent original, final String mti) throws Exception
        {
            count("reversal");
            final ISOMsg o = original.request();
            final ISOMsg reversal = message(mti, original.source(), o.getString(2), o.getString(3), Long.parseLong(o.getString(4)),
                o.getString(49));
            reversal.set(90, originalData(original.source(), o.getString(11), o.getString(7)));
            reversals.add(send(original.source(), withMacIfNeeded(original.source(), reversal)));
        }

        private void reverseAgain(final Sent earlier) throws Exception
        {
            final ISOMsg again = (ISOMsg)earlier.request().clone();
            again.unset(64);
            again.set(11, String.format("%06d", ++stan));
            again.set(7, nextTransmissionTime());
            reversals.add(send(earlier.source(), withMacIfNeeded(earlier.source(), again)));
        }

        private void reversalBeforeOriginal() throws Exception
        {
            count("reversal before its original");
            final Source source = sources.get(random.nextInt(3));
            final String card = pick(WireData.HEAD, WireData.LARGE_HEAD);
            final ISOMsg original = source.terminalId().equals(WireData.BAKERY) ?
                message("0200", source, card, "009200", 1 + random.nextInt(5), "999") :
                message("0200", source, card, "009100", 100 + random.nextInt(1_000), "818");
            final ISOMsg reversal = message("0400", source, card, original.getString(3), Long.parseLong(original.getString(4)),
                original.getString(49));
            reversal.set(90, originalData(source, original.getString(11), original.getString(7)));
            reversals.add(send(source, withMacIfNeeded(source, reversal)));
            if (random.nextBoolean())
            {
                count("late original");
                financials.add(send(source, withMacIfNeeded(source, original)));
            }
        }

        private ISOMsg message(final String mti, final Source source, final String pan, final String processingCode,
            final long amount, final String currency) throws ISOException
        {
            final ISOMsg m = JposTerminal.request(mti, source.terminalId(), source.merchantId(), pan, processingCode, amount, currency,
                ++stan);
            m.set(7, nextTransmissionTime());
            if (source.acquirer())
            {
                m.set(32, Long.toString(WireData.ACQUIRER));
            }
            return m;
        }

        private String nextTransmissionTime()
        {
            seconds++;
            return String.format("1123%02d%02d%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        }

        private String originalData(final Source source, final String originalStan, final String originalTime)
        {
            return "0200" + originalStan + originalTime + (source.acquirer() ? String.format("%011d", WireData.ACQUIRER) : "0".repeat(11)) +
                "0".repeat(11);
        }

        private ISOMsg pin(final Source source, final ISOMsg m) throws ISOException
        {
            final TdesKey key = source.acquirer() ? JposTerminal.ZPK : JposTerminal.TPK;
            final boolean wrong = random.nextInt(25) == 0;
            if (wrong)
            {
                count("wrong PIN");
            }
            return JposTerminal.withPin(m, wrong ? WireData.PIN + 1 : WireData.PIN, key);
        }

        private ISOMsg withMacIfNeeded(final Source source, final ISOMsg m) throws ISOException
        {
            return source.mac() ? JposTerminal.withMac(m, JposTerminal.TAK) : m;
        }

        private Sent send(final Source source, final ISOMsg request) throws Exception
        {
            final ISOMsg response = source.connection().exchange(request);
            assertEquals(request.getString(11), response.getString(11));
            final String code = response.getString(39);
            final String key = retransmissionKey(source, request.getMTI(), request.getString(11), request.getString(7));
            final String first = firstCode.putIfAbsent(key, code);
            if (first != null)
            {
                assertEquals(first, code, "a retransmission gets the original answer: " + key);
            }
            count("response " + response.getMTI() + " " + code);
            final Sent result = new Sent(source, request, key, code);
            sent.add(result);
            return result;
        }

        private String pick(final String... cards)
        {
            return cards[random.nextInt(cards.length)];
        }

        private void count(final String kind)
        {
            kinds.merge(kind, 1, Integer::sum);
        }

        /**
         * What the approved responses add up to: approved 0210 purchases and returns, and approved
         * 0410/0430 reversals of approved originals, the first only; each retransmission once. A
         * reversal of a ration or wallet purchase takes back only what returns at that terminal
         * have not already given back to the card (spec §8): the net still spent there.
         */
        Map<String, long[]> expected() throws ISOException
        {
            final Map<String, long[]> lines = new TreeMap<>();
            final Set<String> counted = new HashSet<>();
            final Set<String> reversed = new HashSet<>();
            final Map<String, Long> netSpent = new HashMap<>();
            for (final Sent s : sent)
            {
                if (!counted.add(s.key()) || !"00".equals(s.code()))
                {
                    continue;
                }
                final ISOMsg m = s.request();
                final int type = Integer.parseInt(m.getString(3).substring(0, 2));
                final int account = Integer.parseInt(m.getString(3).substring(2, 4));
                final long amount = Long.parseLong(m.getString(4));
                final String lineKey = key(m.getString(41), s.source().acquirer() ? WireData.ACQUIRER : -1, account);
                final long[] line = lines.computeIfAbsent(lineKey, k -> new long[7]);
                final boolean returnable = account == 91 || account == 94;
                final String spendKey = lineKey + '|' + m.getString(2);
                if (m.getMTI().equals("0200"))
                {
                    if (type == 20)
                    {
                        line[2]++;
                        line[3] += amount;
                        netSpent.merge(spendKey, -amount, Long::sum);
                    }
                    else
                    {
                        line[0]++;
                        line[1] += amount;
                        netSpent.merge(spendKey, amount, Long::sum);
                    }
                }
                else
                {
                    final String field90 = m.getString(90);
                    final String original = retransmissionKey(s.source(), "0200", field90.substring(4, 10), field90.substring(10, 20));
                    if (!"00".equals(firstCode.get(original)) || !reversed.add(original))
                    {
                        continue;
                    }
                    final long net = netSpent.getOrDefault(spendKey, 0L);
                    final long takenBack = type == 20 || !returnable ? amount : Math.min(amount, Math.max(0, net));
                    netSpent.put(spendKey, type == 20 ? net + amount : net - takenBack);
                    line[4]++;
                    line[5] += type == 20 ? -takenBack : takenBack;
                }
                line[6] = line[1] - line[3] - line[5];
            }
            lines.values().removeIf(line -> line[0] == 0 && line[2] == 0 && line[4] == 0);
            return lines;
        }

        void assertCoverage(final long seed)
        {
            for (final String kind : List.of("bread purchase", "ration purchase", "wallet purchase", "withdrawal", "acquirer purchase",
                "return", "reversal", "repeated reversal", "0420 repeating a 0400", "retransmission", "reversal before its original",
                "response 0210 00", "response 0210 51", "response 0410 00", "response 0410 25"))
            {
                assertTrue(kinds.getOrDefault(kind, 0) > 0, "seed=" + seed + " no " + kind + " in " + kinds);
            }
        }
    }

    private static String retransmissionKey(final Source source, final String mti, final String stan, final String transmissionTime)
    {
        final String messageClass = mti.equals("0420") ? "0400" : mti;
        return (source.acquirer() ? "acquirer:" : "terminal:") + source.terminalId() + '|' + messageClass + '|' + stan + '|' +
            transmissionTime;
    }

    private static String key(final String terminalId, final long acquirerId, final int account)
    {
        return terminalId + '|' + acquirerId + '|' + account;
    }

    private static String render(final Map<String, long[]> lines)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, long[]> line : new TreeMap<>(lines).entrySet())
        {
            final long[] v = line.getValue();
            text.append(line.getKey()).append(" purchases=").append(v[0]).append('/').append(v[1]).append(" returns=").append(v[2])
                .append('/').append(v[3]).append(" reversals=").append(v[4]).append('/').append(v[5]).append(" net=").append(v[6])
                .append('\n');
        }
        return text.toString();
    }
}
