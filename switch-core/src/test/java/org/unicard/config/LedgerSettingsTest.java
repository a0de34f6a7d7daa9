package org.unicard.config;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.unicard.context.SwitchContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code spend-ledger.capacity}: 1,048,576 pairs by default; {@code auto} sizes the spend ledger
 * from the data set, 2 card–terminal pairs per household and at least 1,048,576; a number is taken
 * as it is.
 */
class LedgerSettingsTest
{
    @Test
    void shouldKeepThePilotsFixedSizeByDefault()
    {
        final SwitchSettings settings = SwitchContext.switchSettings(new Properties(), "test.properties", 2);

        assertEquals(1_048_576, SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), 23_000_000));
    }

    @Test
    void shouldSizeTheLedgerFromTheDataSetWhenAuto()
    {
        final Properties properties = new Properties();
        properties.setProperty("spend-ledger.capacity", "auto");
        final SwitchSettings settings = SwitchContext.switchSettings(properties, "test.properties", 2);

        assertEquals(SwitchSettings.AUTO, settings.spendLedgerCapacity());
        assertEquals(46_000_000, SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), 23_000_000));
        assertEquals(6_000_000, SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), 3_000_000));
        assertEquals(1_048_576, SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), 42_000));
        assertEquals(1 << 28, SwitchSettings.spendLedgerCapacity(settings.spendLedgerCapacity(), Integer.MAX_VALUE));
    }

    @Test
    void shouldTakeAConfiguredCapacityAsItIs()
    {
        final Properties properties = new Properties();
        properties.setProperty("spend-ledger.capacity", "5000");

        assertEquals(5_000, SwitchSettings.spendLedgerCapacity(SwitchContext.switchSettings(properties, "t", 2).spendLedgerCapacity(), 23_000_000));
    }
}
