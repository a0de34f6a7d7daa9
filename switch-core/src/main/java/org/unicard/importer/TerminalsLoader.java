package org.unicard.importer;

import org.unicard.security.TdesKey;
import org.unicard.state.TerminalTable;
import org.unicard.state.TerminalType;

/**
 * Reads {@code terminals.csv} into a {@link TerminalTable}, decrypting each terminal's PIN and MAC
 * keys under the LMK.
 */
final class TerminalsLoader
{
    static final int TERMINAL_ID = 0;
    static final int MERCHANT_ID = 1;
    static final int TYPE = 2;
    static final int GOVERNORATE = 3;
    static final int NAME = 4;
    static final int TPK_UNDER_LMK = 5;
    static final int TAK_UNDER_LMK = 6;
    static final int STATUS = 7;

    static final byte[] DISPLAY = {
        CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.HIDE, CsvFile.HIDE, CsvFile.SHOW};

    private static final byte[][] TYPE_NAMES = {
        Values.ascii("bakery"), Values.ascii("grocer"), Values.ascii("health"), Values.ascii("post")};
    private static final byte[] TYPE_CODES = {TerminalType.BAKERY, TerminalType.GROCER, TerminalType.HEALTH, TerminalType.POST};

    private TerminalsLoader()
    {
    }

    static TerminalTable load(final CsvFile file, final TdesKey lmk, final ImportListener listener, final Headroom headroom)
        throws ImportException
    {
        final TerminalTable terminals = new TerminalTable(Values.capacity(file, 1 << 24, headroom));
        while (file.next())
        {
            final String terminalId = Values.printableId(file, TERMINAL_ID, TerminalTable.TERMINAL_ID_LENGTH);
            final String merchantId = Values.printableId(file, MERCHANT_ID, TerminalTable.MERCHANT_ID_LENGTH);
            final byte type = type(file);
            final int governorate = Values.governorate(file, GOVERNORATE);
            final String name = Values.name(file, NAME);
            final byte[] pinKey = Values.keyUnderLmk(file, TPK_UNDER_LMK, lmk, false);
            final byte[] macKey = Values.keyUnderLmk(file, TAK_UNDER_LMK, lmk, false);
            final boolean active = Values.active(file, STATUS);
            if (terminals.add(terminalId, merchantId, type, governorate, name, pinKey, macKey, active) < 0)
            {
                throw file.error(TERMINAL_ID, "duplicate terminal_id");
            }
            DataSetImporter.report(file, listener);
        }
        DataSetImporter.reportEnd(file, listener);
        return terminals;
    }

    private static byte type(final CsvFile file) throws ImportException
    {
        Values.require(file, TYPE);
        for (int i = 0; i < TYPE_NAMES.length; i++)
        {
            if (file.is(TYPE, TYPE_NAMES[i]))
            {
                return TYPE_CODES[i];
            }
        }
        throw file.error(TYPE, "expected bakery, grocer, health or post");
    }
}
