package org.unicard.benchmarks.jpos;

import java.io.IOException;
import java.util.Locale;
import java.util.Properties;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.unicard.state.CardStatus;
import org.unicard.state.TerminalTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;
import org.unicard.terminal.LocalPorts;

/**
 * The baseline: a jPOS 3 {@code ISOServer} on a {@code NACChannel} (2-byte binary length prefix, no
 * header) with the iso87binary {@code GenericPackager}, at most {@link #MAX_SESSIONS} sessions
 * served by jPOS's thread pool of platform threads ({@code virtual-threads=false}; the listener
 * runs on the session's thread), and one {@link ISORequestListener} that does the debit the switch
 * does, in memory and without a journal, per household as the switch keeps it (spec §4):
 * <ul>
 *   <li>00/92 bread: loaves left today, {@link #BREAD_LOAVES_PER_INDIVIDUAL} per bread individual;</li>
 *   <li>00/91 ration: piasters left, the month's credit by the switch's default rules
 *   ({@link #monthlyRationPiasters(int)}); 20/91 gives piasters back (up to the month's credit);</li>
 *   <li>31/00 balance inquiry: both balances.</li>
 * </ul>
 * The balances of a household are one {@code long[]} shared by its cards' entries in a
 * {@link ConcurrentHashMap} keyed by PAN, updated under the array's monitor. It answers 0210 with
 * field 39 (00; 51 when too little is left; 14 for an unknown card; 12 for another processing code)
 * and field 54 (the balances).
 * <p>
 * {@link Security#NONE} (the plain baseline) checks neither PIN nor MAC: a lower bound on what a
 * jPOS switch would cost. {@link Security#MODULE} (the fair baseline) does the card security the
 * switch does on this traffic through jPOS's own software security module, {@link JposMacModule}
 * over {@code JCESecurityModule}: the request's MAC verified (63 when wrong) and the response's MAC
 * generated, each with the terminal's MAC key kept under jPOS's LMK and unwrapped per operation, as
 * the module does for every operation. {@link Security#JCE} does the same checks with JCE ciphers made
 * once per thread ({@link JceRetailMac}), bypassing the module: the cheapest a jPOS switch could do them.
 * The load test's bread and ration purchases carry no PIN, so
 * there is no PIN to verify on either side.
 */
public final class JposBaselineServer implements AutoCloseable
{
    /** Sessions (connections) accepted at most. */
    public static final int MAX_SESSIONS = 1_000;
    /** Daily loaves per bread individual, the switch's default rule. */
    public static final int BREAD_LOAVES_PER_INDIVIDUAL = 5;
    /** Monthly ration piasters for each of the first {@link #RATION_FIRST_INDIVIDUALS}, the switch's default rule. */
    public static final long RATION_FIRST_PIASTERS = 5_000;
    /** Individuals at the first rate. */
    public static final int RATION_FIRST_INDIVIDUALS = 4;
    /** Monthly ration piasters for each further individual. */
    public static final long RATION_FURTHER_PIASTERS = 2_500;

    /** What card security the baseline does. */
    public enum Security
    {
        /** None: the plain baseline. */
        NONE,
        /** MAC verify and generate through jPOS's JCESecurityModule: the fair baseline. */
        MODULE,
        /** The same MACs through JCE ciphers made once per session thread ({@link JceRetailMac}): the strong baseline. */
        JCE
    }

    private static final int BREAD = 0;
    private static final int RATION = 1;
    private static final int RATION_MONTH = 2;

    private final ConcurrentHashMap<String, long[]> accounts = new ConcurrentHashMap<>();
    private final Map<String, JposMacModule.TerminalKey> macKeys = new HashMap<>();
    private final Map<String, JceRetailMac.Key> jceKeys = new HashMap<>();
    private final ThreadLocal<JceRetailMac> jce = ThreadLocal.withInitial(JceRetailMac::new);
    private final JposMacModule module;
    private final ISOServer server;
    private final Thread thread;
    private final int port;
    private final AtomicLong requests = new AtomicLong();

    private JposBaselineServer(final DataSet data, final int port, final Security security)
        throws ISOException, IOException, ConfigurationException
    {
        final CardTable cards = data.cards();
        final HouseholdTable households = data.households();
        final long[][] balances = new long[households.size()][];
        for (int card = 0; card < cards.size(); card++)
        {
            if (cards.status(card) != CardStatus.COLLECTED || (cards.programs(card) & (Program.BREAD | Program.RATION)) == 0)
            {
                continue;
            }
            final int household = cards.household(card);
            if (balances[household] == null)
            {
                final long month = monthlyRationPiasters(households.rationIndividuals(household));
                balances[household] = new long[] {(long)BREAD_LOAVES_PER_INDIVIDUAL * households.breadIndividuals(household), month, month};
            }
            accounts.put(Long.toString(cards.pan(card)), balances[household]);
        }
        this.module = security == Security.MODULE ? new JposMacModule() : null;
        if (security != Security.NONE)
        {
            final TerminalTable terminals = data.terminals();
            for (int terminal = 0; terminal < terminals.size(); terminal++)
            {
                if (terminals.macKey[terminal] != null)
                {
                    final String id = TerminalTable.unpackTerminalId(terminals.terminalId[terminal]);
                    if (module != null)
                    {
                        macKeys.put(id, module.importKey(terminals.macKey[terminal]));
                    }
                    else
                    {
                        jceKeys.put(id, JceRetailMac.Key.of(terminals.macKey[terminal]));
                    }
                }
            }
        }
        final GenericPackager packager = new GenericPackager("jar:packager/iso87binary.xml");
        this.port = port;
        this.server = new ISOServer(port, new NACChannel(packager, null), MAX_SESSIONS);
        final Properties settings = new Properties();
        settings.setProperty("virtual-threads", "false");
        this.server.setConfiguration(new SimpleConfiguration(settings));
        this.server.addISORequestListener(new DebitListener());
        this.thread = new Thread(server, "jpos-baseline");
        this.thread.setDaemon(true);
    }

