package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.setup.SetupResult;
import io.scitex.tunnel.ssh.HostKeySource;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code setup}: installs and starts a tunnel service. */
@Command(name = "setup", aliases = "setup-tunnel", sortOptions = false, mixinStandardHelpOptions = true,
        resourceBundle = "io.scitex.tunnel.cli.SetupCommandHelp",
        header = "Set up a persistent reverse tunnel as a systemd service.",
        description = {
            "Set up a persistent reverse tunnel: a systemd service (autossh-tunnel-PORT.service) that keeps autossh (or, with --engine native, this tool's own engine) connected to the bastion, so that `ssh -p PORT localhost` on the bastion reaches this machine. Writing the unit needs root: run it with sudo; the service runs as you (SUDO_USER). Without root, --user sets up a tunnel of your own as a systemd user service (~/.config/systemd/user), which keeps running after logout and starts at boot only while you linger (setup checks it, and enables it where logind lets you). Setting up a port that already has a tunnel replaces it; a masked unit is replaced only with --force.",
            ""},
        footer = {
            "",
            "The bastion's host key must be known before a service may use it: setup takes it from your known_hosts (connect once with ssh to store it) or, with --accept-new, pins the key the bastion presents now and prints its fingerprint. The service never prompts and never skips the check.",
            "",
            "Examples:",
            "  sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa",
            "  sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa --engine native",
            "  scitex-tunnel setup --user -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa"})
final class SetupCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Mixin
    TunnelOptionsMixin tunnel;

    @Option(names = "--accept-new",
            description = "If the bastion's host key is unknown, fetch it, print its fingerprint and pin it.")
    boolean acceptNew;

    @Option(names = "--no-check",
            description = "Skip the network checks (bastion reachable, key accepted, port free, tunnel up"
                    + " afterwards), e.g. to set up offline.")
    boolean noCheck;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for the started tunnel to work end to end. Default: ${DEFAULT-VALUE}.")
    int waitSeconds;

    @Option(names = "--rollback", description = "Remove the tunnel again if it does not come up in time.")
    boolean rollback;

    @Option(names = "--force", description = "Replace the unit even if it is masked (systemctl mask); without it,"
            + " setup refuses to.")
    boolean force;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "autossh",
            description = "What keeps the tunnel alive: autossh (autossh and ssh) or native (this tool's own"
                    + " engine, `scitex-tunnel run`, no ssh needed). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "With --engine native: a file (mode 600) whose first line is the key's passphrase;"
                    + " systemd hands it to the service as a credential.")
    String passphraseFile;

    @Option(names = "--probe", paramLabel = "KIND", defaultValue = "auto",
            description = "How status shows that a connection reached the target: greeting (it speaks first, like"
                    + " sshd), http (it answers a HTTP HEAD, like web servers and Jupyter), silent (neither: only the"
                    + " native engine can show it), or auto (connect to the target now and see). Default: ${DEFAULT-VALUE}.")
    String probe;

    @Override
    public Integer call() {
        String bastion = tunnel.bastion(environment()).toString();
        String key = tunnel.key(environment()).orElse(null); // neither -s nor the variable: the tunnel's own key
        SetupRequest request = SetupRequest.builder(tunnel.port(), bastion).key(key).target(tunnel.target().toString())
                .acceptNew(acceptNew).engine(Engine.parse(engine)).passphraseFile(passphraseFile).networkChecks(!noCheck)
                .verifyWithin(SetupRequest.waitSeconds(waitSeconds)).rollback(rollback).force(force)
                .probe("auto".equals(probe) ? null : ProbeKind.parse(probe)).build();
        print(api(scope).setup(request, new CheckPrinter(out())));
        return ExitCode.OK;
    }

    private void print(SetupResult result) {
        PrintWriter out = out();
        var spec = result.spec();
        if (result.replaced()) {
            out.println("Replaced the existing tunnel on port " + spec.port() + ".");
        }
        if (result.hostKeys().source() == HostKeySource.FETCHED) {
            out.println("The bastion's host key was pinned on first use: compare its fingerprint above with"
                    + " `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the bastion.");
        }
        out.println("Wrote " + result.unitFile() + " (" + (scope.user ? "a user service of " : "runs as ")
                + spec.serviceUser() + (result.engine() == Engine.NATIVE ? ", with the native engine" : "") + ").");
        out.println(result.status().unit() + " is " + result.status().state() + " (" + result.status().subState() + ").");
        out.println(spec.target().port() == 22
                ? "On the bastion, `ssh -p " + spec.port() + " localhost` reaches this machine's sshd (" + spec.target() + ")."
                : "On the bastion, localhost:" + spec.port() + " reaches " + spec.target() + " on this machine.");
        out.println("Check: scitex-tunnel status" + scope.flag() + " -p " + spec.port() + "   Logs: journalctl"
                + scope.flag() + " -u " + result.status().unit() + " -f");
    }
}
