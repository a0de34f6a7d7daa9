package org.unicard.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster snapshot's section of what logged commands hold between entries.
 */
class LoggedCommandsSnapshotTest
{
    /** A command that holds a few bytes between entries, as a batch in assembly does. */
    private static final class Holding implements LogMessages.LoggedCommand
    {
        byte[] held;

        Holding(final byte[] held)
        {
            this.held = held;
        }

        @Override
        public void apply(final DirectBuffer buffer, final int offset, final int length, final long businessTimeMs)
        {
        }

        @Override
        public void snapshot(final DataOutput out) throws IOException
        {
            out.writeInt(held.length);
            out.write(held);
        }

        @Override
        public void load(final DataInput in) throws IOException
        {
            held = new byte[in.readInt()];
            in.readFully(held);
        }
    }

    @Test
    void shouldGiveEachCommandBackWhatItHeld()
    {
        final LogMessages.LoggedCommand[] writer = new LogMessages.LoggedCommand[LogMessages.TYPES];
        writer[LogMessages.TYPE_CHANGE_BATCH] = new Holding(new byte[] {1, 2, 3, 4, 5});
        final byte[] section = LoggedCommandsSnapshot.write(writer);

        final Holding member = new Holding(new byte[0]);
        final LogMessages.LoggedCommand[] reader = new LogMessages.LoggedCommand[LogMessages.TYPES];
        reader[LogMessages.TYPE_CHANGE_BATCH] = member;
        LoggedCommandsSnapshot.load(section, reader);

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, member.held);
    }

    @Test
    void shouldLoadNothingFromASnapshotWithoutTheSection()
    {
        final Holding member = new Holding(new byte[] {9});
        final LogMessages.LoggedCommand[] reader = new LogMessages.LoggedCommand[LogMessages.TYPES];
        reader[LogMessages.TYPE_CHANGE_BATCH] = member;
        LoggedCommandsSnapshot.load(new byte[0], reader);
        assertArrayEquals(new byte[] {9}, member.held, "what it held is left alone");
        assertEquals(4, LoggedCommandsSnapshot.write(new LogMessages.LoggedCommand[LogMessages.TYPES]).length, "no command: a count of 0");
    }

    @Test
    void shouldStopTheMemberWhenTheSectionNamesACommandItDoesNotHave()
    {
        final LogMessages.LoggedCommand[] writer = new LogMessages.LoggedCommand[LogMessages.TYPES];
        writer[LogMessages.TYPE_CHANGE_BATCH] = new Holding(new byte[] {7});
        final byte[] section = LoggedCommandsSnapshot.write(writer);

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> LoggedCommandsSnapshot.load(section, new LogMessages.LoggedCommand[LogMessages.TYPES]));
        assertTrue(refused.getMessage().contains("logged commands: type=" + LogMessages.TYPE_CHANGE_BATCH + " has no handler"),
            refused.getMessage());

        final byte[] cut = java.util.Arrays.copyOf(section, section.length - 1);
        final LogMessages.LoggedCommand[] reader = new LogMessages.LoggedCommand[LogMessages.TYPES];
        reader[LogMessages.TYPE_CHANGE_BATCH] = new Holding(new byte[0]);
        final IllegalStateException damaged = assertThrows(IllegalStateException.class, () -> LoggedCommandsSnapshot.load(cut, reader));
        assertTrue(damaged.getMessage().contains("length=5 available=4"), damaged.getMessage());
    }
}
