/**
 * The authorizer: a deterministic, single-threaded state machine that decides every request
 * against the in-memory state. Its only inputs are an {@link org.unicard.authorizer.AuthRequest}
 * (the decoded request, the business time stamped on arrival, and the verdicts of earlier ring
 * stages such as the PIN check) and its own state; its only output is an
 * {@link org.unicard.authorizer.AuthOutcome}. No clock reads, I/O, locks or allocation happen
 * inside it, so the same requests in the same order always give the same state: that is what
 * makes replay from the journal exact.
 * <p>
 * The switch's profile of the protocol lives here too: {@link org.unicard.authorizer.ProcessingCode}
 * (field 3 split into type and account), {@link org.unicard.authorizer.ResponseCode} (field 39) and
 * {@link org.unicard.authorizer.TransactionPermissions} (spec §4). ISO-level constants (field numbers,
 * MTIs, network codes) are in the codec's {@code org.unicard.iso8583.message}.
 */
package org.unicard.authorizer;
