package org.unicard.listener;

/**
 * How one listener is configured.
 *
 * @param kind       terminal or acquirer links.
 * @param port       TCP port (0 = any free port, for tests).
 * @param binary     {@code true} for jPOS iso87binary, {@code false} for iso87ascii.
 * @param tpdu       whether every frame starts with a 5-byte TPDU.
 */
public record ListenerSettings(ListenerKind kind, int port, boolean binary, boolean tpdu)
{
}
