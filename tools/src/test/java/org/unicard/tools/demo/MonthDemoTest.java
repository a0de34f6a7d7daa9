package org.unicard.tools.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end on a small data set across the month boundary (28 November to 1 December): the
 * real switch over TCP, its clock at 43,200 times real time. With the default rules every answer,
 * balance, household and settlement line equals the demo's model, and the bread points the switch
 * credits on 1 December equal the demo's own count; with a switch whose bread quota differs from the
 * model's the demo's accounting check fails, naming what differs.
 */
class MonthDemoTest
{
    private static final LocalDate START = LocalDate.of(2026, 11, 28);

    @TempDir
    Path directory;

    @Test
    void shouldAccountForEveryLoafAndPiasterAndTheBreadPointsCreditedOnTheFirstOfTheMonth() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int code = new MonthDemo(new MonthDemo.Options(directory.resolve("demo"), 300, 7, START, 4, 6, smallTables()),
            new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        final String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, out);
        assertTrue(out.contains("demo: every loaf and piaster accounted for"), out);
        assertTrue(out.contains(" 0 with another code, 0 balances (field 54) that differ"), out);
        assertTrue(out.contains("every line equals the demo's sales"), out);
        assertTrue(out.contains("cash support in the switch: equal to the demo's"), out);
        final Matcher credited = Pattern.compile("credited by the switch on 2026-12-01 [^:]*: ([0-9,]+) families, ([0-9,]+) equal").matcher(out);
        assertTrue(credited.find(), out);
        final int families = Integer.parseInt(credited.group(1).replace(",", ""));
        assertTrue(families > 100, "most of the 300 families buy bread on the 1st: " + out);
        assertEquals(credited.group(1), credited.group(2), out);
        for (final String day : new String[] {"2026-11-28 Sat", "2026-11-29 Sun", "2026-11-30 Mon", "2026-12-01 Tue"})
        {
            assertTrue(out.contains(day), "a progress line for " + day + ": " + out);
        }
        // The story's change batches (spec §12): a replacement card used from the day after its issue, superseding the lost card.
        final Matcher replaced = Pattern.compile("([0-9]+) replacement cards issued after a lost-card block, ([0-9]+) of them used").matcher(out);
        assertTrue(replaced.find(), out);
        assertTrue(Integer.parseInt(replaced.group(1)) >= 1, out);
        assertEquals(replaced.group(1), replaced.group(2), "every replacement is used the day after its issue: " + out);
        assertTrue(Pattern.compile("declined, as the story provokes them:.* 41 lost card [1-9].* 62 replaced card [1-9]").matcher(out).find(),
            "the lost card is answered 41, then 62 once its replacement was used: " + out);
        // The new bakery: approved bread purchases with a correct MAC from the day after it opened.
        final Matcher bakery = Pattern.compile("the new bakery B9990001 \\([^)]*\\) opened: ([0-9,]+) loaves sold in ([0-9,]+) purchases").matcher(out);
        assertTrue(bakery.find(), out);
        assertTrue(Integer.parseInt(bakery.group(2).replace(",", "")) > 0, out);
        // The citizens' messages (spec §14) reached the gateway simulator, the block and the replacement among them.
        final Matcher messages = Pattern.compile("citizen messages \\(spec §14\\): ([0-9,]+) accepted by the gateway simulator\n").matcher(out);
        assertTrue(messages.find(), "the notifier caught up: " + out);
        assertTrue(Long.parseLong(messages.group(1).replace(",", "")) > 0, out);
        assertTrue(!out.contains("had not caught up"), out);
        for (final String kind : new String[] {"block", "card-replaced", "purchase", "bread-digest", "monthly-statement"})
        {
            assertTrue(Pattern.compile("\n    " + kind + " +[1-9][0-9,]*\n").matcher(out).find(), kind + " messages: " + out);
            assertTrue(out.contains("    " + kind + ", e.g.:\n      en: "), "a sample of " + kind + ": " + out);
        }
        final String report = Files.readString(directory.resolve("demo").resolve("report.html"));
        assertTrue(report.contains("Citizen messages") && report.contains("card-replaced"), "the report's citizen messages table");
        assertTrue(report.startsWith("<!DOCTYPE html>") && report.contains("<svg") && !report.contains("http://") &&
            !report.contains("https://"), "one self-contained file");
    }

    /**
     * @return a configuration with the default rules and tables sized for 300 households, so the switch starts fast.
     */
    private Path smallTables() throws java.io.IOException
    {
        return Files.writeString(directory.resolve("small.properties"),
            "duplicate-window.capacity = 65536\nspend-ledger.capacity = 65536\n");
    }

    @Test
    void shouldFailWithAMismatchListWhenTheSwitchCountsOtherwise() throws Exception
    {
        final Path config = Files.writeString(directory.resolve("four-loaves.properties"), Files.readString(smallTables()) +
            "bread.daily-loaves-per-individual = 4\n");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int code = new MonthDemo(new MonthDemo.Options(directory.resolve("demo"), 300, 7, START, 1, 2, config),
            new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        final String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(1, code, out);
        assertTrue(out.contains("demo: FAILED: these do not add up:"), out);
        assertTrue(out.contains("switch answered 51, the demo expected 00") || out.contains("field 54 account 92"), out);
        assertTrue(!out.contains("every loaf and piaster accounted for"), out);
    }

    @Test
    void shouldHoldTheClockRatherThanSkipVisitsWhenTheMachineCannotKeepUp() throws Exception
    {
        // 2,000 families, 4 days in one second: ~10,000 visits at a rate no 2-core machine sends with the switch beside it.
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int code = new MonthDemo(new MonthDemo.Options(directory.resolve("demo"), 2_000, 7, START, 4, 1, smallTables()),
            new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        final String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, out);
        assertTrue(out.contains("demo: every loaf and piaster accounted for"), out);
        assertTrue(!out.contains("visits were not sent") && !out.contains("visits not sent"), "no visit given up: " + out);
        assertTrue(!out.contains("story events were not run"), out);
        final Matcher held = Pattern.compile("the clock waited for the visits ([0-9,]+) times, ([0-9.]+) s in all")
            .matcher(out);
        assertTrue(held.find(), "a month of 4 days in 1 s cannot keep up without the clock waiting: " + out);
        assertTrue(Double.parseDouble(held.group(2)) > 0, out);
    }
}
