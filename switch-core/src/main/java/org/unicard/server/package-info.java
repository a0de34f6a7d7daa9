/**
 * The switch as one process: imports the data set, opens and replays the journal, starts the
 * ring, the listeners and HTTP, and stops them in order.
 */
package org.unicard.server;
