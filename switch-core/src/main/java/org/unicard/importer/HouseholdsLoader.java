package org.unicard.importer;

import org.unicard.state.HouseholdTable;

/**
 * Reads {@code households.csv} into a {@link HouseholdTable}.
 */
final class HouseholdsLoader
{
    static final int HOUSEHOLD_ID = 0;
    static final int GOVERNORATE = 1;
    static final int RATION_INDIVIDUALS = 2;
    static final int BREAD_INDIVIDUALS = 3;
    static final int CASH_SUPPORT_PIASTERS = 4;

    static final byte[] DISPLAY = {CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW, CsvFile.SHOW};

    /** Largest monthly cash support a household may have, in piasters. */
    static final long MAX_CASH_SUPPORT_PIASTERS = 10_000_000_000L;

    private HouseholdsLoader()
    {
    }

    static HouseholdTable load(final CsvFile file, final ImportListener listener, final Headroom headroom) throws ImportException
    {
        final HouseholdTable households = new HouseholdTable(Values.capacity(file, HouseholdTable.MAX_CAPACITY, headroom));
        while (file.next())
        {
            final long id = Values.digits(file, HOUSEHOLD_ID, 1, 15, "expected 1 to 15 digits");
            if (id == 0)
            {
                throw file.error(HOUSEHOLD_ID, "must not be 0");
            }
            final int governorate = Values.governorate(file, GOVERNORATE);
            final int ration = (int)Values.digits(file, RATION_INDIVIDUALS, 1, 2, "expected 0 to 99");
            final int bread = (int)Values.digits(file, BREAD_INDIVIDUALS, 1, 2, "expected 0 to 99");
            final long cash = Values.digits(file, CASH_SUPPORT_PIASTERS, 1, 11, "expected 0 to " + MAX_CASH_SUPPORT_PIASTERS);
            if (cash > MAX_CASH_SUPPORT_PIASTERS)
            {
                throw file.error(CASH_SUPPORT_PIASTERS, "expected 0 to " + MAX_CASH_SUPPORT_PIASTERS);
            }
            if (households.add(id, governorate, ration, bread, cash) < 0)
            {
                throw file.error(HOUSEHOLD_ID, "duplicate household_id");
            }
            DataSetImporter.report(file, listener);
        }
        DataSetImporter.reportEnd(file, listener);
        return households;
    }
}
