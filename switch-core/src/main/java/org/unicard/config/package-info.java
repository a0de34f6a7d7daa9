/**
 * The typed settings the components take: the program rules the authorizer decides by (journaled,
 * so replay decides as the live switch did) and the runtime settings of the process (ports, ring and
 * window sizes, wait strategy, TLS), with the reader of properties files. Their names and defaults
 * live in {@link org.unicard.context.Configuration}; {@link org.unicard.context.SwitchContext} reads
 * and checks them from {@code config/unicard.properties} and an optional {@code --config} file.
 */
package org.unicard.config;
