/**
 * Import of a data directory (spec §10) into the switch's state tables: a streaming RFC 4180
 * reader over bytes, one validating loader per file, and {@link org.unicard.importer.DataSetImporter},
 * which returns a whole {@link org.unicard.state.DataSet} or throws an
 * {@link org.unicard.importer.ImportException} naming the file, line, column and reason of the
 * first bad row.
 */
package org.unicard.importer;
