package org.unicard.listener;

/**
 * The two kinds of link (spec §1): terminals (bakery, grocer, health, post) and acquirer hosts.
 */
public enum ListenerKind
{
    TERMINAL,
    ACQUIRER
}
