/**
 * Keys: {@link io.eddy.fql.auth.KeySecrets} (minting and verifying key secrets) and
 * {@link io.eddy.fql.auth.KeyRegistry} (the live keys, followed through the change log). The
 * {@code Key} module that creates key documents is in {@code interp}; the roles and principals are in
 * {@code api}.
 */
package io.eddy.fql.auth;
