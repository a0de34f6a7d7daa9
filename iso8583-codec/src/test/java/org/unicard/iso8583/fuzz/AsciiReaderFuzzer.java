package org.unicard.iso8583.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * Coverage-guided fuzzing of {@link org.unicard.iso8583.message.IsoMessageReader} in the binary
 * dialect (iso87binary): the input is one message body, MTI first. Checks
 * {@link ReaderProperties}. Seeds: {@code AsciiReaderFuzzerInputs/fuzz/} in the test resources
 * (written by {@link FuzzSeeds}).
 * <p>
 * Without {@code JAZZER_FUZZ} the target runs once per seed (regression mode); with it, Jazzer
 * mutates the seeds for {@code maxDuration} ({@code JAZZER_MAX_DURATION} overrides it; see
 * {@code iso8583-codec/run-fuzz}).
 */
class AsciiReaderFuzzer
{
    private final ReaderProperties properties = new ReaderProperties(IsoDialect.ASCII);

    @FuzzTest(maxDuration = FuzzSeeds.CI_DURATION)
    void fuzz(final byte[] body)
    {
        properties.check(body);
    }
}
