package io.scitex.tunnel.cli;

import io.scitex.tunnel.demo.Demo;
import io.scitex.tunnel.demo.PathProof;
import io.scitex.tunnel.engine.EngineState;
import io.scitex.tunnel.engine.TrafficCounts;
import io.scitex.tunnel.model.TargetAddress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: a complete tunnel on this machine, proved end to end, in a few seconds. */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show a tunnel working on this machine: embedded bastion, target and native engine.",
        description = {
            "Start a bastion inside this process (an SSH server on 127.0.0.1 with a fresh host key, which lets a fresh client key hold ports on its loopback and nothing else), a target that answers, and the native engine between them; then connect to the bastion's port as a user on the bastion would, and check that the target answers. Needs no root, no systemd, no ssh and no network; everything it creates (keys included) is deleted when it ends.",
            ""},
        footer = {"",
            "Examples:",
            "  scitex-tunnel demo",
            "  scitex-tunnel demo --hold                      # keep it up, try it with nc",
            "  scitex-tunnel demo --hold --target localhost:22 # then: ssh -p PORT localhost"})
final class DemoCommand extends TunnelCommand {
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = "--hold", description = "Keep the tunnel up until Ctrl-C, and print how to use it.")
    boolean hold;

    @Option(names = "--target", paramLabel = "HOST:PORT", converter = TargetConverter.class,
            description = "Lead the tunnel to this service (one that speaks first, such as sshd) instead of the"
                    + " demo's own target.")
    TargetAddress target;

    @Override
    public Integer call() throws Exception {
        if (!verbosity.isVerbose()) {
            // The demo prints its own account of what happened; the engine's log lines would repeat it.
            System.setProperty(VerbosityMixin.ENGINE_LOG_LEVEL_PROPERTY, "warn");
        }
        Demo demo = Demo.start(Optional.ofNullable(target), UP_TIMEOUT);
        try {
            PathProof proof = demo.prove();
            print(demo, proof);
            if (hold) {
                holdUntilInterrupted(demo);
            }
        } finally {
            demo.close();
        }
        return ExitCode.OK;
    }

    private void print(Demo demo, PathProof proof) {
        PrintWriter out = out();
        var spec = demo.spec();
        int port = spec.port();
        out.println("scitex-tunnel demo: everything on this machine, nothing left behind");
        out.println("  bastion  SSH server on 127.0.0.1:" + demo.bastionPort() + " (embedded), fresh host key "
                + demo.hostKey().type() + " " + demo.hostKey().fingerprint() + ", user " + Demo.USER);
        out.println("  target   " + spec.target() + (target == null ? " (answers with a greeting, then echoes)" : ""));
        out.println("  tunnel   native engine, fresh ed25519 key, host key pinned in a known_hosts of its own");
        out.println();
        out.println("Tunnel up in " + demo.timeToUp().toMillis() + " ms: port " + port
                + " on the bastion's loopback reaches " + spec.target() + ".");
        out.println("Path proved: a connection to 127.0.0.1:" + port + " (the bastion's port) got the target's answer \""
                + proof.answer() + "\"" + (proof.echoed() ? " and its echo back" : "") + " in "
                + proof.roundTrip().toMillis() + " ms.");
        EngineState state = demo.state();
        TrafficCounts traffic = state.traffic();
        out.println("Status: " + state.phase().label() + " since " + state.since().truncatedTo(ChronoUnit.MILLIS)
                + ", reconnects " + state.reconnects() + ", " + traffic.bytesToTarget() + " bytes to the target, "
                + traffic.bytesFromTarget() + " bytes back, " + traffic.activeConnections() + " connections open.");
        out.println();
        out.println("With a real bastion (a host you can ssh to), on this machine:");
        out.println("  sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_ed25519");
        out.println("  sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_ed25519 --engine native");
        out.println("  scitex-tunnel status");
        out.println("then on the bastion: ssh -p 2222 localhost");
        out.flush();
    }

    /** Until Ctrl-C, which deletes everything the demo made and ends with status 0. */
    private void holdUntilInterrupted(Demo demo) throws InterruptedException {
        PrintWriter out = out();
        int port = demo.spec().port();
        out.println();
        out.println("Holding the tunnel until Ctrl-C. Try it from another terminal:");
        out.println(target == null
                ? "  nc 127.0.0.1 " + port + "        # the target greets you, then echoes what you type"
                : "  ssh -p " + port + " localhost     # if " + target + " is an SSH server: you reach it through the tunnel");
        out.println("Live state: " + demo.stateFile());
        out.flush();
        new StopOnSignal(demo, "cleaning up the demo").await();
    }
}
