package io.scitex.tunnel.bench;

import io.scitex.tunnel.bench.BenchWorld.Engine;
import io.scitex.tunnel.bench.Measure.Goal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark run that {@code bench/run} starts inside its systemd container, as root, in the end-to-end
 * world ({@link BenchWorld}): for each engine in turn, alone, a tunnel set up by {@code scitex-tunnel setup}
 * to a {@link BenchTarget} carries traffic, has its memory read and goes through the bastion's faults; then
 * the CLI is timed with 1 and 50 tunnels. Writes {@code results.json} and {@code results.md} to the directory
 * given as the first argument; {@code --quick} repeats each measure fewer times.
 */
public final class Benchmarks {
    private static final int AUTOSSH_PORT = 30001;
    private static final String APPLY = "Many tunnels from one file: `apply` (autossh engine; systemctl calls counted for real)";
    private static final String PROBES = "Probes at fleet size: `status` with N tunnels of one bastion and key, JVM start"
            + " included (OpenSSH: the same greeting through each tunnel's port)";
    /** As many probes look at one target at a time (TargetTurns.PER_TARGET). */
    private static final int PROBES_AT_ONCE = 4;
    /** As many logins to one bastion are in flight at a time (ForwardProbe.HANDSHAKES_PER_BASTION). */
    private static final int LOGINS_AT_ONCE = 3;
    private static final int NATIVE_PORT = 30201;
    private static final long MIB = 1L << 20;
    /** The JVM interprets at first: about 0.5 GiB passes before the native engine runs at full speed. */
    private static final long WARM_UP_BYTES = 1024 * MIB;
    private static final long STREAM_BYTES = 256 * MIB;
    private static final int PARALLEL_STREAMS = 8;
    private static final int ROUND_TRIPS = 2000;
    private static final int MESSAGE_BYTES = 64;
    private static final Duration BASTION_DOWN = Duration.ofSeconds(10);
    private static final Duration SILENCE = Duration.ofSeconds(30);
    /** The heartbeat bound (keepalive 5 s x 3, as setup writes it) plus 1 s. */
    private static final double SILENT_LINK_BOUND_MS = 16_000;
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** Longer than the native engine's 10 s after which a lost session counts as one that was healthy. */
    private static final Duration HEALTHY = Duration.ofSeconds(12);
    /** The trimmed C heap and a shrunk Java heap, after traffic: what a tunnel holds while it waits. */
    private static final Duration IDLE_AFTER_TRAFFIC = Duration.ofSeconds(12);

    private final BenchWorld world = new BenchWorld();
    private final Recovery recovery = new Recovery(world);
    private final int runs;
    private final int faultRuns;
    private final Map<String, Map<Subject, List<Double>>> taken = new LinkedHashMap<>();

