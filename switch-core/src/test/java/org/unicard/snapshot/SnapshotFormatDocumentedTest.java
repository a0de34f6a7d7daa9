package org.unicard.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code docs/design.md} ("Snapshots and fast restart") and {@code docs/reliability.md} name the
 * snapshot format version this build writes and reads ({@link SnapshotFormat#VERSION}).
 */
class SnapshotFormatDocumentedTest
{
    @Test
    void shouldNameTheFormatVersionOfThisBuild() throws Exception
    {
        final Path docs = docs();
        final Matcher design = Pattern.compile("format version, now (\\d+)\\)").matcher(Files.readString(docs.resolve("design.md")));
        assertTrue(design.find(), "design.md: no 'format version, now N)'");
        assertEquals(Integer.toString(SnapshotFormat.VERSION), design.group(1), "design.md");

        final Matcher reliability = Pattern.compile("this build reads version=(\\d+)").matcher(Files.readString(docs.resolve("reliability.md")));
        assertTrue(reliability.find(), "reliability.md: no 'this build reads version=N'");
        assertEquals(Integer.toString(SnapshotFormat.VERSION), reliability.group(1), "reliability.md");
    }

    private static Path docs()
    {
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null && !Files.exists(candidate.resolve("docs").resolve("design.md")))
        {
            candidate = candidate.getParent();
        }
        assertNotNull(candidate, "no docs/design.md above " + Path.of("").toAbsolutePath());
        return candidate.resolve("docs");
    }
}
