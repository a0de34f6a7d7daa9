/**
 * Replies: encoding the response to a request from its outcome (spec §3, §5) and handing it to
 * the request's connection, after the journal stage has recorded it.
 */
package org.unicard.reply;
