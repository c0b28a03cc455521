package io.scitex.tunnel.cli;

import static io.scitex.tunnel.unit.RunCommandLine.KEEPALIVE;
import static io.scitex.tunnel.unit.RunCommandLine.KEEPALIVE_COUNT;
import static io.scitex.tunnel.unit.RunCommandLine.KNOWN_HOSTS;
import static io.scitex.tunnel.unit.RunCommandLine.PASSPHRASE_FILE;

import io.scitex.tunnel.engine.NativeTunnel;
import io.scitex.tunnel.engine.TunnelListener;
import io.scitex.tunnel.engine.TunnelOptions;
import io.scitex.tunnel.host.StateFileLocation;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.unit.TunnelUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the native engine in the foreground, until SIGTERM or Ctrl-C. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Run a tunnel in the foreground with the built-in engine (no ssh, no autossh).",
        description = {
            "Keep a reverse tunnel up until stopped with SIGTERM or Ctrl-C: connections to localhost:PORT on the bastion reach TARGET from this machine. The bastion's host key must be pinned in the known_hosts file (setup writes /etc/scitex-tunnel/PORT/known_hosts); an unknown or changed key is refused. A dead link is noticed by keepalives within SEC x N seconds; the tunnel reconnects with backoff (0.2 s doubling to 5 s; at most 0.5 s apart while the bastion's host refuses connections) and asks again, on the same session, for a port the bastion refuses. State changes are logged to stderr; the live state is kept in $RUNTIME_DIRECTORY/PORT.json (else /run/scitex-tunnel, $XDG_RUNTIME_DIR/scitex-tunnel or the temporary directory). `setup --engine native` runs this command as a systemd service.",
            ""},
        footer = {"",
            "Exit codes: 0 stopped by SIGTERM or Ctrl-C; 78 (EX_CONFIG) the configuration can never work (a bad option or value, an unusable key, no pinned host key for the bastion), which setup's unit does not restart; 1 another failure.",
            "",
            "Example:",
            "  scitex-tunnel run -p 2222 -b user@bastion.example.com -s ~/.ssh/id_ed25519 --known-hosts ~/.ssh/known_hosts"})
final class RunCommand extends TunnelCommand {
    @Mixin
    TunnelOptionsMixin tunnel;

    @Option(names = KNOWN_HOSTS, paramLabel = "FILE", converter = HomePathConverter.class,
            description = "known_hosts with the bastion's pinned host key. Default: /etc/scitex-tunnel/PORT/known_hosts.")
    Path knownHosts;

    @Option(names = KEEPALIVE, paramLabel = "SEC", defaultValue = "5",
            description = "Seconds between keepalives that want an answer. Default: ${DEFAULT-VALUE}.")
    int keepaliveSeconds;

    @Option(names = KEEPALIVE_COUNT, paramLabel = "N", defaultValue = "3",
            description = "Unanswered keepalives in a row after which the link counts as dead. Default: ${DEFAULT-VALUE}.")
    int keepaliveCount;

    @Option(names = PASSPHRASE_FILE, paramLabel = "FILE", converter = HomePathConverter.class,
            description = "File whose first line is the key's passphrase. Default: $CREDENTIALS_DIRECTORY/passphrase"
                    + " (systemd's LoadCredential=), if it exists.")
    Path passphraseFile;

    @Override
    public Integer call() throws InterruptedException {
        int port = tunnel.port();
        Path key = tunnel.key(environment()).filter(k -> !k.isBlank()).map(new HomePathConverter()::expand)
                .orElseThrow(() -> new InvalidInputException("key is missing: give -s KEY"));
        TunnelSpec spec = TunnelSpec.builder()
                .port(port)
                .bastion(tunnel.bastion(environment()))
                .target(tunnel.target())
                .key(key)
                .serviceUser(System.getProperty("user.name"))
                .keepalive(new Keepalive(keepaliveSeconds, keepaliveCount))
                .build();
        TunnelOptions options = TunnelOptions.of(knownHosts != null ? knownHosts : SystemLayout.DEFAULT.knownHosts(port));
        Optional<Path> stateFile = StateFileLocation.resolve(port, environment());
        if (stateFile.isPresent()) {
            options = options.withStateFile(stateFile.get());
        }
        Optional<Path> passphrase = passphraseFile();
        if (passphrase.isPresent()) {
            options = options.withPassphraseFile(passphrase.get());
        }
        NativeTunnel running = NativeTunnel.start(spec, options, TunnelListener.NONE);
        // closing gives up the forward and ends the session
        new StopOnSignal(running, "closing the tunnel").await();
        return ExitCode.OK;
    }

    /** --passphrase-file, else the credential systemd's LoadCredential= handed to the service, if any. */
    private Optional<Path> passphraseFile() {
        if (passphraseFile != null) {
            return Optional.of(passphraseFile);
        }
        String credentials = environment().get("CREDENTIALS_DIRECTORY");
        if (credentials != null && !credentials.isEmpty()) {
            Path credential = Path.of(credentials, TunnelUnit.PASSPHRASE_CREDENTIAL);
            if (Files.exists(credential)) {
                return Optional.of(credential);
            }
        }
        return Optional.empty();
    }
}
