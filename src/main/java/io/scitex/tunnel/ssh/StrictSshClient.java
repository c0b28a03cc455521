package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Keepalive;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
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
 * by heartbeats that want a reply, and AES-GCM is preferred (MINA's chacha20 is far slower).
 */
public final class StrictSshClient {
    /** Cipher preference: AES-GCM first, then CTR; chacha20 last. */
    public static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh);

    /** Why the server's host key was refused, recorded on the session for the error message. */
    private static final AttributeKey<String> HOST_KEY_REFUSAL = new AttributeKey<>();

    private StrictSshClient() {}

    /** A client (not yet started) that trusts only the keys in {@code knownHosts}. */
    public static SshClient create(Path knownHosts, Keepalive keepalive) {
        SshClient client = SshClient.setUpDefaultClient();
        ServerKeyVerifier unknownKeyRefusal = (session, address, key) -> {
            session.setAttribute(HOST_KEY_REFUSAL, "its host key " + fingerprint(key) + " is not pinned in "
                    + knownHosts);
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknownKeyRefusal, knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            session.setAttribute(HOST_KEY_REFUSAL, "its host key changed: it presents " + fingerprint(actual)
                    + ", but " + fingerprint(expected) + " is pinned in " + knownHosts);
            return false;
        });
        client.setServerKeyVerifier(verifier);
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

    /** Why the server's host key was refused in {@code session}, if it was. */
    public static Optional<String> hostKeyRefusal(Session session) {
        return Optional.ofNullable(session.getAttribute(HOST_KEY_REFUSAL));
    }

    private static String fingerprint(PublicKey key) {
        return key == null ? "(no key)" : KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
