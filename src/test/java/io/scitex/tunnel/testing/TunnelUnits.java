package io.scitex.tunnel.testing;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.unit.AutosshCommandLine;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes tunnel units into a unit directory the way they come to be on a machine: rendered as setup writes
 * them (for the autossh or the native engine), as the Python tool wrote them (a plain autossh argv, no
 * sandbox, run as root), or any text at all.
 */
public final class TunnelUnits {
    public static final Path AUTOSSH = Path.of("/usr/bin/autossh");
    public static final Path LAUNCHER = Path.of("/opt/scitex-tunnel/bin/scitex-tunnel");
    public static final Path JAVA = Path.of("/usr/lib/jvm/java-17/bin/java");
    private static final String VERSION = "0.0.0-test";

    private final UnitDirectory directory;

    public TunnelUnits(Path directory) {
        this.directory = new UnitDirectory(directory);
    }

    public UnitDirectory directory() {
        return directory;
    }

    /** A tunnel on {@code port} to {@code bastion} ({@code [user@]host[:port]}) with {@code key}, run as {@code user}. */
    public static TunnelSpec spec(int port, String bastion, Path key, String user) {
        return TunnelSpec.builder().port(port).bastion(BastionAddress.parse(bastion)).key(key).serviceUser(user).build();
    }

    /** As {@link #spec(int, String, Path, String)}, forwarding to {@code target} ({@code host:port}). */
    public static TunnelSpec spec(int port, String bastion, Path key, String user, String target) {
        return spec(port, bastion, key, user).toBuilder().target(TargetAddress.parse(target)).build();
    }

    /** The unit setup writes for the autossh engine, pinning the bastion in {@code knownHosts}. */
    public TunnelUnits autossh(TunnelSpec spec, Path knownHosts) {
        return text(spec.port(), TunnelUnit.render(spec, UnitProgram.autossh(
                AutosshCommandLine.argv(AUTOSSH, spec, knownHosts), AutosshCommandLine.ENVIRONMENT), VERSION));
    }

    /** The unit setup writes for the native engine ({@code scitex-tunnel run}), with an optional passphrase file. */
    public TunnelUnits nativeEngine(TunnelSpec spec, Path knownHosts, Optional<Path> passphrase) {
        UnitProgram program = new UnitProgram(Engine.NATIVE, RunCommandLine.argv(LAUNCHER, spec, knownHosts),
                RunCommandLine.environment(JAVA), List.of(LAUNCHER.getParent().getParent()), passphrase);
        return text(spec.port(), TunnelUnit.render(spec, program, VERSION));
    }

    /**
     * A unit as the Python tool wrote it: no {@code User=} (so it runs as root), no sandbox, and
     * {@code arguments} after {@code /usr/bin/autossh} on its ExecStart line, e.g.
     * {@code -M 0 -o "ServerAliveInterval 30" -NR 2222:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa}.
     */
    public TunnelUnits python(int port, String arguments) {
        return text(port, """
                [Unit]
                Description=AutoSSH tunnel on port %d
                After=network.target

                [Service]
                Environment="AUTOSSH_GATETIME=0"
                ExecStart=/usr/bin/autossh %s
                Restart=always

                [Install]
                WantedBy=multi-user.target
                """.formatted(port, arguments));
    }

    /** A unit written by hand: {@code User=user} and the ExecStart line {@code execStart}, nothing else. */
    public TunnelUnits handWritten(int port, String user, String execStart) {
        return text(port, "[Service]\nUser=" + user + "\nExecStart=" + execStart + "\n");
    }

    /** Any text as the unit of {@code port}; the directory is made when the first unit is written. */
    public TunnelUnits text(int port, String content) {
        try {
            Files.createDirectories(directory.directory());
            directory.write(port, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
