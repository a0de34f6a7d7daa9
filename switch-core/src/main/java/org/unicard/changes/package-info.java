/**
 * Live data changes (spec §12): change batches in JSON Lines, parsed and validated off the ring
 * ({@link org.unicard.changes.ChangeParser}), applied between two requests
 * ({@link org.unicard.changes.ChangeApplier}), remembered for exactly-once
 * ({@link org.unicard.changes.BatchMemory}), kept next to the journal ({@link org.unicard.changes.ChangeFiles}),
 * and posted by {@link org.unicard.changes.ChangesClient}.
 */
package org.unicard.changes;
