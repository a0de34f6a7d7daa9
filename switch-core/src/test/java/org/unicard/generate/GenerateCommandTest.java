package org.unicard.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.cli.GenerateCommand;
import org.unicard.importer.DataFiles;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.Hex;
import org.unicard.security.TdesKey;
import picocli.CommandLine;

class GenerateCommandTest
{
    private static final String LMK_HEX = "0123456789ABCDEFFEDCBA9876543210";

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final Optional<String> lmk, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new GenerateCommand(() -> lmk));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldWriteADataSetUnderTheLmkFromTheEnvironment() throws Exception
    {
        final Path target = directory.resolve("set");

        assertEquals(0, run(Optional.of(LMK_HEX), "--households", "300", "--out", target.toString()));
        assertEquals(300, DataSetImporter.load(target, TdesKey.of(Hex.parseKey(LMK_HEX))).households().size());
        assertFalse(Files.exists(target.resolve(DataSetGenerator.LMK_FILE)));
        assertEquals("", err.toString());
    }

    @Test
    void shouldPrintAClosingSummary()
    {
        run(Optional.of(LMK_HEX), "--households", "300", "--out", directory.resolve("set").toString());

        assertTrue(out.toString().startsWith("generated households=300 citizens="), out.toString());
        assertTrue(out.toString().contains(" terminals=7 (bakery=1 grocer=2 health=2 post=2) acquirers=3 elapsed="),
            out.toString());
    }

    @Test
    void shouldGenerateAnLmkAndSayWhereItIsWhenNoneIsSet() throws Exception
    {
        final Path target = directory.resolve("set");

        assertEquals(0, run(Optional.empty(), "--households", "10", "--out", target.toString()));
        final String hex = Files.readString(target.resolve(DataSetGenerator.LMK_FILE), StandardCharsets.US_ASCII).strip();

        assertTrue(err.toString().contains("generated a local master key; export UNICARD_LMK=" + hex +
            " to serve this data set"), err.toString());
        assertEquals(10, DataSetImporter.load(target, TdesKey.of(Hex.parseKey(hex))).households().size());
    }

    @Test
    void shouldRefuseANonEmptyDirectoryWithoutForce() throws Exception
    {
        Files.writeString(directory.resolve("notes.txt"), "keep");

        assertEquals(1, run(Optional.of(LMK_HEX), "--households", "10", "--out", directory.toString()));
        assertEquals("generate: out=" + directory + " is not empty; use --force to replace its data files\n", err.toString());
        assertFalse(Files.exists(directory.resolve(DataFiles.CARDS)));
    }

    @Test
    void shouldWriteIntoANonEmptyDirectoryWithForce() throws Exception
    {
        Files.writeString(directory.resolve(DataFiles.CARDS), "old");

        assertEquals(0, run(Optional.of(LMK_HEX), "--households", "10", "--out", directory.toString(), "--force"));
        assertTrue(Files.readString(directory.resolve(DataFiles.CARDS)).startsWith("pan,"));
    }

    @Test
    void shouldRefuseAnLmkThatIsNotHexWithoutEchoingIt()
    {
        final String secret = "ZZ23456789ABCDEFFEDCBA98765432ZZ";

        assertEquals(1, run(Optional.of(secret), "--households", "10", "--out", directory.resolve("set").toString()));
        assertTrue(err.toString().startsWith("generate: "), err.toString());
        assertFalse(err.toString().contains(secret));
    }

    @Test
    void shouldExitTwoWithoutOut()
    {
        assertEquals(2, run(Optional.of(LMK_HEX), "--households", "10"));
    }

    @Test
    void shouldExitTwoForZeroHouseholds()
    {
        assertEquals(2, run(Optional.of(LMK_HEX), "--households", "0", "--out", directory.toString()));
        assertTrue(err.toString().contains("--households=0 must be 1 to 100000000"), err.toString());
    }

    @Test
    void shouldExitTwoForAGovernorateThatIsNotACode()
    {
        assertEquals(2, run(Optional.of(LMK_HEX), "--governorate", "05", "--out", directory.toString()));
    }

    @Test
    void shouldExitOneWhenOutIsAFile() throws Exception
    {
        final Path file = Files.writeString(directory.resolve("file"), "x");

        assertEquals(1, run(Optional.of(LMK_HEX), "--households", "10", "--out", file.toString()));
        assertEquals("generate: out=" + file + " is not a directory\n", err.toString());
    }
}
