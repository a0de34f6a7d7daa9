package org.unicard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomReadFileTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReadWhatIsAskedUpToTheEndOfTheFile() throws IOException
    {
        final Path file = directory.resolve("f");
        Files.write(file, new byte[100_000]);
        assertTrue(RandomReadFile.available(), "the C library's open, pread and posix_fadvise are found on Linux");
        try (RandomReadFile reads = RandomReadFile.open(file, 65_536))
        {
            assertEquals(65_536, reads.read(0, 65_536));
            assertEquals(65_536, reads.read(0, 1 << 20), "no more than its buffer");
            assertEquals(100_000 - 65_536, reads.read(65_536, 65_536), "a short read at the end");
            assertEquals(0, reads.read(100_000, 65_536), "nothing past the end");
        }
    }

    @Test
    void shouldNameTheFileItCannotOpen()
    {
        final Path missing = directory.resolve("missing.cq4");
        final IOException ex = assertThrows(IOException.class, () -> RandomReadFile.open(missing, 4096));
        assertEquals("file=" + missing + " reason=open failed", ex.getMessage());
    }
}
