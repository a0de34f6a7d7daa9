package org.unicard.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

final class ImportAssertions
{
    private ImportAssertions()
    {
    }

    /**
     * Writes the data, imports it and asserts the import throws (so returns nothing) with exactly
     * the message given.
     */
    static ImportException assertImportFails(final Path directory, final TestDataDirectory data, final String message)
        throws Exception
    {
        data.writeTo(directory);
        final ImportException ex = assertThrows(
            ImportException.class, () -> DataSetImporter.load(directory, TestDataDirectory.LMK));
        assertEquals(message, ex.getMessage());
        return ex;
    }
}
