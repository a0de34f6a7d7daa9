package org.unicard.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.state.HouseholdTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NotifierPositionTest
{
    @TempDir
    Path directory;

    @Test
    void shouldStartFromTheJournalsFirstRecordWithoutAFile() throws IOException
    {
        final NotifierPosition position = NotifierPosition.read(directory);
        assertEquals(-1, position.deliveredIndex);
        assertEquals(-1, position.scanFromIndex);
        assertEquals(HouseholdTable.NO_CYCLE, position.digestDay);
        assertEquals(HouseholdTable.NO_CYCLE, position.statementMonth);
    }

    @Test
    void shouldReadBackWhatItWroteAndLeaveNoTemporaryFile() throws IOException
    {
        final NotifierPosition position = new NotifierPosition();
        position.deliveredIndex = 89_292_370_083_846L;
        position.scanFromIndex = 89_292_370_083_842L;
        position.digestDay = 20_787;
        position.statementMonth = 24_322;
        position.write(directory);
        position.deliveredIndex++;
        position.write(directory);
        final NotifierPosition read = NotifierPosition.read(directory);
        assertEquals(position.toString(), read.toString());
        assertFalse(Files.exists(directory.resolve(NotifierPosition.FILE_NAME + ".tmp")));
    }

    @Test
    void shouldRefuseABadFileNamingTheFileAndKey() throws IOException
    {
        final Path file = directory.resolve(NotifierPosition.FILE_NAME);
        Files.writeString(file, "delivered-index = 12x\nscan-from-index = -1\ndigest-day = 1\nstatement-month = 1\n");
        assertEquals("notifier position file=" + file + " key=delivered-index value=\"12x\" reason=not a number",
            assertThrows(IOException.class, () -> NotifierPosition.read(directory)).getMessage());
        Files.writeString(file, "delivered-index = 12\n");
        assertEquals("notifier position file=" + file + " key=scan-from-index reason=missing",
            assertThrows(IOException.class, () -> NotifierPosition.read(directory)).getMessage());
    }
}
