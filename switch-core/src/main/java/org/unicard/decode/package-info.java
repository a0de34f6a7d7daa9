/**
 * Decoding and verification, the ring stage before the authorizer: parse the frame, answer format
 * errors (30), unknown terminals or acquirers (03) and bad MACs (63) without the authorizer, and turn
 * the rest into an {@link org.unicard.authorizer.AuthRequest} with the PIN already verified.
 */
package org.unicard.decode;
