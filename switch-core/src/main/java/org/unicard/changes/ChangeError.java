package org.unicard.changes;

/**
 * One reason a change batch is refused (spec §12: {@code {"line":N,"field":NAME,"reason":TEXT}}).
 *
 * @param line   the batch line, from 1; 0 for the batch as a whole.
 * @param field  the column, or {@code null} when the line as a whole is wrong (bad JSON, a capacity).
 * @param reason what is wrong, never a key or a full PAN.
 */
public record ChangeError(long line, String field, String reason)
{
}
