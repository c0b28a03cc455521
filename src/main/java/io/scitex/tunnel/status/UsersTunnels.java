package io.scitex.tunnel.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The own tunnels of every user who lingers, for root ({@code status --all-users}): each user's tunnels are
 * read by that user's own {@code scitex-tunnel status --user --json}, run with the user's ids (setpriv, no login),
 * so root neither reads a file the user controls nor follows one of their links, and each user's manager,
 * journal and keys are asked by their owner. What comes back is the user's, and is parsed as untrusted text.
 */
public final class UsersTunnels {
    /** One user's tunnels, or why they could not be listed. */
    public record Owned(String owner, List<TunnelStatus> tunnels, Optional<String> problem) {
        public Owned {
            tunnels = List.copyOf(tunnels);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** At most this much of a user's answer is read: a few hundred tunnels' worth. */
    private static final int MAX_ANSWER = 1 << 20;
    private final Linger linger;
    private final Users users;
    private final CommandRunner runner;
    private final Supplier<Optional<ToolInstallation>> installation;

    public UsersTunnels(Linger linger, Users users, CommandRunner runner,
                        Supplier<Optional<ToolInstallation>> installation) {
        this.linger = linger;
        this.users = users;
        this.runner = runner;
        this.installation = installation;
    }

    /**
     * Every lingering user's tunnels, by user name; with {@code probeTimeout} each probed end to end (with the
     * user's own key), without only as their manager sees them.
     */
    public List<Owned> all(Optional<Duration> probeTimeout) {
        ToolInstallation tool = installation.get().orElseThrow(() -> new TunnelException("status --all-users runs"
                + " each user's own `scitex-tunnel status --user`, and no scitex-tunnel launcher was found: run it"
                + " with bin/scitex-tunnel, or put it on PATH"));
        List<Owned> owned = new ArrayList<>();
        try {
            for (String name : linger.users()) {
                owned.add(of(name, tool, probeTimeout));
            }
        } catch (IOException e) {
            throw new TunnelException("cannot list the users who linger (" + Linger.DIRECTORY + "): " + e.getMessage(), e);
        }
        return owned;
    }

    private Owned of(String name, ToolInstallation tool, Optional<Duration> probeTimeout) {
        String shown = Printable.escape(name);
        ServiceUser user;
        try {
            user = users.lookup(name);
        } catch (IOException e) {
            return new Owned(shown, List.of(), Optional.of("no such user"));
        }
        try {
            CommandResult answer = AsUser.of(runner, user).run(command(user, tool, probeTimeout));
            // 0: all up, 3: one is not; anything else is the user's status failing.
            if (answer.exitCode() != 0 && answer.exitCode() != 3) {
                return new Owned(shown, List.of(), Optional.of(Printable.escape(answer.firstErrorLine())));
            }
            return new Owned(shown, parse(answer.stdout()), Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new Owned(shown, List.of(), Optional.of(Printable.escape(String.valueOf(e.getMessage()))));
        }
    }

    /** The user's own status, as JSON, with their runtime directory and the JDK and launcher running now. */
    static List<String> command(ServiceUser user, ToolInstallation tool, Optional<Duration> probeTimeout) {
        List<String> command = new ArrayList<>(List.of("env", "XDG_RUNTIME_DIR=" + Path.of("/run/user/" + user.uid())));
        command.addAll(RunCommandLine.environment(tool.java()));
        command.addAll(List.of(tool.launcher().toString(), "status", "--user", "--json"));
        if (probeTimeout.isPresent()) {
            command.addAll(List.of("--timeout", Long.toString(Math.max(1, probeTimeout.get().toSeconds()))));
        } else {
            command.add("--no-probe");
        }
        return command;
    }

    /** {@code status --json} as it prints it, read back; anything else is refused. */
    static List<TunnelStatus> parse(String json) {
        if (json.length() > MAX_ANSWER) {
            throw new TunnelException("the answer is larger than " + MAX_ANSWER + " bytes");
        }
        JsonNode array;
        try {
            array = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new TunnelException("the answer is not status --json");
        }
        if (array == null || !array.isArray()) {
            throw new TunnelException("the answer is not status --json");
        }
        List<TunnelStatus> tunnels = new ArrayList<>();
        for (JsonNode tunnel : array) {
            tunnels.add(tunnel(tunnel));
        }
        return tunnels;
    }

    private static TunnelStatus tunnel(JsonNode node) {
        Instant checked = instant(node, "checked_at").orElse(Instant.EPOCH);
        Optional<JournalEvent> lastError = text(node, "last_error").map(message ->
                JournalEvent.of(instant(node, "last_error_at").orElse(checked), 0, message));
        Health health;
        try {
            health = Health.valueOf(text(node, "health").orElse("unknown").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            health = Health.UNKNOWN;
        }
        TunnelHealth tunnelHealth = new TunnelHealth(health, text(node, "detail").orElse(""), checked, lastError,
                Optional.empty());
        int port = TunnelPort.check(node.path("port").asInt());
        return new TunnelStatus(port, UnitName.of(port), text(node, "bastion"), text(node, "target"),
                text(node, "state").orElse("unknown"), text(node, "sub_state").orElse("unknown"), instant(node, "since"),
                node.path("restarts").asInt(), instant(node, "service_started"), tunnelHealth);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        try {
            return text(node, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
