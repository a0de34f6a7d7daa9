/**
 * Settlement: what the switch owes or is owed per terminal and program for a business day, read
 * from the journal as a tailer (never from the authorizer): purchases, returns and reversals that
 * were approved, and the net, in loaves for bread and piasters for everything else.
 */
package org.unicard.settlement;
