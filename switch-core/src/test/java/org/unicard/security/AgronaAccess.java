package org.unicard.security;

import java.lang.reflect.Method;

/**
 * Agrona 2.x buffers need {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which the
 * shared {@code bin/jvm.options} does not yet pass to the tests. Until it does, the tests in this
 * package export the package themselves through the module system's own method (reachable because
 * the options open {@code java.lang}), so that they can run with Agrona buffers. Production code
 * needs the flag on the command line; this is a test-only bridge.
 */
final class AgronaAccess
{
    static
    {
        final Module base = Object.class.getModule();
        if (!base.isExported("jdk.internal.misc", AgronaAccess.class.getModule()))
        {
            try
            {
                final Method export = Module.class.getDeclaredMethod("implAddExportsToAllUnnamed", String.class);
                export.setAccessible(true);
                export.invoke(base, "jdk.internal.misc");
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                throw new IllegalStateException(
                    "run the tests with --add-exports java.base/jdk.internal.misc=ALL-UNNAMED", ex);
            }
        }
    }

    private AgronaAccess()
    {
    }

    /** Makes sure the export is in place; call before the first Agrona buffer is created. */
    static void ensure()
    {
    }
}
