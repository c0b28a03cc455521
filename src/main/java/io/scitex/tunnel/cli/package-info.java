/**
 * The command line: one class per subcommand, each a thin layer over {@link io.scitex.tunnel.ScitexTunnel},
 * and what they share: the tunnel's options ({@link io.scitex.tunnel.cli.TunnelOptionsMixin}), the converters
 * that read option values, the one table of exit codes ({@link io.scitex.tunnel.cli.ExitCode}), the JSON
 * renderings, and the way a foreground command stops on a signal.
 */
package io.scitex.tunnel.cli;
