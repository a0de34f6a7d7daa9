/**
 * The switch's in-memory state as struct-of-arrays tables: households, cards, terminals and
 * acquirers, indexed densely, with primitive open-addressing indexes from external ids (PAN,
 * terminal id, household id, acquirer id) to those dense indexes.
 * <p>
 * The tables are filled once by the importer and afterwards changed only by the authorizer thread
 * (balances, counters, statuses). Fields that never change after import (PAN, PVV, keys, terminal
 * types) may be read by other ring stages, because the tables are published to them before the
 * ring starts.
 */
package org.unicard.state;
