package io.scitex.tunnel.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.engine.AutosshCommand;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.SystemdContainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real systemd is the judge of our quoting: units rendered for hostile key paths run a recorder in place
 * of autossh, and the argv the recorder receives must be exactly the argv we meant, for every input that
 * is not refused outright.
 */
class SystemdQuotingIT {
    private static final int CASES = 300;
    private static final int FIRST_PORT = 30000;
    private static final String RECORDER = """
            #!/bin/sh
            unit=$(sed -n 's|^0::.*/||p' /proc/self/cgroup)
            mkdir -p /run/argv
            printf '%s\\0' "$@" > "/run/argv/$unit"
            exec sleep infinity
            """;
    private static final int[] NOTORIOUS = "\"'\\ \t\n%$;{}-#=@!`*?[]~&|<>()\u00e9\u00fc\u4e2d\uD83D\uDE00"
            .codePoints().toArray();

    @Test
    void everyAcceptedHostileKeyPathReachesTheProgramUnchanged() throws Exception {
        try (SystemdContainer container = SystemdContainer.boot("scitex-quoting")) {
            Path recorder = container.etc().resolve("scitex-argv-recorder");
            Files.writeString(recorder, RECORDER);
            Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwxr-xr-x"));

            Map<String, List<String>> expected = new LinkedHashMap<>();
            int refused = 0;
            List<String> inputs = hostileInputs();
            for (int i = 0; i < inputs.size(); i++) {
                int port = FIRST_PORT + i;
                String hostile = inputs.get(i);
                try {
                    TunnelSpec tunnel = TunnelSpec.builder().port(port).serviceUser("root")
                            .bastion(BastionAddress.parse("user@bastion.example.com"))
                            .key(Path.of("/keys/" + hostile)).build();
                    List<String> argv = AutosshCommand.argv(Path.of("/etc/scitex-argv-recorder"), tunnel,
                            Path.of("/etc/scitex-tunnel/" + port + "/known_hosts"));
                    Files.writeString(container.etc().resolve("systemd/system/" + UnitName.of(port)),
                            TunnelUnit.render(tunnel, argv, AutosshCommand.ENVIRONMENT, "test"));
                    expected.put(UnitName.of(port), argv.subList(1, argv.size()));
                } catch (InvalidInputException refusal) {
                    refused++;
                    assertThat(hostile).as("only control characters and ${ are refused")
                            .matches(s -> s.contains("${") || s.codePoints().anyMatch(Character::isISOControl));
                }
            }
            CommandResult started = container.run("bash", "-c",
                    "systemctl daemon-reload && systemctl start " + String.join(" ", expected.keySet()));
            assertThat(started.exitCode()).as(started.stderr()).isZero();

            Map<String, List<String>> received = readRecordings(container, expected.size());
            assertThat(received).containsExactlyInAnyOrderEntriesOf(expected);
            System.out.printf("SystemdQuotingIT: %d hostile key paths: %d rendered and read back exactly by systemd,"
                    + " %d refused%n", inputs.size(), expected.size(), refused);
            assertThat(expected.size()).as("most inputs must be accepted, or this proves little")
                    .isGreaterThan(CASES / 2);
        }
    }

    private static List<String> hostileInputs() {
        List<String> inputs = new ArrayList<>(List.of("a b", "\"; touch /tmp/pwned; \"", "%n%h%%", "$HOME", "$$",
                "${HOME}", "x\\", "\\", "-oProxyCommand=x", "'", "\\n", "\\x41", ";", "line\nExecStartPre=/bin/false",
                "%", "%%%", "$", "\"", "back\\slash\\", "tab\there", "caf\u00e9 \u4e2d\u6587 \uD83D\uDE00"));
        Random random = new Random(20261125L);
        while (inputs.size() < CASES) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(3) == 0) {
                    s.append((char) ('a' + random.nextInt(26)));
                } else {
                    s.appendCodePoint(NOTORIOUS[random.nextInt(NOTORIOUS.length)]);
                }
            }
            inputs.add(s.toString());
        }
        return inputs;
    }

    /** The recordings, by unit: each file holds the argv the recorder got, NUL-separated. */
    private static Map<String, List<String>> readRecordings(SystemdContainer container, int count) throws Exception {
        String list = "cd /run/argv 2>/dev/null && for f in *; do printf '%s\\t' \"$f\"; base64 -w0 \"$f\"; echo; done";
        Map<String, List<String>> received = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (received.size() < count && System.nanoTime() < deadline) {
            received.clear();
            for (String line : container.run("bash", "-c", list).stdout().split("\n")) {
                String[] parts = line.split("\t", 2);
                if (parts.length == 2 && !parts[1].isEmpty()) {
                    String recorded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                    received.put(parts[0], Arrays.asList(recorded.substring(0, recorded.length() - 1).split("\0", -1)));
                }
            }
            Thread.sleep(200);
        }
        return received;
    }
}
