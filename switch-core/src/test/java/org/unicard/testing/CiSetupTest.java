package org.unicard.testing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CiSetup}: a setup that could not be made fails the test under {@code CI=true}, naming
 * what could not be set up, and skips it elsewhere.
 */
class CiSetupTest
{
    private static final String WHAT = "mount -t tmpfs at /tmp/x: exit 32: mount: only root can do that";

    @Test
    void shouldFailNamingTheSetupWhenItCannotBeMadeUnderCi()
    {
        final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
            () -> CiSetup.requireSetUp(false, WHAT, Map.of("CI", "true")));
        assertTrue(failure.getMessage().contains(WHAT), failure.getMessage());
        assertTrue(failure.getMessage().contains("CI=true"), failure.getMessage());
    }

    @Test
    void shouldFailUnderCiWhateverTheCaseOfTrue()
    {
        assertThrows(AssertionFailedError.class, () -> CiSetup.requireSetUp(false, WHAT, Map.of("CI", "TRUE")));
    }

    @Test
    void shouldSkipWithTheReasonWhenItCannotBeMadeOutsideCi()
    {
        final TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> CiSetup.requireSetUp(false, WHAT, Map.of()));
        assertTrue(skipped.getMessage().contains(WHAT), skipped.getMessage());
    }

    @Test
    void shouldSkipWhenCiIsSetToAnythingButTrue()
    {
        assertThrows(TestAbortedException.class, () -> CiSetup.requireSetUp(false, WHAT, Map.of("CI", "false")));
        assertThrows(TestAbortedException.class, () -> CiSetup.requireSetUp(false, WHAT, Map.of("CI", "")));
    }

    @Test
    void shouldLetTheTestRunWhenTheSetupWasMade()
    {
        assertDoesNotThrow(() -> CiSetup.requireSetUp(true, WHAT, Map.of("CI", "true")));
        assertDoesNotThrow(() -> CiSetup.requireSetUp(true, WHAT, Map.of()));
    }

    @Test
    void shouldReadCiFromTheEnvironment()
    {
        assertTrue(CiSetup.isCi(Map.of("CI", "true")));
        assertFalse(CiSetup.isCi(Map.of()));
    }
}
