/**
 * Simulated terminals: a pipelining ISO 8583 client over TCP and a builder of terminal requests
 * (with PIN blocks and MACs), used by every traffic generator (the demo, the load test, crash
 * torture, overload, the ring-stage benchmark) through {@code org.unicard.tools.traffic}. Not on
 * the switch's request path, nor in its jar.
 */
package org.unicard.tools.terminal;
