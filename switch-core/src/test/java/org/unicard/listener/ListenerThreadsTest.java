package org.unicard.listener;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.unicard.concurrent.SchedulerSlice;
import org.unicard.concurrent.SchedulerSliceTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerThreadsTest
{
    @Test
    void shouldRunTheEventLoopOnAShortSliceInNettysOwnThreadClass() throws Exception
    {
        SchedulerSliceTest.assumeCustomSlices();
        try (ListenerServer server = new ListenerServer(1, "127.0.0.1", null, null, 64, 10))
        {
            final long slice = server.ringStagesLoop().submit(() -> SchedulerSlice.sliceNanosOf(Path.of("/proc/thread-self"))).get();
            assertEquals(SchedulerSlice.DEFAULT_MICROS * 1_000L, slice, "se.slice of the event loop, ns");
            final String thread = server.ringStagesLoop().submit(() -> Thread.currentThread().getClass().getSimpleName() + " " +
                Thread.currentThread().getName()).get();
            assertTrue(thread.startsWith("FastThreadLocalThread multiThreadIoEventLoopGroup-"), thread);
        }
    }
}
