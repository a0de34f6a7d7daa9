/**
 * The command line: {@code bin/unicard} and its subcommands ({@code serve}, {@code snapshot},
 * {@code generate}, {@code settle}, {@code version}; {@code demo} and the measuring commands run from
 * the tools and benchmarks jars). Parsing only; each command delegates to the
 * package that owns the work.
 */
package org.unicard.cli;
