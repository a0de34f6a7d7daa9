/**
 * HTTP on 127.0.0.1: {@code /health} (200 once the switch takes traffic, 503 with the phase and
 * progress before), and later {@code /metrics} and the operator API. Served by the JDK's HTTP
 * server on its own thread, far from the hot path.
 */
package org.unicard.http;
