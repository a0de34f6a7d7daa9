package org.unicard.importer;

import org.unicard.security.TdesKey;

/**
 * Reads {@code keys.csv}: exactly one row, named {@code pvk}, holding the PIN verification key
 * (PVKI 1) under the LMK.
 */
final class KeysLoader
{
    static final int NAME = 0;
    static final int KEY_UNDER_LMK = 1;

    static final byte[] DISPLAY = {CsvFile.SHOW, CsvFile.HIDE};

    private static final byte[] PVK = Values.ascii(DataFiles.PVK);

    private KeysLoader()
    {
    }

    /**
     * @return the clear PIN verification key.
     */
    static byte[] load(final CsvFile file, final TdesKey lmk) throws ImportException
    {
        byte[] pinVerificationKey = null;
        while (file.next())
        {
            Values.require(file, NAME);
            if (!file.is(NAME, PVK))
            {
                throw file.error(NAME, "expected pvk, the only key keys.csv holds");
            }
            if (pinVerificationKey != null)
            {
                throw file.error(NAME, "pvk appears twice");
            }
            pinVerificationKey = Values.keyUnderLmk(file, KEY_UNDER_LMK, lmk, true);
        }
        if (pinVerificationKey == null)
        {
            throw new ImportException(file.fileName(), 0, null, null, "no pvk row");
        }
        return pinVerificationKey;
    }
}
