package io.scitex.tunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the results were measured on: our machines are noisy, so the load goes with the numbers. */
final class Machine {
    private Machine() {}

    static Map<String, String> describe() throws IOException, InterruptedException {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("started", Instant.now().toString());
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", firstLine(List.of("bash", "-c", "free -g | awk '/^Mem/ {print $2 \" GiB\"}'")));
        machine.put("kernel", System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("openssh", firstLine(List.of("ssh", "-V")));
        machine.put("systemd", firstLine(List.of("systemctl", "--version")));
        machine.put("load_average_before", loadAverage());
        return machine;
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The JVM that ran us, started with the launcher's CLI flags and stopped at once. */
    static List<String> bareJvm() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto", "-version");
    }

    private static String firstLine(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return output.lines().findFirst().orElse("");
    }
}
