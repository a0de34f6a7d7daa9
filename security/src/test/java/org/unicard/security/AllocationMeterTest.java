package org.unicard.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationMeterTest
{
    private static volatile Object sink;

    @Test
    void shouldDetectAllocationSoThatZeroMeansSomething()
    {
        final long allocated = AllocationMeter.bytesAllocatedBy(AllocationMeter.WARM_UP_RUNS, () ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                sink = new byte[16];
            }
        });

        assertTrue(allocated >= 16_000L, "allocated=" + allocated);
    }
}
