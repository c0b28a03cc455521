/**
 * Installing, replacing and removing a tunnel and its keys: the request and result values, the checks made
 * before anything is written, the install that is undone when it fails, and the wait until the tunnel works.
 */
package io.scitex.tunnel.setup;
