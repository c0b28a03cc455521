package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Apache MINA SSHD clients with the defaults a tunnel needs instead of MINA's own: the server key is
 * checked strictly against one pinned known_hosts file (unknown or changed keys are refused, nothing is
 * ever written to it), no {@code ~/.ssh/config} and no {@code ~/.ssh/id_*} are read, only public key
 * authentication is tried (nothing can prompt), a healthy session never idles out, a dead link is noticed
 * by heartbeats that want a reply, and AES-GCM is preferred (MINA's chacha20 is far slower). Why a server
 * key was refused is recorded for the session ({@link #hostKeyRefusal}, {@link #hostKeyMismatch}).
 */
public final class StrictSshClient {
    /**
     * For clients made by {@link #createWithPinsPerConnection}: the known_hosts file that one connection
     * trusts, given in the connection context of {@code connect}.
     */
    public static final AttributeKey<Path> KNOWN_HOSTS = new AttributeKey<>();

    /**
     * Why the server's host key was refused, by session. Not kept in the session's attributes: a refused key
     * makes MINA close the session at once, and closing clears its attributes, often before the caller, woken
     * by the failed login, gets to read them. The keys are weak (sessions compare by identity): an entry goes
     * when its session is no longer used.
     */
    private static final Map<Session, Refusal> REFUSALS = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param reason   one line, for error messages
     * @param mismatch when the server presented a key other than the pinned one: both fingerprints
     */
    private record Refusal(String reason, Optional<HostKeyMismatch> mismatch) {}

    /** Cipher preference: AES-GCM first, then CTR; chacha20 last. */
    private static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh);

    private StrictSshClient() {}

    /** A client (not yet started) that trusts only the keys in {@code knownHosts}. */
    public static SshClient create(Path knownHosts, Keepalive keepalive) {
        SshClient client = withSafeDefaults(keepalive);
        client.setServerKeyVerifier(pinned(knownHosts));
        return client;
    }

    /**
     * A client (not yet started) whose connections each trust only the keys of their own known_hosts
     * file, named by {@link #KNOWN_HOSTS} in the connection context ({@code connect(user, host, port,
     * AttributeRepository.ofKeyValuePair(KNOWN_HOSTS, file), null)}); a connection that names none trusts
     * nothing. One client then serves many tunnels, each checked against its own pins.
     */
    public static SshClient createWithPinsPerConnection(Keepalive keepalive) {
        SshClient client = withSafeDefaults(keepalive);
        Map<Path, ServerKeyVerifier> verifiers = new ConcurrentHashMap<>();
        client.setServerKeyVerifier((session, address, key) -> {
            AttributeRepository context = session.getConnectionContext();
            Path file = context == null ? null : context.getAttribute(KNOWN_HOSTS);
            return file != null && verifiers.computeIfAbsent(file, StrictSshClient::pinned)
                    .verifyServerKey(session, address, key);
        });
        return client;
    }

    /** Why the server's host key was refused in {@code session}, if it was; still known after the session closed. */
    public static Optional<String> hostKeyRefusal(Session session) {
        return Optional.ofNullable(REFUSALS.get(session)).map(Refusal::reason);
    }

    /**
     * If the server of {@code session} presented a key other than the pinned one: the expected and presented
     * fingerprints. The key was refused all the same; nothing is ever re-pinned.
     */
    public static Optional<HostKeyMismatch> hostKeyMismatch(Session session) {
        return Optional.ofNullable(REFUSALS.get(session)).flatMap(Refusal::mismatch);
    }

    /** Trusts exactly the keys in {@code knownHosts}; unknown and changed keys are refused and recorded. */
    private static ServerKeyVerifier pinned(Path knownHosts) {
        ServerKeyVerifier unknownKeyRefusal = (session, address, key) -> {
            REFUSALS.put(session, new Refusal("its host key " + describe(key) + " is not pinned in " + knownHosts,
                    Optional.empty()));
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknownKeyRefusal, knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            REFUSALS.put(session, new Refusal("its host key changed: it presents " + describe(actual) + ", but "
                    + describe(expected) + " is pinned in " + knownHosts,
                    Optional.of(new HostKeyMismatch(describe(expected), describe(actual)))));
            return false;
        });
        return verifier;
    }

    private static SshClient withSafeDefaults(Keepalive keepalive) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        // Password and keyboard-interactive would only ever wait for a person; a tunnel has its key.
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setCipherFactories(List.copyOf(CIPHERS));
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(keepalive.intervalSeconds()));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, keepalive.maxMissed());
        return client;
    }

    /** A key as ssh prints it in warnings: its type and SHA256 fingerprint. */
    static String describe(PublicKey key) {
        return key == null ? "(none)" : KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
