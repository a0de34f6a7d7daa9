/**
 * Card-security primitives: double-length TDES keys with precomputed DES schedules
 * ({@link org.unicard.security.TdesKey}), key storage under the local master key
 * ({@link org.unicard.security.LocalMasterKey}, {@link org.unicard.security.KeyCipher},
 * {@link org.unicard.security.Hex}), Visa PVV ({@link org.unicard.security.PinVerificationValue}),
 * ISO 9564-1 format 0 PIN blocks and the ISO 9797-1 algorithm 3 (ANSI X9.19) retail MAC.
 * <p>
 * DES is implemented here in pure Java so that the hot-path operations (block encrypt and decrypt,
 * PIN-block decode, PVV verify, MAC compute and verify) allocate nothing and take no locks, which a
 * JCE {@code Cipher} does not promise. Keys are immutable and shared freely between threads.
 * <p>
 * Nothing in this package puts a key, a PIN or a PIN block into an exception message, a log line or
 * a {@code toString()}: messages name the problem and its position, never the value.
 */
package org.unicard.security;
