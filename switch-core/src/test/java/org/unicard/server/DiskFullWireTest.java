package org.unicard.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.terminal.LocalPorts;
import org.unicard.testing.CiSetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicard.server.JposTerminal.ration;
import static org.unicard.server.JposTerminal.request;

/**
 * The journal's disk fills while the real switch (a child process) approves ration purchases: the
 * journal lives on a small tmpfs mounted for the test. Once the journal cannot take a record, every
 * answer is 96 and the process stays up; never is a 00 given whose record is not in the journal: after
 * a restart with space, the replayed balances equal exactly what the approvals took, and approved
 * requests retransmitted get their original approval code. Two ways to fill it: with the free-space
 * reserve ({@code journal.min-free-bytes}), and without it, so that Chronicle Queue's write through its
 * memory map really faults (SIGBUS). A restart on the still-full disk is refused with exit 1 and a
 * message naming the directory. Needs root to mount: where mounting is not permitted the test fails
 * under {@code CI=true}, naming the mount command and its error, and is skipped (visibly) elsewhere
 * ({@link CiSetup}).
 */
class DiskFullWireTest
{
    private static final int WINDOW = 32;
    private static final int MAX_REQUESTS = 30_000;

    @TempDir
    Path directory;

    private Path mount;
    private boolean mounted;
    private Process process;
    private int port;
    private int httpPort;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (mounted)
        {
            run("umount", mount.toString());
        }
    }

    @Test
    void shouldAnswer96AndKeepEveryApprovalWhenTheReserveIsReached() throws Exception
    {
        mountJournal("1536k");
        final Path config = config("reserve", 1L << 20);
        final Fill fill = fillUntilRefused(config);
        assertTrue(logOfFirstStart().contains("event=journal-append-failed"), "the failure is logged");
        assertTrue(logOfFirstStart().contains("reason=disk full"), "the log names the reason");

        stopGracefully();
        // Full at start: a clear error and a non-zero exit, nothing served.
        final Process refused = startSwitch(config, "full-at-start");
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "exits");
        assertEquals(1, refused.exitValue());
        final String output = Files.readString(directory.resolve("switch-full-at-start.log"));
        assertTrue(output.contains("journal directory=" + mount.resolve("journal")) && output.contains("disk full"), output);

        remount("16m");
        checkAfterRestart(config, fill);
    }

    @Test
    void shouldAnswer96AndKeepEveryApprovalWhenAWriteFaultsOnAFullDisk() throws Exception
    {
        mountJournal("768k");
        final Path config = config("no-reserve", 0);
        final Fill fill = fillUntilRefused(config);
        assertTrue(logOfFirstStart().contains("event=journal-append-failed"), "the failure is logged");
        assertTrue(logOfFirstStart().contains("write fault"), "the write through the memory map faulted: " + tail(logOfFirstStart()));

        stopGracefully();
        remount("16m");
        // The faulted write may leave a torn record at the journal's tail: start-up cuts it (with a WARN
        // line naming it) and replays every whole record.
        checkAfterRestart(config, fill);
        final String restart = Files.readString(directory.resolve("switch-after-space.log"));
        assertFalse(restart.contains("damaged record") && !restart.contains("event=journal-torn-tail-cut"),
            "a damaged record at the tail is cut, not refused: " + tail(restart));
    }

    private record Fill(Map<Integer, String> approvalCodes, Map<String, Long> approvedPiasters, Map<String, Long> startBalance)
    {
    }

    private Fill fillUntilRefused(final Path config) throws Exception
    {
        port = LocalPorts.free();
        httpPort = LocalPorts.free();
        process = startSwitch(config, "first");
        awaitHealthy();
        final String[] pans = {WireData.HEAD, WireData.LARGE_HEAD};
        final Map<String, Long> startBalance = new HashMap<>();
        final Map<String, Long> approved = new HashMap<>();
        final Map<Integer, String> approvalCodes = new HashMap<>();
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            int stan = 1;
            for (final String pan : pans)
            {
                startBalance.put(pan, rationBalance(socket, pan, stan++));
                approved.put(pan, 0L);
            }
            int firstRefused = -1;
            int requests = 0;
            int declined = 0;
            while (requests < MAX_REQUESTS && (firstRefused < 0 || requests < firstRefused + 2 * WINDOW))
            {
                final ByteArrayOutputStream batch = new ByteArrayOutputStream();
                final Map<Integer, String> panOfStan = new HashMap<>();
                for (int i = 0; i < WINDOW; i++, stan++)
                {
                    final String pan = pans[stan % 2];
                    panOfStan.put(stan, pan);
                    batch.write(frame(ration(pan, 1, stan)));
                }
                socket.getOutputStream().write(batch.toByteArray());
                for (int i = 0; i < WINDOW; i++)
                {
                    final ISOMsg response = readResponse(socket);
                    final int answered = Integer.parseInt(response.getString(11));
                    final String code = response.getString(39);
                    requests++;
                    switch (code)
                    {
                        case "00" ->
                        {
                            assertTrue(firstRefused < 0, "no approval after the journal failed (STAN " + answered + ")");
                            approvalCodes.put(answered, response.getString(38));
                            approved.merge(panOfStan.get(answered), 1L, Long::sum);
                        }
                        case "96" -> firstRefused = firstRefused < 0 ? requests : firstRefused;
                        case "51" -> declined++;
                        default -> fail("unexpected response code " + code + " for STAN " + answered);
                    }
                }
            }
            assertTrue(firstRefused > 0, "the disk filled within " + MAX_REQUESTS + " requests");
            assertTrue(approvalCodes.size() > 1_000, "approvals before the disk filled: " + approvalCodes.size());
            assertEquals(0, declined, "the ration credit outlasts the disk");
        }
        assertTrue(process.isAlive(), "the switch stays up with a full journal");
        final String metrics = get("/metrics");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("unicard_journal_failed ") && line.endsWith(" 1.0")), metrics);
        return new Fill(approvalCodes, approved, startBalance);
    }

    private void checkAfterRestart(final Path config, final Fill fill) throws Exception
    {
        process = startSwitch(config, "after-space");
        awaitHealthy();
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            int stan = 900_000;
            for (final Map.Entry<String, Long> start : fill.startBalance().entrySet())
            {
                assertEquals(start.getValue() - fill.approvedPiasters().get(start.getKey()), rationBalance(socket, start.getKey(), stan++),
                    "replayed ration of " + (start.getKey().equals(WireData.HEAD) ? "HEAD" : "LARGE_HEAD") +
                    " equals its start less exactly the approved purchases");
            }
            final List<Integer> stans = new ArrayList<>(fill.approvalCodes().keySet());
            stans.sort(Integer::compare);
            for (int i = Math.max(0, stans.size() - 20); i < stans.size(); i++)
            {
                final int approvedStan = stans.get(i);
                final String pan = approvedStan % 2 == 0 ? WireData.HEAD : WireData.LARGE_HEAD;
                socket.getOutputStream().write(frame(ration(pan, 1, approvedStan)));
                final ISOMsg again = readResponse(socket);
                assertEquals("00", again.getString(39), "retransmitted approval " + approvedStan);
                assertEquals(fill.approvalCodes().get(approvedStan), again.getString(38), "original approval code of " + approvedStan);
            }
            final ISOMsg fresh = exchange(socket, ration(WireData.HEAD, 1, stan));
            assertEquals("00", fresh.getString(39), "with space again, approvals resume");
        }
        stopGracefully();
    }

    /**
     * @return the household's ration balance in piasters, from a balance inquiry's field 54.
     */
    private static long rationBalance(final Socket socket, final String pan, final int stan) throws Exception
    {
        final ISOMsg inquiry = exchange(socket, request("0200", WireData.BAKERY, WireData.MERCHANT_BAKERY, pan, "310000", -1, null, stan));
        assertEquals("00", inquiry.getString(39), "balance inquiry");
        final String balances = inquiry.getString(54);
        final int at = balances.indexOf("9102818C");
        assertTrue(at >= 0, balances);
        return Long.parseLong(balances.substring(at + 8, at + 20));
    }

    private void stopGracefully() throws Exception
    {
        ChildHealth.stopCleanly(process, () -> Files.readString(latestLog()));
    }

    private void mountJournal(final String size) throws Exception
    {
        WireData.write(directory);
        mount = directory.resolve("tmpfs");
        Files.createDirectories(mount);
        final String[] command = {"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()};
        final Ran mounting = run(command);
        CiSetup.requireSetUp(mounting.exit() == 0, "the disk-full test cannot mount a tmpfs for its journal (needs root): `"
            + String.join(" ", command) + "` exit " + mounting.exit() + ": " + mounting.output().strip());
        mounted = true;
    }

    private void remount(final String size) throws Exception
    {
        final Ran remounting = run("mount", "-o", "remount,size=" + size, mount.toString());
        assertEquals(0, remounting.exit(), "remount with space: " + remounting.output());
    }

    private Path config(final String name, final long minFreeBytes) throws IOException
    {
        final Path config = directory.resolve(name + ".properties");
        // No snapshot process after the first import: its journal reader would share the full file system.
        Files.writeString(config, "journal.min-free-bytes = " + minFreeBytes + "\nsnapshot.after-import = false\n");
        return config;
    }

    private Process startSwitch(final Path config, final String name) throws IOException
    {
        final Path options = CrashRecoveryTest.repositoryRoot().resolve("bin").resolve("jvm.options");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(
            java, "@" + options, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            "org.unicard.cli.UnicardMain", "serve",
            "--data", directory.toString(),
            "--journal", mount.resolve("journal").toString(),
            "--config", config.toString(),
            "--port", Integer.toString(port),
            "--acquirer-port", Integer.toString(LocalPorts.free()),
            "--http-port", Integer.toString(httpPort),
            "--clock", WireData.CLOCK.toString());
        builder.environment().put("UNICARD_LMK", WireData.LMK_HEX);
        builder.redirectErrorStream(true);
        builder.redirectOutput(directory.resolve("switch-" + name + ".log").toFile());
        return builder.start();
    }

    private String logOfFirstStart() throws IOException
    {
        return Files.readString(directory.resolve("switch-first.log"));
    }

    private static String tail(final String text)
    {
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }

    private Path latestLog() throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.filter(path -> path.getFileName().toString().startsWith("switch-"))
                .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElseThrow();
        }
    }

    private void awaitHealthy() throws Exception
    {
        ChildHealth.awaitHealthy(process, httpPort, () -> tail(Files.readString(latestLog())));
    }

    private String get(final String path) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static ISOMsg exchange(final Socket socket, final ISOMsg request) throws Exception
    {
        socket.getOutputStream().write(frame(request));
        return readResponse(socket);
    }

    private static byte[] frame(final ISOMsg message) throws Exception
    {
        message.setPackager(JposTerminal.packager());
        final byte[] packed = message.pack();
        final byte[] framed = new byte[packed.length + 2];
        framed[0] = (byte)(packed.length >> 8);
        framed[1] = (byte)packed.length;
        System.arraycopy(packed, 0, framed, 2, packed.length);
        return framed;
    }

    private static ISOMsg readResponse(final Socket socket) throws Exception
    {
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        final ISOMsg response = new ISOMsg();
        response.setPackager(JposTerminal.packager());
        response.unpack(frame);
        return response;
    }

    /** A command's exit code (-1: not started or timed out) and its output. */
    private record Ran(int exit, String output)
    {
    }

    private static Ran run(final String... command) throws Exception
    {
        final Process child;
        try
        {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return new Ran(-1, ex.toString());
        }
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(30, TimeUnit.SECONDS))
        {
            child.destroyForcibly();
            return new Ran(-1, "timed out after 30 s: " + output);
        }
        if (child.exitValue() != 0)
        {
            System.err.println(String.join(" ", command) + ": " + output);
        }
        return new Ran(child.exitValue(), output);
    }
}
