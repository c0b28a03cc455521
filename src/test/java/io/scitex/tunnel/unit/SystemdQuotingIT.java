package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * is not refused outright. The keys live under /root, which the sandbox hides, so the recorder can read
 * its key only if {@code BindReadOnlyPaths=} named exactly that file.
 */
class SystemdQuotingIT {
    private static final int CASES = 300;
    private static final int FIRST_PORT = 30000;
    /** Stands in for autossh: logs its argv, and which files under /root/keys it can see, with their content. */
    private static final String RECORDER = """
            #!/bin/sh
            printf 'ARGV %s\\n' "$(printf '%s\\0' "$@" | base64 -w0)"
            printf 'KEYS %s\\n' "$(find /root/keys -type f -print0 2>/dev/null | base64 -w0)"
            printf 'KEY %s\\n' "$(find /root/keys -type f -exec cat {} + 2>/dev/null)"
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
            StringBuilder keyFiles = new StringBuilder();
            Map<Integer, String> keyPaths = new LinkedHashMap<>();
            int refused = 0;
            List<String> inputs = hostileInputs();
            for (int i = 0; i < inputs.size(); i++) {
                int port = FIRST_PORT + i;
                String hostile = inputs.get(i);
                try {
                    TunnelSpec tunnel = TunnelSpec.builder().port(port).serviceUser("root")
                            .bastion(BastionAddress.parse("user@bastion.example.com"))
                            .key(Path.of("/root/keys/" + port + "/" + hostile)).build();
                    List<String> argv = AutosshCommandLine.argv(Path.of("/etc/scitex-argv-recorder"), tunnel,
                            Path.of("/etc/scitex-tunnel/" + port + "/known_hosts"));
                    Files.writeString(container.etc().resolve("systemd/system/" + UnitName.of(port)),
                            TunnelUnit.render(tunnel, UnitProgram.autossh(argv, AutosshCommandLine.ENVIRONMENT), "test"));
                    expected.put(UnitName.of(port), argv.subList(1, argv.size()));
                    keyPaths.put(port, tunnel.key().toString());
                    keyFiles.append(port).append(' ').append(base64(port + "/" + hostile)).append('\n');
                } catch (InvalidInputException refusal) {
                    refused++;
                    assertThat(hostile).as("only control characters and ${ are refused")
                            .matches(s -> s.contains("${") || s.codePoints().anyMatch(Character::isISOControl));
                }
            }
            Files.writeString(container.etc().resolve("scitex-key-files"), keyFiles.toString());
            CommandResult keys = container.run("bash", "-c", "mkdir -p /root/keys && while read -r port name; do"
                    + " key=\"/root/keys/$(printf %s \"$name\" | base64 -d)\"; mkdir -p \"$(dirname \"$key\")\";"
                    + " printf 'key-of-%s' \"$port\" > \"$key\"; done"
                    + " < /etc/scitex-key-files");
            assertThat(keys.exitCode()).as(keys.stderr()).isZero();
            CommandResult started = container.run("bash", "-c",
                    "systemctl daemon-reload && systemctl start " + String.join(" ", expected.keySet()));
            assertThat(started.exitCode()).as(started.stderr()).isZero();

            Map<String, List<String>> received = new LinkedHashMap<>();
            Map<String, List<String>> keysSeen = new LinkedHashMap<>();
            Map<String, String> keysRead = new LinkedHashMap<>();
            readRecordings(container, expected.size(), received, keysSeen, keysRead);
            assertThat(received).containsExactlyInAnyOrderEntriesOf(expected);
            for (String unit : expected.keySet()) {
                int port = UnitName.port(unit).orElseThrow();
                assertThat(keysSeen.get(unit)).as("the only file %s sees under /root/keys", unit)
                        .containsExactly(keyPaths.get(port));
                assertThat(keysRead.get(unit)).as("key read by " + unit).isEqualTo("key-of-" + port);
            }
            System.out.printf("SystemdQuotingIT: %d hostile key paths: %d rendered, read back exactly by systemd"
                    + " and bound into the sandbox, %d refused%n", inputs.size(), expected.size(), refused);
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

    /** What each recorder logged, by unit: its argv and the key it could read. */
    private static void readRecordings(SystemdContainer container, int count, Map<String, List<String>> argvs,
                                       Map<String, List<String>> keysSeen, Map<String, String> keys) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((argvs.size() < count || keysSeen.size() < count || keys.size() < count) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            String log = container.run("journalctl", "--no-pager", "-t", "scitex-argv-recorder", "-o", "json",
                    "--output-fields=_SYSTEMD_UNIT,MESSAGE").stdout();
            for (String line : log.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = json.readTree(line);
                String unit = entry.path("_SYSTEMD_UNIT").asText();
                String message = entry.path("MESSAGE").asText();
                if (message.startsWith("ARGV ")) {
                    argvs.put(unit, nulSeparated(message.substring(5)));
                } else if (message.startsWith("KEYS ")) {
                    keysSeen.put(unit, nulSeparated(message.substring(5)));
                } else if (message.startsWith("KEY ")) {
                    keys.put(unit, message.substring(4));
                }
            }
        }
    }

    private static List<String> nulSeparated(String base64) {
        String text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
