/**
 * The crash torture ({@code bin/unicard torture}): the real switch as a child process, killed with
 * SIGKILL under pipelined load and restarted many times, then checked for exactly-once accounting.
 */
package org.unicard.benchmarks.torture;
