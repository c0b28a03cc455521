package io.scitex.tunnel.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.setup.DeclaredTunnel;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A tunnels file: {@code [defaults]} shared by every {@code [[tunnel]]}, each tunnel any option of setup.
 * {@link #parse} checks the whole file with the rules the command line uses (the model's parsers); the first
 * problem is one {@link InvalidInputException} naming file, line and field.
 *
 * @param source  the file it was read from
 * @param tunnels the tunnels, in file order; their ports differ
 */
public record TunnelsFile(Path source, List<DeclaredTunnel> tunnels) {
    /** Where {@code apply} and {@code export} look by default, for the system's tunnels. */
    public static final String FILE_NAME = "tunnels.toml";
    private static final String DEFAULTS = "defaults";
    private static final String TUNNEL = "tunnel";
    /** Login names as useradd accepts them by default: no option, path or shell syntax can hide in one. */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    public TunnelsFile {
        tunnels = List.copyOf(tunnels);
    }

    /** A tunnel's settings, by their names in the file. */
    enum Field {
        PORT("port"), BASTION("bastion"), KEY("key"), TARGET("target"), ENGINE("engine"), USER("user"),
        HOST_KEYS("host_keys"), ACCEPT_NEW("accept_new"), PASSPHRASE_FILE("passphrase_file"), CHECK("check"),
        WAIT("wait"), ROLLBACK("rollback"), FORCE("force"), PROBE("probe");

        final String key;

        Field(String key) {
            this.key = key;
        }

        static Optional<Field> of(String key) {
            for (Field field : values()) {
                if (field.key.equals(key)) {
                    return Optional.of(field);
                }
            }
            return Optional.empty();
        }

        static String known() {
            return java.util.Arrays.stream(values()).map(f -> f.key).collect(Collectors.joining(", "));
        }
    }

    /** Reads and checks {@code file}; {@link InvalidInputException} when it is missing, unreadable or wrong. */
    public static TunnelsFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such tunnels file: write one (see `scitex-tunnel apply"
                    + " --help`), or name it with -f FILE");
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + ": not UTF-8 text, as TOML must be");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses and checks a tunnels file's text, read from {@code source}. */
    public static TunnelsFile parse(String text, Path source) {
        return new Reader(text, source).read();
    }

    /** The name of the {@code index}-th tunnel (from 1) in messages: {@code tunnel[2]}. */
    static String tunnelName(int index) {
        return TUNNEL + "[" + index + "]";
    }

    /** Reads one file's text; holds where each field is, to name it. */
    private static final class Reader {
        private final String text;
        private final Path source;
        private final FieldLines lines;

        Reader(String text, Path source) {
            this.text = text;
            this.source = source;
            this.lines = FieldLines.in(text);
        }

        TunnelsFile read() {
            JsonNode root;
            try {
                root = new TomlMapper().readTree(text);
            } catch (JsonProcessingException e) {
                int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
                throw new InvalidInputException(source + ":" + line + ": not valid TOML: " + e.getOriginalMessage());
            }
            Map<Field, Located> defaults = Map.of();
            List<JsonNode> tables = List.of();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                switch (entry.getKey()) {
                    case DEFAULTS -> {
                        requireTable(entry.getValue(), DEFAULTS);
                        defaults = fields(entry.getValue(), DEFAULTS);
                        if (defaults.containsKey(Field.PORT)) {
                            throw invalid(DEFAULTS + "." + Field.PORT.key, "a port belongs to one [[tunnel]], not to"
                                    + " [defaults]");
                        }
                    }
                    case TUNNEL -> tables = tunnelTables(entry.getValue());
                    default -> throw invalid(entry.getKey(), "unknown key " + Printable.quoted(entry.getKey())
                            + ": a tunnels file has [defaults] and [[tunnel]] tables only");
                }
            }
            List<DeclaredTunnel> tunnels = new ArrayList<>();
            Map<Integer, Integer> ports = new HashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                String name = tunnelName(i + 1);
                Map<Field, Located> merged = new LinkedHashMap<>(defaults);
                merged.putAll(fields(tables.get(i), name));
                DeclaredTunnel tunnel = tunnel(name, merged);
                Integer earlier = ports.putIfAbsent(tunnel.port(), i + 1);
                if (earlier != null) {
                    throw invalid(name + "." + Field.PORT.key, "port " + tunnel.port() + " is declared twice (also in "
                            + tunnelName(earlier) + ", line " + lines.lineOf(tunnelName(earlier)) + "): one tunnel per port");
                }
                tunnels.add(tunnel);
            }
            return new TunnelsFile(source, tunnels);
        }

        private List<JsonNode> tunnelTables(JsonNode value) {
            if (!value.isArray()) {
                throw invalid(TUNNEL, "tunnel must be an array of tables: write each as [[tunnel]]");
            }
            List<JsonNode> tables = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                requireTable(value.get(i), tunnelName(i + 1));
                tables.add(value.get(i));
            }
            return tables;
        }

        private void requireTable(JsonNode value, String name) {
            if (!value.isObject()) {
                throw invalid(name, name + " must be a table");
            }
        }

        /** A table's settings, each with where it was written; an unknown key is an error. */
        private Map<Field, Located> fields(JsonNode table, String tableName) {
            Map<Field, Located> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String location = tableName + "." + entry.getKey();
                Field field = Field.of(entry.getKey()).orElseThrow(() -> invalid(location, "unknown key "
                        + Printable.quoted(entry.getKey()) + " (known: " + Field.known() + ")"));
                fields.put(field, new Located(location, entry.getValue()));
            }
            return fields;
        }

        private DeclaredTunnel tunnel(String name, Map<Field, Located> fields) {
            Located port = fields.get(Field.PORT);
            if (port == null) {
                throw invalid(name, name + " has no port: every [[tunnel]] needs port = 1-65535");
            }
            int portNumber = check(port, value -> TunnelPort.check(integerPort(integer(port))));
            Located bastion = fields.get(Field.BASTION);
            if (bastion == null) {
                throw invalid(name, name + " has no bastion: give bastion = \"[USER@]HOST[:SSHPORT]\" here or in"
                        + " [defaults]");
            }
            String bastionText = check(bastion, value -> BastionAddress.parse(string(bastion)).toString());
            SetupRequest.Builder request = SetupRequest.builder(portNumber, bastionText);
            optional(fields, Field.KEY).ifPresent(key -> request.key(path(key)));
            optional(fields, Field.TARGET).ifPresent(target -> request.target(
                    check(target, value -> TargetAddress.parse(string(target)).toString())));
            optional(fields, Field.ENGINE).ifPresent(engine -> request.engine(check(engine, v -> Engine.parse(string(engine)))));
            optional(fields, Field.PASSPHRASE_FILE).ifPresent(file -> request.passphraseFile(path(file)));
            optional(fields, Field.ACCEPT_NEW).ifPresent(flag -> request.acceptNew(bool(flag)));
            optional(fields, Field.CHECK).ifPresent(flag -> request.networkChecks(bool(flag)));
            optional(fields, Field.WAIT).ifPresent(wait -> request.verifyWithin(
                    check(wait, value -> SetupRequest.waitSeconds(integer(wait)))));
            optional(fields, Field.ROLLBACK).ifPresent(flag -> request.rollback(bool(flag)));
            optional(fields, Field.FORCE).ifPresent(flag -> request.force(bool(flag)));
            optional(fields, Field.PROBE).filter(probe -> !"auto".equals(probe.node().asText()))
                    .ifPresent(probe -> request.probe(check(probe, value -> ProbeKind.parse(string(probe)))));
            SetupRequest built = request.build();
            if (built.passphraseFile().isPresent() && built.engine() != Engine.NATIVE) {
                throw invalid(fields.get(Field.PASSPHRASE_FILE).location(), "passphrase_file needs engine = \"native\":"
                        + " autossh's ssh cannot read a passphrase from a file");
            }
            Optional<String> user = optional(fields, Field.USER).map(this::user);
            List<SshPublicKey> hostKeys = optional(fields, Field.HOST_KEYS).map(this::hostKeys).orElse(List.of());
            return new DeclaredTunnel(built, user, hostKeys, source + ":" + lines.lineOf(name));
        }

        private Optional<Located> optional(Map<Field, Located> fields, Field field) {
            return Optional.ofNullable(fields.get(field));
        }

        private String user(Located value) {
            String name = string(value);
            if (!USER.matcher(name).matches()) {
                throw invalid(value.location(), "user " + Printable.quoted(name) + " is not a login name (lower-case"
                        + " letters, digits, _ and -, at most 32)");
            }
            return name;
        }

        private List<SshPublicKey> hostKeys(Located value) {
            if (!value.node().isArray() || value.node().isEmpty()) {
                throw invalid(value.location(), "host_keys must be a list of \"TYPE BASE64\" strings, as in"
                        + " /etc/ssh/ssh_host_ed25519_key.pub, with at least one");
            }
            List<SshPublicKey> keys = new ArrayList<>();
            for (JsonNode element : value.node()) {
                String text = element.isTextual() ? element.asText().strip() : "";
                String[] words = text.split("[ \t]+");
                try {
                    if (words.length < 2 || words.length > 3) {
                        throw new IllegalArgumentException("not TYPE BASE64");
                    }
                    keys.add(new SshPublicKey(words[0], words[1]));
                } catch (IllegalArgumentException e) {
                    throw invalid(value.location(), "host key " + Printable.quoted(element.isTextual() ? text
                            : element.toString()) + " is not \"TYPE BASE64\" (e.g. the first two words of"
                            + " /etc/ssh/ssh_host_ed25519_key.pub)");
                }
            }
            return List.copyOf(keys);
        }

        /** A file name: a string, not empty, without control characters (they could not be a unit's path). */
        private String path(Located value) {
            String path = string(value);
            if (path.isBlank()) {
                throw invalid(value.location(), "must not be empty");
            }
            if (!Printable.escape(path).equals(path)) {
                throw invalid(value.location(), "path " + Printable.quoted(path) + " contains control characters");
            }
            return path;
        }

        private String string(Located value) {
            if (!value.node().isTextual()) {
                throw invalid(value.location(), "must be a string (in double quotes), not " + value.node());
            }
            return value.node().asText();
        }

        private long integer(Located value) {
            if (!value.node().isIntegralNumber() || !value.node().canConvertToLong()) {
                throw invalid(value.location(), "must be a whole number, not " + value.node());
            }
            return value.node().asLong();
        }

        private int integerPort(long value) {
            return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? -1 : (int) value;
        }

        private boolean bool(Located value) {
            if (!value.node().isBoolean()) {
                throw invalid(value.location(), "must be true or false, not " + value.node());
            }
            return value.node().asBoolean();
        }

        /** Runs a model parser on a value: what it rejects is named with the value's line and field. */
        private <T> T check(Located value, java.util.function.Function<Located, T> parse) {
            try {
                return parse.apply(value);
            } catch (InvalidInputException invalid) {
                if (invalid instanceof Located.Error) {
                    throw invalid;
                }
                throw invalid(value.location(), invalid.getMessage());
            }
        }

        private InvalidInputException invalid(String field, String message) {
            return new Located.Error(source + ":" + lines.lineOf(field) + ": " + field + ": " + message);
        }
    }

    /** A value and the field it was written in ({@code tunnel[2].target}). */
    private record Located(String location, JsonNode node) {
        /** A problem already named with file, line and field. */
        static final class Error extends InvalidInputException {
            private static final long serialVersionUID = 1L;

            Error(String message) {
                super(message);
            }
        }
    }
}
