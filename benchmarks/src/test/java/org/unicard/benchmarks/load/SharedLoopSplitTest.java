package org.unicard.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedLoopSplitTest
{
    @Test
    void shouldSplitTheLoopsCpuPerAnswerIntoTheRingAndTheEventLoopsOwnWorkWithItsWrites()
    {
        // 860 ms of loop CPU over 100,000 answers: 710 ms in the stages, 100 ms of them writing to sockets.
        assertEquals("shared event loop: ring 6.10, event loop 2.50 (of it socket writes 1.00) (µs per answer; stages timed as wall time)",
            SharedLoopSplit.describe(710_000_000L, 100_000_000L, 860_000_000L, 100_000));
    }

    @Test
    void shouldNotGoBelowZeroWhenWallTimeInTheStagesExceedsTheLoopsCpu()
    {
        // A preempted drain counts wall time the loop did not spend on a CPU: the reads count as nothing.
        assertEquals("shared event loop: ring 1.50, event loop 0.50 (of it socket writes 0.50) (µs per answer; stages timed as wall time)",
            SharedLoopSplit.describe(2_000_000L, 500_000L, 1_500_000L, 1_000));
    }
}
