package io.scitex.tunnel.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything that defines one tunnel: connections to {@code localhost:port} on the bastion reach
 * {@code target} on this machine, carried by an SSH session that {@code serviceUser} opens with {@code key}.
 */
public record TunnelSpec(int port, BastionAddress bastion, TargetAddress target, Path key, String serviceUser,
                         Keepalive keepalive, ProbeKind probe) {
    /**
     * Names systemd accepts in {@code User=} (its relaxed rules, for accounts from NSS) that are also safe in a
     * unit file and an argv: POSIX's portable characters, plus {@code @} for SSSD and Active Directory
     * accounts ({@code alice@lab.example.org}) and Samba's trailing {@code $}; up to the 255 characters Linux
     * allows (LOGIN_NAME_MAX), as systemd sets no limit of its own there.
     */
    private static final Pattern LOCAL_USER = Pattern.compile("(?=.{1,255}$)[A-Za-z_][A-Za-z0-9_.@-]*\\$?");

    public TunnelSpec {
        TunnelPort.check(port);
        Objects.requireNonNull(bastion, "bastion");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(probe, "probe");
        checkKeyPath(key);
        Checks.check(serviceUser != null && LOCAL_USER.matcher(serviceUser).matches(),
                "service user %s is not a valid user name", serviceUser == null ? "(none)" : Printable.quoted(serviceUser));
    }

    /** A tunnel whose target greets ({@link ProbeKind#GREETING}). */
    public TunnelSpec(int port, BastionAddress bastion, TargetAddress target, Path key, String serviceUser,
                      Keepalive keepalive) {
        this(port, bastion, target, key, serviceUser, keepalive, ProbeKind.GREETING);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The login on the bastion: the address's user, else the service user's name, as ssh would log in. */
    public String login() {
        return bastion.user().orElse(serviceUser);
    }

    public Builder toBuilder() {
        return new Builder().port(port).bastion(bastion).target(target).key(key).serviceUser(serviceUser)
                .keepalive(keepalive).probe(probe);
    }

    /** A key path must be absolute (the service has no working directory) and one printable line. */
    static void checkKeyPath(Path key) {
        Checks.check(key != null, "key is missing: give -s KEY");
        String text = key.toString();
        Checks.check(key.isAbsolute(), "key path %s must be absolute", Printable.quoted(text));
        Checks.check(text.codePoints().noneMatch(cp -> Character.isISOControl(cp) || cp == 0xfffd),
                "key path %s contains a control character", Printable.quoted(text));
    }

    /** Builds a {@link TunnelSpec}; the target defaults to the local sshd, keepalive to 5 s x 3, the probe to greeting. */
    public static final class Builder {
        private int port;
        private BastionAddress bastion;
        private TargetAddress target = TargetAddress.LOCAL_SSHD;
        private Path key;
        private String serviceUser;
        private Keepalive keepalive = Keepalive.DEFAULT;
        private ProbeKind probe = ProbeKind.GREETING;

        private Builder() {}

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bastion(BastionAddress bastion) {
            this.bastion = bastion;
            return this;
        }

        public Builder target(TargetAddress target) {
            this.target = target;
            return this;
        }

        public Builder key(Path key) {
            this.key = key;
            return this;
        }

        public Builder serviceUser(String serviceUser) {
            this.serviceUser = serviceUser;
            return this;
        }

        public Builder keepalive(Keepalive keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        /** How status gets evidence that the target is reached: default {@link ProbeKind#GREETING}. */
        public Builder probe(ProbeKind probe) {
            this.probe = probe;
            return this;
        }

        public TunnelSpec build() {
            return new TunnelSpec(port, bastion, target, key, serviceUser, keepalive, probe);
        }
    }
}
