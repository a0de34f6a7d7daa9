/**
 * Business time: the switch's clock (real time, optionally started at a chosen instant for drills)
 * and the Cairo calendar that turns an instant into the day and month numbers benefit cycles use,
 * without allocation.
 */
package org.unicard.time;
