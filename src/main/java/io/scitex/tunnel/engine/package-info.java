/**
 * What keeps a tunnel alive: the autossh command line a unit runs (and reading it back from existing units).
 */
package io.scitex.tunnel.engine;
