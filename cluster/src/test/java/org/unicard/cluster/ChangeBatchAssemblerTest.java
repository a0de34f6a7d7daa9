package org.unicard.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.changes.ChangeParser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChangeBatchAssemblerTest
{
    private static final byte[] BODY = body(2 * LogMessages.MAX_CHANGE_CHUNK_BYTES + 100);
    private static final byte[] SHA256 = ChangeParser.sha256(BODY);

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES]);
    private final ChangeBatchAssembler assembler = new ChangeBatchAssembler();

    @Test
    void shouldPutTheChunksOfABatchTogether()
    {
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 4, 1));
        assertEquals(1, assembler.inAssembly());
        final ChangeBatchAssembler.Batch batch = chunk(1, 9L, 4, 2);
        assertNotNull(batch);
        assertEquals(1, batch.origin());
        assertEquals(9L, batch.incarnation());
        assertEquals(4, batch.correlation());
        assertEquals("batch-1", batch.id());
        assertArrayEquals(SHA256, batch.sha256());
        assertArrayEquals(BODY, batch.body());
        assertEquals(0, assembler.inAssembly());
    }

    @Test
    void shouldStartAgainAtChunkZeroWhenTheBatchIsOfferedWholeAgain()
    {
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 4, 1));
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 4, 1));
        assertArrayEquals(BODY, chunk(1, 9L, 4, 2).body());
    }

    @Test
    void shouldDropABatchWhoseChunksDoNotFollow()
    {
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 4, 2), "a gap");
        assertEquals(0, assembler.inAssembly());
        assertNull(chunk(1, 9L, 4, 1), "nothing to follow any more");
        assertNull(chunk(1, 9L, 4, 2));
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 8L, 4, 1), "another incarnation");
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 5, 1), "another batch number");
        assertEquals(0, assembler.inAssembly());
    }

    @Test
    void shouldKeepOneBatchPerOriginMember()
    {
        assertNull(chunk(0, 1L, 1, 0));
        assertNull(chunk(2, 3L, 1, 0));
        assertNull(chunk(0, 1L, 1, 1));
        assertNull(chunk(2, 3L, 1, 1));
        assertEquals(0, chunk(0, 1L, 1, 2).origin());
        assertEquals(2, chunk(2, 3L, 1, 2).origin());
    }

    @Test
    void shouldChangeNothingForAnEntryOutOfRange()
    {
        assertNull(chunk(1, 9L, 4, 0));
        LogMessages.encodeChangeChunk(buffer, 1, 9L, 4, "batch-1", SHA256, BODY, 1);
        final int length = LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES;
        assertNull(assembler.onChunk(buffer, 0, length - 1), "length differs from the chunk's bytes");
        buffer.putInt(LogMessages.HEADER_BYTES + 8 + 4, -1);
        assertNull(assembler.onChunk(buffer, 0, length), "negative body length");
        LogMessages.encodeChangeChunk(buffer, 17, 9L, 4, "batch-1", SHA256, BODY, 1);
        assertNull(assembler.onChunk(buffer, 0, length), "origin beyond the members");
        assertEquals(1, assembler.inAssembly(), "the batch in assembly is kept");
        assertNull(chunk(1, 9L, 4, 1));
        assertArrayEquals(BODY, chunk(1, 9L, 4, 2).body());
    }

    @Test
    void shouldCarryTheBatchesInAssemblyThroughASnapshot() throws IOException
    {
        assertNull(chunk(1, 9L, 4, 0));
        assertNull(chunk(1, 9L, 4, 1));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assembler.write(new DataOutputStream(bytes));
        final ChangeBatchAssembler loaded = new ChangeBatchAssembler();
        loaded.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(1, loaded.inAssembly());
        final int length = LogMessages.encodeChangeChunk(buffer, 1, 9L, 4, "batch-1", SHA256, BODY, 2);
        assertArrayEquals(BODY, loaded.onChunk(buffer, 0, length).body(), "the member started from the snapshot completes the batch");

        final byte[] damaged = bytes.toByteArray();
        damaged[3] = 2;
        assertEquals("change batch assemblies: version=2 expected=1", assertThrows(IOException.class,
            () -> new ChangeBatchAssembler().read(new DataInputStream(new ByteArrayInputStream(damaged)))).getMessage());
    }

    private ChangeBatchAssembler.Batch chunk(final int origin, final long incarnation, final long correlation, final int chunk)
    {
        final int length = LogMessages.encodeChangeChunk(buffer, origin, incarnation, correlation, "batch-1", SHA256, BODY, chunk);
        return assembler.onChunk(buffer, 0, length);
    }

    private static byte[] body(final int length)
    {
        final byte[] body = new byte[length];
        for (int i = 0; i < length; i++)
        {
            body[i] = (byte)(' ' + i % 90);
        }
        return body;
    }
}
