package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * key was refused is recorded on the session ({@link #hostKeyRefusal}, {@link #HOST_KEY_MISMATCH}).
 */
public final class StrictSshClient {
    /**
     * Set on a session whose server presented a key other than the pinned one: the expected and presented
     * fingerprints. The key is refused all the same; nothing is ever re-pinned.
     */
    public static final AttributeKey<HostKeyMismatch> HOST_KEY_MISMATCH = new AttributeKey<>();

    /**
     * For clients made by {@link #createWithPinsPerConnection}: the known_hosts file that one connection
     * trusts, given in the connection context of {@code connect}.
     */
    public static final AttributeKey<Path> KNOWN_HOSTS = new AttributeKey<>();

    /** Why the server's host key was refused, one line, recorded on the session for error messages. */
    private static final AttributeKey<String> HOST_KEY_REFUSAL = new AttributeKey<>();

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

    /** Why the server's host key was refused in {@code session}, if it was. */
    public static Optional<String> hostKeyRefusal(Session session) {
        return Optional.ofNullable(session.getAttribute(HOST_KEY_REFUSAL));
    }

    /** Trusts exactly the keys in {@code knownHosts}; unknown and changed keys are refused and recorded. */
    private static ServerKeyVerifier pinned(Path knownHosts) {
        ServerKeyVerifier unknownKeyRefusal = (session, address, key) -> {
            session.setAttribute(HOST_KEY_REFUSAL, "its host key " + describe(key) + " is not pinned in " + knownHosts);
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknownKeyRefusal, knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            session.setAttribute(HOST_KEY_MISMATCH, new HostKeyMismatch(describe(expected), describe(actual)));
            session.setAttribute(HOST_KEY_REFUSAL, "its host key changed: it presents " + describe(actual)
                    + ", but " + describe(expected) + " is pinned in " + knownHosts);
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
