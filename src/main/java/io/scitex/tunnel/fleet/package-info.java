/** The tunnels file: every tunnel a machine should have, declared in TOML, read and checked as a whole. */
package io.scitex.tunnel.fleet;
