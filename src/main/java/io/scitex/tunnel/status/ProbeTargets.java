package io.scitex.tunnel.status;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.ssh.KeyPairLoader;
import io.scitex.tunnel.ssh.LocalHostKeys;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.SshConfigWords;
import io.scitex.tunnel.unit.TunnelEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out from a tunnel's unit what to probe the tunnel with: the bastion, login, key, known_hosts and
 * passphrase its service connects with. The probe reads the key and the passphrase file as root, so both are
 * checked here first as files of the service user's (or, for the passphrase, of root's own): a unit naming a
 * path that the user has turned into a link to another user's or root's file is not probed.
 */
public final class ProbeTargets {
    private static final Path SYSTEM_KNOWN_HOSTS = Path.of("/etc/ssh/ssh_known_hosts");
    /** Where this machine's sshd keeps its host keys ({@code ssh_host_*_key.pub}). */
    public static final Path MACHINE_HOST_KEYS = Path.of("/etc/ssh");
    private final Users users;
    private final Optional<String> owner;
    private final Optional<Path> machineHostKeys;

    /**
     * Probe targets of system tunnels, whose units name the user they run as ({@code User=}, else root), that do
     * not compare an sshd target's host key with this machine's.
     */
    public ProbeTargets(Users users) {
        this(users, Optional.empty(), Optional.empty());
    }

    /** @param owner for a user's own tunnels, that user: their units name nobody, their manager runs as them */
    public ProbeTargets(Users users, Optional<String> owner) {
        this(users, owner, Optional.empty());
    }

    /**
     * @param machineHostKeys the directory of this machine's sshd host keys ({@link #MACHINE_HOST_KEYS}): an sshd
     *                        target on this machine must present one of them through the tunnel
     */
    public ProbeTargets(Users users, Path machineHostKeys) {
        this(users, Optional.empty(), Optional.of(machineHostKeys));
    }

    public ProbeTargets(Users users, Optional<String> owner, Optional<Path> machineHostKeys) {
        this.users = users;
        this.owner = owner;
        this.machineHostKeys = machineHostKeys;
    }

    /** The name of the account {@code unit}'s service runs as. */
    public String serviceUserName(InstalledUnit unit) {
        return owner.orElseGet(unit::serviceUser);
    }

    /**
     * What to probe {@code tunnel} with; a RuntimeException says why it cannot be probed.
     *
     * @param homes the service users' homes looked up so far, by user name; one map serves all tunnels of a
     *              check, so that each user is looked up once
     */
    public ForwardProbe.Tunnel of(InstalledTunnel tunnel, Map<String, Path> homes) {
        InstalledUnit unit = tunnel.unit();
        TunnelEndpoints endpoints = unit.endpoints();
        BastionAddress bastion = bastionOf(endpoints);
        String user = serviceUserName(unit);
        Path home = homes.computeIfAbsent(user, name -> serviceUser(name).home());
        String key = endpoints.identityFile().orElseThrow(() -> new TunnelException(
                "the unit names no key (-i KEY or -o IdentityFile=KEY), so there is none to probe with"));
        Path knownHosts = endpoints.knownHostsFiles().stream()
                .map(file -> SshConfigWords.expandPath(file, home, user))
                .filter(Files::exists).findFirst()
                .orElseGet(() -> defaultKnownHosts(home));
        Optional<TargetAddress> target = tunnel.status().target().flatMap(ProbeTargets::targetAddress);
        Path keyFile = usersFile(SshConfigWords.expandPath(key, home, user), user, "key", PrivateKeyCheck.MAX_KEY_BYTES);
        Optional<Path> passphrase = unit.passphrase().map(file -> UserFiles.isRootsOwn(file) ? file
                : usersFile(file, user, "passphrase file", KeyPairLoader.MAX_PASSPHRASE_BYTES));
        List<SshPublicKey> machineKeys = target.filter(ProbeTargets::isThisMachinesSshd).isPresent()
                ? machineHostKeys.map(directory -> new LocalHostKeys(directory).all()).orElse(List.of()) : List.of();
        return new ForwardProbe.Tunnel(tunnel.port(), bastion, bastion.user().orElse(user), keyFile, knownHosts,
                target, passphrase, unit.probe(), machineKeys);
    }

    /**
     * This machine's own sshd (a loopback address, port 22): its host keys are the ones to expect through the
     * tunnel. Another port on loopback may well be another machine's sshd on purpose (a VM's or a container's
     * forwarded port), whose keys are not this machine's.
     */
    static boolean isThisMachinesSshd(TargetAddress target) {
        String host = target.host();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
        return loopback && target.port() == 22;
    }

    /**
     * {@code file} as the file it really is, once checked as {@code user}'s own; a missing one is left for the
     * probe to report.
     */
    private static Path usersFile(Path file, String user, String what, int maxBytes) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return file;
        }
        try {
            return UserFiles.check(file, user, what, maxBytes).real();
        } catch (InvalidInputException unsafe) {
            throw new TunnelException(unsafe.getMessage());
        }
    }

    /** The bastion a unit's command line connects to; {@link TunnelException} if it names none it can use. */
    static BastionAddress bastionOf(TunnelEndpoints endpoints) {
        try {
            return BastionAddress.parse(endpoints.bastion()
                    .orElseThrow(() -> new TunnelException("the unit names no bastion")));
        } catch (InvalidInputException e) {
            throw new TunnelException("cannot read the bastion from the unit: " + e.getMessage());
        }
    }

    /** The account a unit's service runs as, looked up; {@link TunnelException} if it cannot be. */
    public ServiceUser serviceUser(String name) {
        try {
            return users.lookup(name);
        } catch (IOException e) {
            throw new TunnelException("cannot look up the service user " + name + ": " + e.getMessage());
        }
    }

    /** ssh's defaults when a unit names no known_hosts file: the user's own, else the system-wide one. */
    private static Path defaultKnownHosts(Path home) {
        Path own = home.resolve(".ssh/known_hosts");
        return Files.exists(own) || !Files.exists(SYSTEM_KNOWN_HOSTS) ? own : SYSTEM_KNOWN_HOSTS;
    }

    private static Optional<TargetAddress> targetAddress(String text) {
        try {
            return Optional.of(TargetAddress.parse(text));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }
}
