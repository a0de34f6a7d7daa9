/**
 * The authorizer: a deterministic, single-threaded state machine that decides every request
 * against the in-memory state. Its only inputs are an {@link org.unicard.authorizer.AuthRequest}
 * (the decoded request, the business time stamped on arrival, and the verdicts of earlier ring
 * stages such as the PIN check) and its own state; its only output is an
 * {@link org.unicard.authorizer.AuthOutcome}. No clock reads, I/O, locks or allocation happen
 * inside it, so the same requests in the same order always give the same state: that is what
 * makes replay from the journal exact.
 */
package org.unicard.authorizer;
