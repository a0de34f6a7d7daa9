/**
 * Simulated terminals: a pipelining ISO 8583 client over TCP and a builder of terminal requests
 * (with PIN blocks and MACs), used by the demo and by the load generator. Not on the switch's
 * request path.
 */
package org.unicard.tools.terminal;
