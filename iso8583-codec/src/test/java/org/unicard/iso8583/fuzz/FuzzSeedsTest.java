package org.unicard.iso8583.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.message.IsoMessageReader;

/**
 * The committed seed files are what {@link FuzzSeeds} generates, and every seed message is valid
 * with the MTI its name says and passes {@link ReaderProperties}.
 */
class FuzzSeedsTest
{
    @Test
    void shouldCommitTheGeneratedBinarySeeds() throws IOException
    {
        assertCommitted("BinaryReaderFuzzerInputs/fuzz/", FuzzSeeds.messages(IsoDialect.BINARY));
    }

    @Test
    void shouldCommitTheGeneratedAsciiSeeds() throws IOException
    {
        assertCommitted("AsciiReaderFuzzerInputs/fuzz/", FuzzSeeds.messages(IsoDialect.ASCII));
    }

    @Test
    void shouldCommitTheGeneratedSplitterSeeds() throws IOException
    {
        assertCommitted("FrameSplitterFuzzerInputs/fuzz/", FuzzSeeds.splitterInputs());
    }

    @Test
    void shouldSeedValidMessagesOfEveryType()
    {
        for (final IsoDialect dialect : new IsoDialect[]{IsoDialect.BINARY, IsoDialect.ASCII})
        {
            final IsoMessageReader reader = new IsoMessageReader(dialect);
            final ReaderProperties properties = new ReaderProperties(dialect);
            final Map<String, byte[]> messages = FuzzSeeds.messages(dialect);
            assertEquals(5, messages.size());
            for (final Map.Entry<String, byte[]> seed : messages.entrySet())
            {
                final byte[] body = seed.getValue();
                reader.wrap(new UnsafeBuffer(body), 0, body.length);
                assertTrue(reader.isValid(), seed.getKey() + " " + reader.error());
                assertEquals(Integer.parseInt(seed.getKey().substring(0, 4)), reader.mti(), seed.getKey());
                assertTrue(reader.numeric(11) > 0, seed.getKey());
                assertTrue(properties.check(body), seed.getKey());
            }
            assertEquals(5, properties.accepted());
        }
    }

    private static void assertCommitted(final String folder, final Map<String, byte[]> expected) throws IOException
    {
        for (final Map.Entry<String, byte[]> seed : expected.entrySet())
        {
            final String resource = "/" + FuzzSeeds.RESOURCE_FOLDER + folder + seed.getKey();
            try (InputStream in = FuzzSeedsTest.class.getResourceAsStream(resource))
            {
                assertNotNull(in, resource + " missing: regenerate with FuzzSeeds");
                assertArrayEquals(seed.getValue(), in.readAllBytes(), resource + " differs: regenerate with FuzzSeeds");
            }
        }
    }
}
