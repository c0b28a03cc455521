/**
 * The command line: one class per subcommand, each a thin layer over {@link io.scitex.tunnel.ScitexTunnel}.
 */
package io.scitex.tunnel.cli;
