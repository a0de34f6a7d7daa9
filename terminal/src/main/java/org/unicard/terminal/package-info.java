/**
 * The terminal side of the wire: a builder of terminal requests (with PIN blocks and MACs, as a
 * bakery or grocer terminal sends them) and a pipelining ISO 8583 client over TCP. Used by the
 * switch's own wire tests and by every traffic generator (the demo, the load test, crash torture,
 * overload, the ring-stage benchmark, through {@code org.unicard.tools.traffic}). Never on the
 * switch's request path, nor in its jar. Also the ports such a tool or test gives a switch it starts
 * as a child process ({@link org.unicard.terminal.LocalPorts}).
 */
package org.unicard.terminal;
