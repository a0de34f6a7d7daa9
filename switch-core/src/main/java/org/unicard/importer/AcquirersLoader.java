package org.unicard.importer;

import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;

/**
 * Reads {@code acquirers.csv} into an {@link AcquirerTable}, decrypting each zone PIN key under the
 * LMK.
 */
final class AcquirersLoader
{
    static final int ACQUIRER_ID = 0;
    static final int NAME = 1;
    static final int ZPK_UNDER_LMK = 2;
    static final int STATUS = 3;

    static final byte[] DISPLAY = {CsvFile.SHOW, CsvFile.SHOW, CsvFile.HIDE, CsvFile.SHOW};

    private AcquirersLoader()
    {
    }

    static AcquirerTable load(final CsvFile file, final TdesKey lmk, final ImportListener listener, final Headroom headroom)
        throws ImportException
    {
        final AcquirerTable acquirers = new AcquirerTable(Values.capacity(file, 1 << 24, headroom));
        while (file.next())
        {
            final long id = Values.digits(
                file, ACQUIRER_ID, 1, AcquirerTable.MAX_ID_DIGITS, "expected 1 to " + AcquirerTable.MAX_ID_DIGITS + " digits");
            final String name = Values.name(file, NAME);
            final byte[] zonePinKey = Values.keyUnderLmk(file, ZPK_UNDER_LMK, lmk, false);
            final boolean active = Values.active(file, STATUS);
            if (acquirers.add(id, name, zonePinKey, active) < 0)
            {
                throw file.error(ACQUIRER_ID, "duplicate acquirer_id");
            }
            DataSetImporter.report(file, listener);
        }
        DataSetImporter.reportEnd(file, listener);
        return acquirers;
    }
}
