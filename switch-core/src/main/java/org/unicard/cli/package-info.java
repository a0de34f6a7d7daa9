/**
 * The command line: {@code bin/unicard} and its subcommands ({@code serve}, {@code demo},
 * {@code generate}, {@code settle}, {@code version}). Parsing only; each command delegates to the
 * package that owns the work.
 */
package org.unicard.cli;