    /**
     * @param individuals ration individuals of a household.
     * @return the month's ration credit, as the switch's default rules give it on a new month.
     */
    public static long monthlyRationPiasters(final int individuals)
    {
        return RATION_FIRST_PIASTERS * Math.min(individuals, RATION_FIRST_INDIVIDUALS) +
            RATION_FURTHER_PIASTERS * Math.max(0, individuals - RATION_FIRST_INDIVIDUALS);
    }

    /**
     * The plain baseline: no card security.
     *
     * @param data the data set.
     * @return the running server.
     */
    public static JposBaselineServer start(final DataSet data) throws ISOException, IOException, InterruptedException, ConfigurationException
    {
        return start(data, Security.NONE);
    }

    /**
     * Loads the state and starts listening on a free port.
     *
     * @param data     the data set.
     * @param security what card security it does.
     * @return the running server.
     */
    public static JposBaselineServer start(final DataSet data, final Security security)
        throws ISOException, IOException, InterruptedException, ConfigurationException
    {
        final int port = LocalPorts.free();
        final JposBaselineServer baseline = new JposBaselineServer(data, port, security);
        baseline.thread.start();
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - deadlineNs < 0)
        {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port))
            {
                return baseline;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(20);
            }
        }
        throw new IOException("jPOS baseline did not listen: port=" + port);
    }

    /**
     * @return the port it listens on.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return requests answered.
     */
    public long requests()
    {
        return requests.get();
    }

    @Override
    public void close()
    {
        server.shutdown();
    }

    /**
     * The decision on a household's balances: 00 and the change, or 51 with nothing changed.
     *
     * @param balances       the household's (loaves, ration piasters, the month's credit), changed in place.
     * @param processingCode field 3.
     * @param amount         field 4, or -1 when absent.
     * @return the response code.
     */
    static String decide(final long[] balances, final String processingCode, final long amount)
    {
        synchronized (balances)
        {
            switch (processingCode)
            {
                case "009200", "009100" ->
                {
                    final int account = "009200".equals(processingCode) ? BREAD : RATION;
                    if (amount <= 0 || balances[account] < amount)
                    {
                        return amount <= 0 ? "13" : "51";
                    }
                    balances[account] -= amount;
                    return "00";
                }
                case "209100" ->
                {
                    if (amount <= 0)
                    {
                        return "13";
                    }
                    balances[RATION] = Math.min(balances[RATION_MONTH], balances[RATION] + amount);
                    return "00";
                }
                case "310000" ->
                {
                    return "00";
                }
                default ->
                {
                    return "12";
                }
            }
        }
    }

    /** The debit: one update of the household's balances, MACs checked and made when asked. */
    private final class DebitListener implements ISORequestListener
    {
        @Override
        public boolean process(final ISOSource source, final ISOMsg request)
        {
            try
            {
                final ISOMsg response = (ISOMsg)request.clone();
                response.setResponseMTI();
                response.unset(52);
                response.unset(64);
                final String terminalId = request.getString(41);
                final JposMacModule.TerminalKey macKey = module == null ? null : macKeys.get(terminalId);
                final JceRetailMac.Key jceKey = jceKeys.isEmpty() ? null : jceKeys.get(terminalId);
                String code = null;
                if ((macKey != null || jceKey != null) && request.hasField(64))
                {
                    final byte[] packed = request.pack();
                    final int covered = packed.length - JposMacModule.MAC_LENGTH;
                    final boolean good = macKey != null ? module.verify(macKey, packed, covered, request.getBytes(64)) :
                        jce.get().verify(jceKey, packed, covered, request.getBytes(64));
                    if (!good)
                    {
                        code = "63";
                    }
                }
                final long[] balances = accounts.get(request.getString(2));
                if (code == null)
                {
                    code = balances == null ? "14" :
                        decide(balances, request.getString(3), request.hasField(4) ? Long.parseLong(request.getString(4)) : -1);
                }
                response.set(39, code);
                if (balances != null && ("00".equals(code) || "51".equals(code)))
                {
                    final long loaves;
                    final long piasters;
                    synchronized (balances)
                    {
                        loaves = balances[BREAD];
                        piasters = balances[RATION];
                    }
                    response.set(54, String.format(Locale.ROOT, "9202999C%012d9102818C%012d", loaves, piasters));
                }
                if (macKey != null || jceKey != null)
                {
                    response.set(64, new byte[JposMacModule.MAC_LENGTH]);
                    final byte[] packed = response.pack();
                    final int covered = packed.length - JposMacModule.MAC_LENGTH;
                    response.set(64, macKey != null ? module.generate(macKey, packed, covered) : jce.get().generate(jceKey, packed, covered));
                }
                source.send(response);
                requests.incrementAndGet();
            }
            catch (final ISOException | IOException | RuntimeException e)
            {
                System.err.println("jpos-baseline: cannot answer: " + e);
            }
            return true;
        }
    }
}
