/**
 * The switch's context, in the manner of Aeron's {@code MediaDriver.Context}: {@link
 * org.unicard.context.Configuration} names every setting with its property name, default and range;
 * {@link org.unicard.context.SwitchContext} takes the command line's values, reads and checks the
 * configuration once ({@code conclude()}), and owns the recovery preamble every command over a data
 * set shares: the LMK, the snapshot and journal directories, opening the journal, recovering the state
 * and journaling GENESIS and RULES.
 */
package org.unicard.context;
