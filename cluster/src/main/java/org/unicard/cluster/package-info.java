/**
 * Spec §13: the switch replicated on Aeron Cluster (Raft). Every member is a stateless gateway in
 * front of the replicated log (listeners, framing, decoding, MAC and PIN checks run as on a single
 * machine); {@link org.unicard.cluster.ClusterSequencer} replaces the ring's authorize and journal
 * stages: stage 2 hands each decoded request to {@link org.unicard.cluster.ClusterGateway}, which
 * offers it to the cluster (and offers it again after a leader change or a timeout), and stage 3
 * waits for the decision. Every member's {@link org.unicard.cluster.SwitchClusteredService} decides
 * every committed entry with the same deterministic {@link org.unicard.authorizer.Authorizer}, at
 * the leader's log timestamp, journals it, and hands the decisions of requests this member received
 * back to its ring ({@link org.unicard.cluster.PendingDecisions}). The only module that depends on Aeron.
 */
package org.unicard.cluster;
