/**
 * The ring: a Disruptor of preallocated {@link org.unicard.ring.RequestEvent} slots carrying each
 * request through four stages: decode and verify, authorize (one thread), journal, reply. The
 * reply stage runs after the journal stage, so a response never leaves before its record is in
 * the journal.
 */
package org.unicard.ring;
