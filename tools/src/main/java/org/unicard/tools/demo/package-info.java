/**
 * {@code bin/unicard demo}: the Port Said pilot end to end on embedded defaults — a generated data
 * set, the real switch over TCP, simulated bakeries and grocers, live progress and a closing
 * summary that checks the switch's balances against what was approved.
 */
package org.unicard.tools.demo;
