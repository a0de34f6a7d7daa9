/**
 * JMH benchmarks of the {@code iso8583-codec} module, mirroring its packages, with jPOS 3.0.1's
 * {@code GenericPackager} as the baseline in the same run.
 */
package org.unicard.iso8583;
