/**
 * Installing, replacing and removing a tunnel and its keys: the request and result values, the checks made
 * before anything is written, the install that is undone when it fails or is interrupted, the wait until the
 * tunnel works, and the per-port lock that keeps two setups (or a setup and a remove) of one port apart.
 */
package io.scitex.tunnel.setup;
