/**
 * A stand-in for the SMS/app gateway of spec §14, for the demo, drills and tests: an HTTP receiver
 * ({@link org.unicard.tools.gateway.GatewaySimulator}) that checks each POSTed event against the
 * contract, drops duplicate keys as the real gateway does, records what it accepted, and can be told
 * to fail or hang; {@code bin/unicard gateway} ({@link org.unicard.tools.gateway.GatewayCommand}) runs it.
 */
package org.unicard.tools.gateway;
