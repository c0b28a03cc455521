package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import net.i2p.crypto.eddsa.EdDSAEngine;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ed25519 signatures (a bastion's host key, the tunnel key's) are checked by MINA SSHD over
 * {@code net.i2p.crypto:eddsa} 0.3.0, which scanners flag for CVE-2020-36843: its verifier accepts
 * {@code S + L} (L, the group order) as well as {@code S}, so that anyone can turn one valid signature into a
 * second one. MINA rejects {@code S >= L} before the library sees the signature. These tests keep both facts
 * in view, so that an upgrade of either that changes them is noticed.
 */
class Ed25519SignatureTest {
    /** L = 2^252 + 27742317777372353535851937790883648493, little-endian, as ed25519 encodes S. */
    private static final int[] ORDER = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde,
        0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
    private static final byte[] MESSAGE = "an SSH exchange hash".getBytes(StandardCharsets.UTF_8);

    private KeyPair pair;
    private byte[] signature;

    @BeforeEach
    void sign() throws Exception {
        pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Signature signer = SecurityUtils.getEDDSASigner();
        signer.initSigner(null, pair.getPrivate());
        signer.update(null, MESSAGE);
        signature = signer.sign(null);
    }

    @Test
    void minaAcceptsTheSignature() throws Exception {
        assertThat(signature).hasSize(64);
        assertThat(minaVerifies(pair.getPublic(), signature)).isTrue();
    }

    @Test
    void minaRejectsTheSameSignatureWithSPlusTheGroupOrder() throws Exception {
        assertThat(minaVerifies(pair.getPublic(), withSPlusOrder(signature))).isFalse();
    }

    @Test
    void theLibraryAloneAcceptsIt() throws Exception {
        EdDSAEngine engine = new EdDSAEngine(MessageDigest.getInstance("SHA-512"));
        engine.initVerify(pair.getPublic());

        assertThat(engine.verifyOneShot(MESSAGE, withSPlusOrder(signature))).isTrue();
    }

    private static boolean minaVerifies(PublicKey key, byte[] candidate) throws Exception {
        Signature verifier = SecurityUtils.getEDDSASigner();
        verifier.initVerifier(null, key);
        verifier.update(null, MESSAGE);
        return verifier.verify(null, candidate);
    }

    /** R unchanged, S + L: the same point [S]B, so a verifier that does not check S < L accepts it. */
    private static byte[] withSPlusOrder(byte[] signature) {
        byte[] malleated = signature.clone();
        int carry = 0;
        for (int i = 0; i < 32; i++) {
            int sum = (malleated[32 + i] & 0xff) + ORDER[i] + carry;
            malleated[32 + i] = (byte) sum;
            carry = sum >> 8;
        }
        assertThat(carry).as("S + L fits in 32 bytes, since S < L < 2^253").isZero();
        return malleated;
    }
}
