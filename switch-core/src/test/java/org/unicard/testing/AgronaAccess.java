package org.unicard.testing;

import java.lang.reflect.Method;

/**
 * Workaround until {@code bin/jvm.options} carries {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED}:
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, and without that export the first
 * {@code UnsafeBuffer} fails with IllegalAccessError. The options file already opens
 * {@code java.lang} to unnamed modules, which lets a test add the missing export itself. Call
 * {@link #open()} before any Agrona class initializes; it does nothing harmful once the flag is there.
 */
public final class AgronaAccess
{
    private static boolean opened;

    private AgronaAccess()
    {
    }

    public static synchronized void open()
    {
        if (opened)
        {
            return;
        }
        try
        {
            final Method export = Module.class.getDeclaredMethod("implAddExportsToAllUnnamed", String.class);
            export.setAccessible(true);
            export.invoke(Object.class.getModule(), "jdk.internal.misc");
            opened = true;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot export jdk.internal.misc to unnamed modules", ex);
        }
    }
}
