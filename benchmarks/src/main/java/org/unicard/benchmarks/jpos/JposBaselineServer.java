package org.unicard.benchmarks.jpos;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Properties;
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
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.Program;

/**
 * The baseline: a jPOS 3 {@code ISOServer} on a {@code NACChannel} (2-byte binary length prefix, no
 * header) with the iso87binary {@code GenericPackager}, at most {@link #MAX_SESSIONS} sessions
 * served by jPOS's thread pool of platform threads ({@code virtual-threads=false}; the listener
 * runs on the session's thread), and one
 * {@link ISORequestListener} that does the debit the switch does, in memory and without a journal:
 * <ul>
 *   <li>00/92 bread: loaves left today per head card, {@link #BREAD_LOAVES_PER_INDIVIDUAL} per
 *   bread individual of the household;</li>
 *   <li>00/91 ration: piasters left per head card, the month's credit by the switch's default
 *   rules ({@link #monthlyRationPiasters(int)}).</li>
 * </ul>
 * State lives in a {@link ConcurrentHashMap} keyed by PAN; each debit is one atomic
 * {@code compute}. It answers 0210 with field 39 (00, or 51 when too little is left) and field 54
 * (the balance left). It checks neither PIN nor MAC: it is a lower bound on what a jPOS switch
 * would cost.
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

    private final ConcurrentHashMap<String, long[]> accounts = new ConcurrentHashMap<>();
    private final ISOServer server;
    private final Thread thread;
    private final int port;
    private final AtomicLong requests = new AtomicLong();

    private JposBaselineServer(final DataSet data, final int port) throws ISOException, IOException, ConfigurationException
    {
        final CardTable cards = data.cards();
        final HouseholdTable households = data.households();
        for (int card = 0; card < cards.size(); card++)
        {
            if (cards.status(card) != CardStatus.COLLECTED)
            {
                continue;
            }
            final int household = cards.household(card);
            final long loaves = (cards.programs(card) & Program.BREAD) != 0 ?
                (long)BREAD_LOAVES_PER_INDIVIDUAL * households.breadIndividuals(household) : -1;
            long ration = -1;
            if ((cards.programs(card) & Program.RATION) != 0)
            {
                ration = monthlyRationPiasters(households.rationIndividuals(household));
            }
            accounts.put(Long.toString(cards.pan(card)), new long[] {loaves, ration});
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
     * Loads the state and starts listening on a free port.
     *
     * @param data the data set.
     * @return the running server.
     */
    public static JposBaselineServer start(final DataSet data) throws ISOException, IOException, InterruptedException, ConfigurationException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final JposBaselineServer baseline = new JposBaselineServer(data, port);
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

    /** The debit: one atomic update of the card's entry. */
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
                final String processingCode = request.getString(3);
                final long amount = Long.parseLong(request.getString(4));
                final int account = "009200".equals(processingCode) ? 0 : "009100".equals(processingCode) ? 1 : -1;
                final long[] left = {-1};
                final boolean[] approved = {false};
                if (account >= 0)
                {
                    accounts.computeIfPresent(request.getString(2), (pan, balances) ->
                    {
                        if (balances[account] >= amount)
                        {
                            balances[account] -= amount;
                            approved[0] = true;
                        }
                        left[0] = balances[account];
                        return balances;
                    });
                }
                response.set(39, approved[0] ? "00" : left[0] >= 0 ? "51" : "14");
                if (left[0] >= 0)
                {
                    response.set(54, String.format(Locale.ROOT, "%s02%sC%012d", account == 0 ? "92" : "91",
                        account == 0 ? "999" : "818", left[0]));
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
