package org.unicard.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedLoopSplitTest
{
    @Test
    void shouldSplitTheLoopsCpuPerAnswerIntoTheStagesAndTheRest()
    {
        assertEquals("shared event loop: ring stages 7.10, the rest 1.50 (µs per answer; stages as wall time)",
            SharedLoopSplit.describe(710_000_000L, 860_000_000L, 100_000));
    }

    @Test
    void shouldNotGoBelowZeroWhenWallTimeInTheStagesExceedsTheLoopsCpu()
    {
        // A preempted drain counts wall time the loop did not spend on a CPU.
        assertEquals("shared event loop: ring stages 2.00, the rest 0.00 (µs per answer; stages as wall time)",
            SharedLoopSplit.describe(2_000_000L, 1_500_000L, 1_000));
    }
}
