/**
 * Recovery: rebuilds the authorizer's state after a restart by replaying the journal into a fresh
 * authorizer over the imported data set, re-deciding every request and checking that each
 * decision equals the one the journal recorded.
 */
package org.unicard.recovery;
