/**
 * The simulator and its tools, apart from the switch: {@link org.unicard.tools.ToolsMain} runs
 * {@code bin/unicard demo}; {@code terminal} holds the simulated terminal (a request builder with
 * PIN blocks and MACs, a pipelining TCP client), {@code traffic} the one traffic model every
 * generator uses (which cards and terminals can transact, request building, {@code /health}
 * polling), {@code demo} the Port Said pilot, {@code gateway} the citizen-notification gateway
 * simulator ({@code bin/unicard gateway}). Depends on {@code switch-core}; the switch never
 * depends on this module.
 */
package org.unicard.tools;
