/**
 * Citizen notifications (spec §14): a tailer of the journal on its own thread of the serve process
 * ({@link org.unicard.notify.Notifier}) turns each decided record into citizen events
 * ({@link org.unicard.notify.RecordEvents}), folds bread and the month into per-household tallies
 * ({@link org.unicard.notify.HouseholdTally}) for the daily bread digest and the monthly statement, and
 * POSTs them in batches to the SMS/app gateway ({@link org.unicard.notify.GatewayClient}), at least once,
 * each with a key that is the same on every retry and restart. Its position
 * ({@link org.unicard.notify.NotifierPosition}) is a small file written atomically after each delivered
 * batch. It never touches the ring: the journal is its only input and its queue.
 */
package org.unicard.notify;
