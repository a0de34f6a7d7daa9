package org.unicard.cluster;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.authorizer.AuthRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogMessagesTest
{
    @Test
    void shouldCarryEveryFieldOfTheDecodedRequestButItsBusinessTime()
    {
        final AuthRequest request = new AuthRequest();
        request.clear();
        request.mti = 420;
        request.businessTimeMs = 123_456;
        request.sourceType = AuthRequest.SOURCE_ACQUIRER;
        request.sourceIndex = 7;
        request.terminalId = 0x4730303030303031L;
        request.stan = 999_999;
        request.transmissionDateTime = 1_123_090_000L;
        request.pan = 5_078_031_000_000_017L;
        request.panDigits = 16;
        request.processingCode = 9400;
        request.amount = 1_500;
        request.currency = 818;
        request.expiry = 3012;
        request.pinResult = AuthRequest.PIN_WRONG;
        request.acquirerId = 12_345_678_901L;
        request.originalMti = 200;
        request.originalStan = 17;
        request.originalTransmissionDateTime = 1_123_085_959L;
        request.originalAcquirer = 12_345_678_901L;
        request.contentHash = 0xDEADBEEFCAFEF00DL;
        request.command = AuthRequest.COMMAND_BLOCK_STOLEN;

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = LogMessages.encodeRequest(buffer, 2, 0x1122334455L, 4_097, request);
        assertEquals(LogMessages.REQUEST_BYTES, length);
        assertEquals(LogMessages.TYPE_REQUEST, LogMessages.type(buffer, 0));
        assertEquals(2, LogMessages.origin(buffer, 0));
        assertEquals(0x1122334455L, LogMessages.incarnation(buffer, 0));
        assertEquals(4_097, LogMessages.correlation(buffer, 0));

        final AuthRequest decoded = new AuthRequest();
        decoded.clear();
        LogMessages.decodeRequest(buffer, 0, decoded);
        request.businessTimeMs = 0;
        final AuthRequest expected = new AuthRequest();
        expected.copyFrom(request);
        assertEquals(describe(expected), describe(decoded));
    }

    @Test
    void shouldCarryTheClockOffset()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertEquals(LogMessages.CLOCK_BYTES, LogMessages.encodeClock(buffer, 1, 5, -859_637_848L));
        assertEquals(LogMessages.TYPE_CLOCK, LogMessages.type(buffer, 0));
        assertEquals(-859_637_848L, LogMessages.clockOffsetMs(buffer, 0));
    }

    @Test
    void shouldCutAChangeBatchIntoChunksThatPutItBackTogether()
    {
        final byte[] body = new byte[2 * LogMessages.MAX_CHANGE_CHUNK_BYTES + 17];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)('a' + i % 26);
        }
        final byte[] sha256 = org.unicard.changes.ChangeParser.sha256(body);
        assertEquals(3, LogMessages.changeChunks(body.length));
        assertEquals(1, LogMessages.changeChunks(0));
        assertEquals(1024, LogMessages.MAX_CHANGE_CHUNKS, "64 MiB in 64 KiB chunks");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES]);
        final byte[] assembled = new byte[body.length];
        int filled = 0;
        for (int chunk = 0; chunk < 3; chunk++)
        {
            final int length = LogMessages.encodeChangeChunk(buffer, 2, 77L, 5, "batch-7.a_b", sha256, body, chunk);
            assertEquals(LogMessages.TYPE_CHANGE_BATCH, LogMessages.type(buffer, 0));
            assertEquals(2, LogMessages.origin(buffer, 0));
            assertEquals(77L, LogMessages.incarnation(buffer, 0));
            assertEquals(5, LogMessages.correlation(buffer, 0));
            assertEquals(chunk, LogMessages.changeChunk(buffer, 0));
            assertEquals(3, LogMessages.changeChunks(buffer, 0));
            assertEquals(body.length, LogMessages.changeBodyBytes(buffer, 0));
            assertEquals("batch-7.a_b", LogMessages.changeBatchId(buffer, 0));
            assertArrayEquals(sha256, LogMessages.changeSha256(buffer, 0));
            final int chunkBytes = LogMessages.changeChunkBytes(buffer, 0);
            assertEquals(chunk < 2 ? LogMessages.MAX_CHANGE_CHUNK_BYTES : 17, chunkBytes);
            assertEquals(LogMessages.CHANGE_CHUNK_HEADER_BYTES + chunkBytes, length);
            buffer.getBytes(LogMessages.CHANGE_CHUNK_HEADER_BYTES, assembled, filled, chunkBytes);
            filled += chunkBytes;
        }
        assertArrayEquals(body, assembled);
        assertTrue(LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES <= 128 * 1024,
            "an entry fits the ingress channel's largest message (1 MiB term / 8)");
    }

    @Test
    void shouldRefuseToEncodeAChunkOutsideTheBatch()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LogMessages.CHANGE_CHUNK_HEADER_BYTES + LogMessages.MAX_CHANGE_CHUNK_BYTES]);
        final byte[] sha256 = new byte[32];
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LogMessages.encodeChangeChunk(buffer, 0, 1, 1, "b", sha256, new byte[10], 1));
        assertEquals("chunk=1 chunks=1 id-length=1 sha256-length=32", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogMessages.encodeChangeChunk(buffer, 0, 1, 1, "x".repeat(65), sha256, new byte[1], 0));
        assertThrows(IllegalArgumentException.class, () -> LogMessages.encodeChangeChunk(buffer, 0, 1, 1, "b", new byte[31], new byte[1], 0));
    }

    private static String describe(final AuthRequest r)
    {
        return String.join(",", String.valueOf(r.mti), String.valueOf(r.businessTimeMs), String.valueOf(r.sourceType),
            String.valueOf(r.sourceIndex), String.valueOf(r.terminalId), String.valueOf(r.stan), String.valueOf(r.transmissionDateTime),
            String.valueOf(r.pan), String.valueOf(r.panDigits), String.valueOf(r.processingCode), String.valueOf(r.amount),
            String.valueOf(r.currency), String.valueOf(r.expiry), String.valueOf(r.pinResult), String.valueOf(r.acquirerId),
            String.valueOf(r.originalMti), String.valueOf(r.originalStan), String.valueOf(r.originalTransmissionDateTime),
            String.valueOf(r.originalAcquirer), String.valueOf(r.contentHash), String.valueOf(r.command));
    }
}
