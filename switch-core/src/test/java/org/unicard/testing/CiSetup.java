package org.unicard.testing;

import java.util.Map;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What a test does when it cannot set up its fault or precondition (mount a tmpfs, run without
 * {@code UNICARD_LMK}, ...): under CI ({@code CI=true} in the environment, as CI sets it) it
 * fails, naming what could not be set up, so that CI never stops exercising a fault without anyone
 * noticing; elsewhere it is skipped with the reason as JUnit's skip message (Maven's build prints
 * a WARNING line with the class and the number skipped; the reason is in
 * {@code target/surefire-reports}), and the reason is also printed on standard error (in a Maven
 * build, the class's {@code -output.txt} report).
 */
public final class CiSetup
{
    /** The environment variable CI sets to {@code true}. */
    public static final String CI_VARIABLE = "CI";

    private CiSetup()
    {
    }

    /**
     * @param setUp whether the setup succeeded.
     * @param what  what could not be set up, and why (shown when it did not succeed).
     * @throws AssertionFailedError under CI when {@code setUp} is false.
     * @throws TestAbortedException elsewhere when {@code setUp} is false (JUnit skips the test).
     */
    public static void requireSetUp(final boolean setUp, final String what)
    {
        requireSetUp(setUp, what, System.getenv());
    }

    /**
     * {@link #requireSetUp(boolean, String)} with the environment given, for tests of this class.
     *
     * @param environment the process environment to read {@code CI} from.
     */
    public static void requireSetUp(final boolean setUp, final String what, final Map<String, String> environment)
    {
        if (setUp)
        {
            return;
        }
        if (isCi(environment))
        {
            throw new AssertionFailedError("test setup failed under CI=true, so the test fails instead of being skipped: " + what);
        }
        final String reason = "test skipped (it would fail with CI=true): " + what;
        System.err.println(reason);
        throw new TestAbortedException(reason);
    }

    /**
     * @param environment the process environment.
     * @return whether it says the tests run under CI ({@code CI=true}, any case).
     */
    public static boolean isCi(final Map<String, String> environment)
    {
        return "true".equalsIgnoreCase(environment.get(CI_VARIABLE));
    }
}
