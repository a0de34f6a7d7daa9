/**
 * Snapshots of the whole in-memory state (tables with their indexes, duplicate window, spend ledger,
 * authorizer counters and rules) with the journal position they include, so a restart loads a file
 * and replays only the journal's tail. Written by a separate process ({@code unicard snapshot}) at a
 * bounded rate; never by the live switch. See docs/design.md, "Snapshots and fast restart".
 */
package org.unicard.snapshot;
