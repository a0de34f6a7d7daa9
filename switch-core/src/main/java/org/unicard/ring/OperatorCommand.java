package org.unicard.ring;

import java.util.concurrent.CompletableFuture;

import org.unicard.authorizer.AuthOutcome;

/**
 * An operator action travelling through the ring (spec §11: status, block, collect, PIN reset).
 * The HTTP thread publishes it and waits on {@link #result()}; the reply stage completes it with a
 * copy of the outcome once the command is journaled. Allocated per command: the operator path is
 * not the hot path.
 *
 * @param command one of {@code AuthRequest.COMMAND_*}.
 * @param pan     the card's PAN.
 * @param panDigits its digit count.
 * @param result  completed with the outcome.
 */
public record OperatorCommand(byte command, long pan, int panDigits, CompletableFuture<AuthOutcome> result)
{
    /**
     * @return a new command waiting for its result.
     */
    public static OperatorCommand of(final byte command, final long pan, final int panDigits)
    {
        return new OperatorCommand(command, pan, panDigits, new CompletableFuture<>());
    }
}
