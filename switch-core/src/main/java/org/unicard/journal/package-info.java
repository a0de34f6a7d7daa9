/**
 * The journal: every input the authorizer decided, with what it decided, appended to a Chronicle
 * Queue before the response leaves the switch. Records are fixed-layout little-endian with a
 * CRC-32C each ({@link org.unicard.journal.JournalRecord}); the queue is the system of record,
 * replayed for recovery and tailed by settlement, never read by the authorizer itself.
 */
package org.unicard.journal;
