/**
 * {@code bin/unicard export}: the switch's current master data written back as a §10 data set
 * ({@link org.unicard.export.DataSetExporter}).
 */
package org.unicard.export;
