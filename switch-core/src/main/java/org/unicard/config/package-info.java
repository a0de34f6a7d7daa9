/**
 * Settings, each a name and a default in one place: the program rules the authorizer decides by
 * (journaled, so replay decides as the live switch did) and the runtime settings of the process
 * (ports, ring and window sizes, wait strategy). Read from {@code config/unicard.properties} and an
 * optional {@code --config} file that overrides it.
 */
package org.unicard.config;
