/**
 * The listeners: Netty servers for terminal and acquirer links. Each connection splits its byte
 * stream into frames and copies every frame into a ring slot on the event loop (no parsing there),
 * and writes the responses the reply stage hands it back, in batches. Every connection has a bound
 * on requests in flight; beyond it the switch stops reading from that connection. A listener may
 * speak TLS ({@code ListenerTls} builds its context; the acquirer listener's settings say when).
 * Overload answers (91) are given on the event loop, signed when the terminal has a MAC key. On a
 * graceful stop the listeners stop accepting and reading, and each connection closes once its last
 * answer is on the socket ({@code ListenerServer#stopReading}).
 */
package org.unicard.listener;
