/**
 * The jPOS baseline the load generator compares against: a jPOS {@code ISOServer} doing the same
 * in-memory debits as the switch, without a journal. jPOS is AGPL and lives in this module only.
 */
package org.unicard.benchmarks.jpos;