    private Benchmarks(boolean quick) {
        this.runs = quick ? 2 : 5;
        this.faultRuns = quick ? 1 : 3;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean quick = List.of(args).contains("--quick");
        Map<String, String> machine = Machine.describe();
        boolean applyOnly = List.of(args).contains("--apply-only");
        boolean probesOnly = List.of(args).contains("--probes-only");
        List<Measure> measures = applyOnly ? new Benchmarks(quick).runApply()
                : probesOnly ? new Benchmarks(quick).runProbes() : new Benchmarks(quick).run();
        machine.put("load_average_after", Machine.loadAverage());
        machine.put("finished", Instant.now().toString());
        Report report = new Report(machine, measures);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), report.json());
        Files.writeString(out.resolve("results.md"), report.markdown());
        System.out.print(report.markdown());
    }

    private List<Measure> run() throws Exception {
        try (BenchTarget target = BenchTarget.start()) {
            traffic(Subject.BASELINE, target.port(), Optional.empty());
            for (Engine engine : Engine.values()) {
                int port = engine == Engine.NATIVE ? NATIVE_PORT : AUTOSSH_PORT;
                log("setting up the " + engine + " tunnel on port " + port);
                world.setUp(engine, port, target.port());
                Recovery.awaitPath(port);
                Thread.sleep(SETTLE.toMillis());
                ProcessTree service = new ProcessTree(world.mainPid(port));
                record("idle", engine.subject, service.residentBytes() / (double) MIB);
                ProcessTree.PeakSampler peak = new ProcessTree.PeakSampler(service);
                try (peak) {
                    // the bastion's sshd of now: the faults of the engine before restarted it
                    traffic(engine.subject, port, Optional.of(new Cpu(service, new ProcessTree(world.bastionPid()))));
                }
                record("peak", engine.subject, peak.peak() / (double) MIB);
                Thread.sleep(IDLE_AFTER_TRAFFIC.toMillis());
                record("idle after", engine.subject, service.residentBytes() / (double) MIB);
                faults(engine.subject, port);
                world.stop(port);
            }
            cli();
        }
        new ApplyTimings(runs).run((key, value) -> record(key, Subject.NATIVE, value));
        return measures();
    }

    /** Only the apply timings (bench/run --apply-only): a quick look that leaves the other numbers as they are. */
    private List<Measure> runApply() throws Exception {
        new ApplyTimings(runs).run((key, value) -> record(key, Subject.NATIVE, value));
        return measures().stream().filter(m -> m.group().startsWith(APPLY)).toList();
    }

    /** The processes whose CPU time a tunnel's traffic costs: the tunnel's service and the bastion's sshd. */
    private record Cpu(ProcessTree tunnel, ProcessTree bastion) {
        CpuSeconds now() throws IOException {
            return new CpuSeconds(tunnel.cpuSeconds(), bastion.cpuSeconds());
        }
    }

    /** CPU time used so far by a tunnel's service and by the bastion's sshd. */
    private record CpuSeconds(double tunnel, double bastion) {}

    private void traffic(Subject subject, int port, Optional<Cpu> cpu) throws IOException, InterruptedException {
        log("traffic through " + subject.label());
        BenchClient client = new BenchClient(port);
        for (long sent = 0; sent < WARM_UP_BYTES; sent += STREAM_BYTES) {
            client.upload(STREAM_BYTES);
            client.download(STREAM_BYTES);
        }
        double gib = STREAM_BYTES / (1024.0 * MIB);
        for (int i = 0; i < runs; i++) {
            Optional<CpuSeconds> before = cpuSeconds(cpu);
            record("upload", subject, client.upload(STREAM_BYTES) / MIB);
            Optional<CpuSeconds> afterUpload = cpuSeconds(cpu);
            record("download", subject, client.download(STREAM_BYTES) / MIB);
            Optional<CpuSeconds> afterDownload = cpuSeconds(cpu);
            if (before.isPresent()) {
                record("cpu upload", subject, (afterUpload.get().tunnel() - before.get().tunnel()) / gib);
                record("cpu download", subject, (afterDownload.get().tunnel() - afterUpload.get().tunnel()) / gib);
                record("cpu bastion", subject, (afterDownload.get().bastion() - before.get().bastion()) / (2 * gib));
            }
            record("parallel", subject, client.parallelUpload(PARALLEL_STREAMS, STREAM_BYTES / PARALLEL_STREAMS) / MIB);
            client.roundTrips(ROUND_TRIPS / 10, MESSAGE_BYTES);
            double[] micros = Arrays.stream(client.roundTrips(ROUND_TRIPS, MESSAGE_BYTES))
                    .mapToDouble(nanos -> nanos / 1e3).toArray();
            record("rtt p50", subject, Samples.percentile(micros, 50));
            record("rtt p99", subject, Samples.percentile(micros, 99));
        }
    }

    private static Optional<CpuSeconds> cpuSeconds(Optional<Cpu> cpu) throws IOException {
        return cpu.isEmpty() ? Optional.empty() : Optional.of(cpu.get().now());
    }

    private void faults(Subject subject, int port) throws IOException, InterruptedException {
        for (int i = 0; i < faultRuns; i++) {
            log(subject.label() + ": faults, round " + (i + 1));
            healthy(port);
            record("killed", subject, recovery.afterSessionKilled(port));
            healthy(port);
            record("down", subject, recovery.afterBastionDown(port, BASTION_DOWN));
            healthy(port);
            record("silent", subject, recovery.afterSilentLink(port, SILENCE));
        }
    }

    /** Each fault hits a tunnel that has been working for a while, as faults do in life, not one just back. */
    private static void healthy(int port) throws InterruptedException {
        Recovery.awaitPath(port);
        Thread.sleep(HEALTHY.toMillis());
    }

    private void cli() throws IOException, InterruptedException {
        log("CLI latency");
        world.start(AUTOSSH_PORT);
        Recovery.awaitPath(AUTOSSH_PORT);
        int cliRuns = runs * 4;
        CommandTimer.time(Machine.bareJvm(), 2, cliRuns).values().forEach(ms -> record("java", Subject.BASELINE, ms));
        timeCli("help", List.of(BenchWorld.LAUNCHER, "--help"), cliRuns);
        timeCli("no-probe 1", List.of(BenchWorld.LAUNCHER, "status", "--no-probe"), cliRuns);
        probes(1);
        probes(10);
        timeCli("no-probe 50", List.of(BenchWorld.LAUNCHER, "status", "--no-probe"), cliRuns);
        probes(50);
    }

    /**
     * {@code status} probing {@code count} tunnels of one bastion, one key and one pinned host key, against
     * OpenSSH doing the same checks — a greeting through each tunnel's port on the bastion — over one shared
     * connection ({@code ControlMaster}, {@value #PROBES_AT_ONCE} at a time, as status probes one target), and
     * with one login per tunnel ({@value #LOGINS_AT_ONCE} at a time, as status logs in to one bastion).
     */
    private void probes(int count) throws IOException, InterruptedException {
        log("probes of " + count + " tunnels");
        world.cloneTunnels(AUTOSSH_PORT, count);
        for (int port = AUTOSSH_PORT; port < AUTOSSH_PORT + count; port++) {
            Recovery.awaitPath(port);
        }
        Thread.sleep(HEALTHY.toMillis()); // the new tunnels' key exchanges are over before anything is timed
        int probeRuns = runs * 2;
        timeCli("probe " + count, List.of(BenchWorld.LAUNCHER, "status"), probeRuns);
        CommandTimer.time(world.openSshProbes(AUTOSSH_PORT, count, PROBES_AT_ONCE, true), 1, probeRuns).values()
                .forEach(ms -> record("probe " + count, Subject.OPENSSH, ms));
        CommandTimer.time(world.openSshProbes(AUTOSSH_PORT, count, LOGINS_AT_ONCE, false), 1, probeRuns).values()
                .forEach(ms -> record("logins " + count, Subject.OPENSSH, ms));
    }

    /** Only the probes (bench/run --probes-only): a quick look that leaves the other numbers as they are. */
    private List<Measure> runProbes() throws Exception {
        try (BenchTarget target = BenchTarget.start()) {
            world.setUp(Engine.AUTOSSH, AUTOSSH_PORT, target.port());
            Recovery.awaitPath(AUTOSSH_PORT);
            CommandTimer.time(Machine.bareJvm(), 2, runs * 4).values().forEach(ms -> record("java", Subject.BASELINE, ms));
            probes(1);
            probes(10);
            probes(50);
        }
        return measures().stream().filter(m -> m.group().equals(PROBES)).toList();
    }

    private void timeCli(String key, List<String> argv, int count) throws IOException, InterruptedException {
        CommandTimer.time(argv, 2, count).values().forEach(ms -> record(key, Subject.NATIVE, ms));
    }

    private List<Measure> measures() {
        List<Measure> all = new ArrayList<>();
        String throughput = "Throughput and round trips (bastion's port ⇄ tunnel ⇄ target on this machine)";
        all.add(measure(throughput, "upload", "one stream, bastion side → target", "MiB/s", Goal.atLeastTimesOpenSsh(1.0)));
        all.add(measure(throughput, "download", "one stream, target → bastion side", "MiB/s", Goal.atLeastTimesOpenSsh(1.0)));
        all.add(measure(throughput, "cpu upload", "CPU time of the tunnel's service per GiB, bastion side → target", "s", null));
        all.add(measure(throughput, "cpu download", "CPU time of the tunnel's service per GiB, target → bastion side", "s",
                null));
        all.add(measure(throughput, "cpu bastion", "CPU time of the bastion's sshd per GiB, either way", "s", null));
        all.add(measure(throughput, "parallel", PARALLEL_STREAMS + " streams at once, bastion side → target", "MiB/s", null));
        all.add(measure(throughput, "rtt p50", "round trip of " + MESSAGE_BYTES + " B, p50", "µs", null));
        all.add(measure(throughput, "rtt p99", "round trip of " + MESSAGE_BYTES + " B, p99", "µs", null));
        String faults = "Recovery under systemd: from the bastion being back to the first connection through the tunnel";
        all.add(measure(faults, "killed", "(a) the bastion killed the session", "ms", Goal.atMostAndNoWorseThanOpenSsh(1000, "ms")));
        all.add(measure(faults, "down", "(b) the bastion was down " + BASTION_DOWN.toSeconds() + " s", "ms",
                Goal.atMostAndNoWorseThanOpenSsh(1000, "ms")));
        all.add(measure(faults, "silent", "(c) the link was silent " + SILENCE.toSeconds() + " s (no FIN, no RST)", "ms",
                Goal.atMostAndNoWorseThanOpenSsh(SILENT_LINK_BOUND_MS, "ms")));
        String memory = "Footprint: resident memory of the service (autossh + ssh; the engine's JVM)";
        all.add(measure(memory, "idle", "idle, tunnel up, before any traffic", "MiB", Goal.atMost(64, "MiB")));
        all.add(measure(memory, "peak", "peak while carrying the traffic above", "MiB", Goal.atMost(64, "MiB")));
        all.add(measure(memory, "idle after", "idle, " + IDLE_AFTER_TRAFFIC.toSeconds() + " s after the traffic", "MiB",
                Goal.atMost(64, "MiB")));
        String cli = "CLI latency, JVM start included (baseline: a bare `java -version`)";
        all.add(measure(cli, "java", "a bare JVM start and exit", "ms", null));
        all.add(measure(cli, "help", "`--help`", "ms", null));
        all.add(measure(cli, "no-probe 1", "`status --no-probe`, 1 tunnel", "ms", null));
        all.add(measure(cli, "no-probe 50", "`status --no-probe`, 50 tunnels", "ms", Goal.atMost(500, "ms")));
        all.add(measure(PROBES, "java", "a bare JVM start and exit", "ms", null));
        all.add(measure(PROBES, "probe 1", "1 tunnel (OpenSSH: one connection, shared by the probes)", "ms", null));
        all.add(measure(PROBES, "probe 10", "10 tunnels (OpenSSH: one connection, shared by the probes)", "ms", null));
        all.add(measure(PROBES, "probe 50", "50 tunnels (OpenSSH: one connection, shared by the probes)", "ms",
                Goal.atMost(2000, "ms")));
        all.add(measure(PROBES, "logins 1", "1 tunnel, OpenSSH with one login per tunnel", "ms", null));
        all.add(measure(PROBES, "logins 10", "10 tunnels, OpenSSH with one login per tunnel", "ms", null));
        all.add(measure(PROBES, "logins 50", "50 tunnels, OpenSSH with one login per tunnel", "ms", null));
        all.add(measure(APPLY, "setup 1", "`setup` of 1 tunnel (the command apply replaces), verified", "ms", null));
        all.add(measure(APPLY, "apply 1", "`apply` creating 1 tunnel, verified end to end", "ms", null));
        all.add(measure(APPLY, "apply 1 unchanged", "`apply` of the same file again (nothing changes)", "ms", null));
        all.add(measure(APPLY, "apply 50", "`apply` creating 50 tunnels, each verified end to end", "ms", null));
        all.add(measure(APPLY, "apply 50 unchanged", "`apply` of the same 50 again (nothing changes)", "ms", null));
        all.add(measure(APPLY, "systemctl setup 1", "systemctl commands run by `setup` of 1 tunnel", "calls", null));
        all.add(measure(APPLY, "systemctl apply 1", "systemctl commands run by `apply`, 1 tunnel created", "calls", null));
        all.add(measure(APPLY, "systemctl apply 1 unchanged", "systemctl commands run by `apply`, 1 unchanged", "calls",
                null));
        all.add(measure(APPLY, "systemctl apply 50", "systemctl commands run by `apply`, 50 created", "calls", null));
        all.add(measure(APPLY, "systemctl apply 50 unchanged", "systemctl commands run by `apply`, 50 unchanged",
                "calls", null));
        return all;
    }

    private Measure measure(String group, String key, String name, String unit, Goal goal) {
        Measure.Builder builder = Measure.named(group, name, unit).goal(goal);
        taken.getOrDefault(key, Map.of()).forEach((subject, values) -> builder.add(subject, new Samples(values)));
        return builder.build();
    }

    private void record(String key, Subject subject, double value) {
        taken.computeIfAbsent(key, k -> new EnumMap<>(Subject.class)).computeIfAbsent(subject, s -> new ArrayList<>())
                .add(value);
        log(String.format(Locale.ROOT, "%s, %s: %.1f", key, subject.label(), value));
    }

    private static void log(String line) {
        System.err.println("[bench] " + line);
    }
}
