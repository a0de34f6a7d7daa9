package org.unicard.server;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicard.concurrent.SchedulerSlice;
import org.unicard.concurrent.ThreadPriorities;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad thread setting (nice values, the request path's slice) stops the start before anything runs,
 * with the property named; the same data then starts once the value is mended.
 */
class ThreadSettingsStartTest
{
    @TempDir
    Path directory;

    @AfterEach
    void clearProperties()
    {
        System.clearProperty(ThreadPriorities.BACKGROUND_NICE_PROPERTY);
        System.clearProperty(ThreadPriorities.JIT_NICE_PROPERTY);
        System.clearProperty(SchedulerSlice.PROPERTY);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"unicard.threads.background-nice, 20", "unicard.threads.jit-nice, -1", "unicard.threads.loop-slice-us, 50",
        "unicard.threads.loop-slice-us, fast"})
    void shouldRefuseABadThreadSettingBeforeAnythingStarts(final String property, final String value) throws Exception
    {
        WireData.write(directory);
        final Path config = directory.resolve("switch.properties");
        Files.writeString(config, "ring.threads = shared\n");
        final SwitchOptions options =
            new SwitchOptions(directory, directory.resolve("journal"), config, 0, 0, 0, WireData.CLOCK, WireData.LMK_HEX, null);
        System.setProperty(property, value);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> UnicardSwitch.start(options).close());
        assertTrue(refused.getMessage().contains(property + "=" + value), refused.getMessage());

        System.clearProperty(property);
        try (UnicardSwitch unicard = UnicardSwitch.start(options))
        {
            assertTrue(unicard.terminalPort() > 0, "the refused start left nothing behind: the same data starts");
        }
    }
}
