package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
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
 * key was refused is recorded for each session ({@link #hostKeyRefusal}, {@link #hostKeyMismatch}), and so is
 * how far its handshake got ({@link SshHandshake}).
 */
public final class StrictSshClient {
    /**
     * For clients made by {@link #createWithPinsPerConnection}: the known_hosts file that one connection
     * trusts, read beforehand, given in the connection context of {@code connect}.
     */
    public static final AttributeKey<KnownHostsFile> KNOWN_HOSTS = new AttributeKey<>();

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
     * file, read beforehand and given as {@link #KNOWN_HOSTS} in the connection context ({@code connect(user,
     * host, port, AttributeRepository.ofKeyValuePair(KNOWN_HOSTS, KnownHostsFile.read(file)), null)}); a
     * connection that gives none trusts nothing. One client then serves many tunnels, each checked against
     * its own pins, and no file is ever opened on MINA's I/O threads.
     */
    public static SshClient createWithPinsPerConnection(Keepalive keepalive) {
        SshClient client = withSafeDefaults(keepalive);
        client.setServerKeyVerifier((session, address, key) -> {
            AttributeRepository context = session.getConnectionContext();
            KnownHostsFile pins = context == null ? null : context.getAttribute(KNOWN_HOSTS);
            return pins != null && pinned(new PreloadedKnownHosts(pins), pins.path())
                    .verifyServerKey(session, address, key);
        });
        return client;
    }

    /** Why the server's host key was refused in {@code session}, if it was. */
    public static Optional<String> hostKeyRefusal(Session session) {
        return SshHandshake.hostKeyRefusal(session);
    }

    /**
     * The expected and presented fingerprints, if the server of {@code session} presented a key other than
     * the pinned one. The key is refused all the same; nothing is ever re-pinned.
     */
    public static Optional<HostKeyMismatch> hostKeyMismatch(Session session) {
        return SshHandshake.hostKeyMismatch(session);
    }

    /** Trusts exactly the keys in {@code knownHosts}; unknown and changed keys are refused and recorded. */
    private static ServerKeyVerifier pinned(Path knownHosts) {
        return pinned(new KnownHostsServerKeyVerifier(unknownKeyRefusal(knownHosts), knownHosts), knownHosts);
    }

    private static ServerKeyVerifier unknownKeyRefusal(Path knownHosts) {
        return (session, address, key) -> {
            SshHandshake.hostKeyRefused(session, "its host key " + describe(key) + " is not pinned in " + knownHosts, null);
            return false;
        };
    }

    /** {@code verifier}, made to refuse a changed key and to record why, never re-pinning anything. */
    private static ServerKeyVerifier pinned(KnownHostsServerKeyVerifier verifier, Path knownHosts) {
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            SshHandshake.hostKeyRefused(session, "its host key changed: it presents " + describe(actual)
                    + ", but " + describe(expected) + " is pinned in " + knownHosts,
                    new HostKeyMismatch(describe(expected), describe(actual)));
            return false;
        });
        return verifier;
    }

    private static SshClient withSafeDefaults(Keepalive keepalive) {
        SshClient client = SshClient.setUpDefaultClient();
        SshHandshake.recordOn(client);
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

    /** MINA's known_hosts check, over a file's content read beforehand instead of the file. */
    private static final class PreloadedKnownHosts extends KnownHostsServerKeyVerifier {
        private final String text;

        PreloadedKnownHosts(KnownHostsFile pins) {
            super(unknownKeyRefusal(pins.path()), pins.path());
            this.text = pins.text();
        }

        @Override
        protected List<HostEntryPair> reloadKnownHosts(ClientSession session, Path file) throws IOException {
            List<HostEntryPair> pairs = new ArrayList<>();
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(text)))) {
                try {
                    PublicKey key = resolveHostKey(session, entry, getFallbackPublicKeyEntryResolver());
                    if (key != null) {
                        pairs.add(new HostEntryPair(entry, key));
                    }
                } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
                    // as MINA (and ssh) do with an entry they cannot read: skip it
                }
            }
            return pairs;
        }
    }
}
