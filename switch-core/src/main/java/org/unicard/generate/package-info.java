/**
 * The synthetic data-set generator behind {@code bin/unicard generate}: households, cards,
 * terminals, acquirers and keys in the formats of spec §10, deterministic for a seed, written as a
 * stream (households in fixed-size chunks rendered in parallel and written in order) so memory
 * stays constant up to the national size.
 */
package org.unicard.generate;
