package org.unicard.importer;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.context.SwitchContext;
import org.unicard.security.LocalMasterKey;
import org.unicard.server.WireData;
import org.unicard.state.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadroomTest
{
    @TempDir
    Path directory;

    @Test
    void shouldAddAPercentageOrTheMinimumWithinTheMaximum()
    {
        assertEquals(1000, Headroom.DEFAULT.capacity(0, 1 << 24));
        assertEquals(20_000 + 1000, Headroom.DEFAULT.capacity(20_000, 1 << 24), "5% of 20,000 is below the minimum");
        assertEquals(23_000_000 + 1_150_000, Headroom.DEFAULT.capacity(23_000_000, 1 << 27), "the national households");
        assertEquals(101, new Headroom(1, 0).capacity(100, 1000));
        assertEquals(101 + 2, new Headroom(1, 0).capacity(101, 1000), "1.01 rounded up");
        assertEquals(1000, new Headroom(50, 0).capacity(900, 1000), "never beyond the table's maximum");
        assertThrows(IllegalArgumentException.class, () -> new Headroom(101, 0));
        assertThrows(IllegalArgumentException.class, () -> new Headroom(5, -1));
    }

    @Test
    void shouldSizeTheTablesFromTheConfiguration() throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("headroom.properties");
        Files.writeString(config, "changes.headroom-percent = 50\nchanges.headroom-minimum = 3\n");
        final SwitchContext context = new SwitchContext().dataDirectory(directory).configFile(config).lmkHex(WireData.LMK_HEX).conclude();
        final Headroom headroom = context.recoveryInputs().headroom();
        assertEquals(new Headroom(50, 3), headroom);
        final DataSet data = DataSetImporter.load(directory, LocalMasterKey.parse(WireData.LMK_HEX, "test"), ImportListener.NONE, headroom);
        assertEquals(2 + 3, data.households().capacity());
        assertEquals(8 + 4, data.cards().capacity());
        assertEquals(6 + 3, data.terminals().capacity());
        assertEquals(1 + 3, data.acquirers().capacity());
    }

    @Test
    void shouldRefuseAHeadroomOutOfRange() throws Exception
    {
        final Path config = directory.resolve("bad.properties");
        Files.writeString(config, "changes.headroom-percent = 101\n");
        final Exception error = assertThrows(Exception.class, () -> new SwitchContext().configFile(config).conclude());
        assertTrue(error.getMessage().contains("changes.headroom-percent"), error.getMessage());
    }
}
