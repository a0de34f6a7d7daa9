/**
 * The one traffic model every generator draws on: the demo, the load test, crash torture, the
 * overload and idle-connection programs, the ring-stage benchmark and fill-journal's synthetic
 * requests. Written once here: which cards and terminals can transact
 * ({@link org.unicard.tools.traffic.UsablePools}); a data-set terminal as a simulator sends from
 * it, the purchases it sends and field 7 ({@link org.unicard.tools.traffic.SimulatedTerminal},
 * {@link org.unicard.tools.traffic.Purchases}, {@link org.unicard.tools.traffic.TransmissionClock});
 * reading answers ({@link org.unicard.tools.traffic.Answers}); polling a child switch's
 * {@code /health} ({@link org.unicard.tools.traffic.HealthProbe}); and decoded requests for the
 * authorizer and journal at scale ({@link org.unicard.tools.traffic.SyntheticTraffic}).
 */
package org.unicard.tools.traffic;
