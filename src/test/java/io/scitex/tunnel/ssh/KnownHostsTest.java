package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownHostsTest {
    @TempDir
    static Path keys;
    @TempDir
    Path dir;

    private static SshPublicKey a;
    private static SshPublicKey b;
    private static SshPublicKey c;

    @BeforeAll
    static void generateKeys() throws Exception {
        a = SshPublicKeyTest.read(Path.of(OpenSsh.generate(keys.resolve("a"), "ed25519", "") + ".pub"));
        b = SshPublicKeyTest.read(Path.of(OpenSsh.generate(keys.resolve("b"), "ecdsa", "") + ".pub"));
        c = SshPublicKeyTest.read(Path.of(OpenSsh.generate(keys.resolve("c"), "ed25519", "") + ".pub"));
    }

    private static String line(String hosts, SshPublicKey key) {
        return hosts + " " + key.type() + " " + key.base64() + "\n";
    }

    @Test
    void findsKeyByPlainName() {
        KnownHosts known = KnownHosts.parse(line("bastion.example.com", a) + line("other", b));

        assertThat(known.keysFor("bastion.example.com")).containsExactly(a);
        assertThat(known.keysFor("other")).containsExactly(b);
        assertThat(known.keysFor("bastion")).isEmpty();
    }

    @Test
    void findsEveryKeyOfAHost() {
        assertThat(KnownHosts.parse(line("h", a) + line("h", b)).keysFor("h")).containsExactly(a, b);
    }

    @Test
    void listsEachKeyOnce() {
        assertThat(KnownHosts.parse(line("h", a) + line("h,x", a)).keysFor("h")).containsExactly(a);
    }

    @Test
    void matchesNamesCaseInsensitively() {
        assertThat(KnownHosts.parse(line("Bastion.Example.COM", a)).keysFor("bastion.EXAMPLE.com")).containsExactly(a);
    }

    @Test
    void matchesAnyNameOfACommaList() {
        KnownHosts known = KnownHosts.parse(line("bastion,10.0.0.7,[bastion]:2200", a));

        assertThat(known.keysFor("bastion")).containsExactly(a);
        assertThat(known.keysFor("10.0.0.7")).containsExactly(a);
        assertThat(known.keysFor("[bastion]:2200")).containsExactly(a);
        assertThat(known.keysFor("10.0.0.70")).isEmpty();
    }

    @Test
    void starMatchesAnyRun() {
        KnownHosts known = KnownHosts.parse(line("*.example.com", a));

        assertThat(known.keysFor("bastion.example.com")).containsExactly(a);
        assertThat(known.keysFor("a.b.example.com")).containsExactly(a);
        assertThat(known.keysFor("example.com")).isEmpty();
        assertThat(known.keysFor("bastion.example.org")).isEmpty();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        KnownHosts known = KnownHosts.parse(line("host?", a));

        assertThat(known.keysFor("host1")).containsExactly(a);
        assertThat(known.keysFor("host")).isEmpty();
        assertThat(known.keysFor("host12")).isEmpty();
    }

    @Test
    void negatedPatternExcludesHostEvenIfAnotherPatternMatches() {
        KnownHosts known = KnownHosts.parse(line("*.example.com,!bad.example.com", a));

        assertThat(known.keysFor("good.example.com")).containsExactly(a);
        assertThat(known.keysFor("bad.example.com")).isEmpty();
    }

    @Test
    void negatedPatternAloneMatchesNothing() {
        assertThat(KnownHosts.parse(line("!bad", a)).keysFor("good")).isEmpty();
    }

    @Test
    void portEntriesMatchOnlyWithThatPort() {
        KnownHosts known = KnownHosts.parse(line("[bastion]:2200", a) + line("bastion", b));

        assertThat(known.keysFor("[bastion]:2200")).containsExactly(a);
        assertThat(known.keysFor("bastion")).containsExactly(b);
        assertThat(known.keysFor("[bastion]:2201")).isEmpty();
    }

    @Test
    void wildcardCanCoverPorts() {
        assertThat(KnownHosts.parse(line("[bastion]:*", a)).keysFor("[bastion]:2200")).containsExactly(a);
    }

    @Test
    void revokedKeyIsRemoved() {
        KnownHosts known = KnownHosts.parse(line("bastion", a) + line("bastion", b) + "@revoked " + line("*", a));

        assertThat(known.keysFor("bastion")).containsExactly(b);
    }

    @Test
    void certAuthorityIsNoHostKey() {
        KnownHosts known = KnownHosts.parse("@cert-authority " + line("*.example.com", a) + line("h.example.com", b));

        assertThat(known.keysFor("h.example.com")).containsExactly(b);
    }

    @Test
    void skipsCommentsBlankAndMalformedLines() {
        KnownHosts known = KnownHosts.parse("# bastion ssh-ed25519 " + a.base64() + "\n\n   \nbastion\nbastion ssh-ed25519\n"
                + "bastion ssh-ed25519 not*base64\n" + "@revoked bastion\n" + line("bastion", b));

        assertThat(known.keysFor("bastion")).containsExactly(b);
    }

    @Test
    void readsTabsCommentsAndCrLf() {
        assertThat(KnownHosts.parse("bastion\t" + a.type() + "\t" + a.base64() + " root@host\r\n").keysFor("bastion"))
                .containsExactly(a);
    }

    @Test
    void findsHashedEntriesMadeBySshKeygen() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, line("bastion.example.com,10.0.0.7", a) + line("[bastion.example.com]:2200", b));
        OpenSsh.hash(file);
        String hashed = Files.readString(file);
        assertThat(hashed).doesNotContain("bastion").contains("|1|");

        KnownHosts known = KnownHosts.parse(hashed);

        assertThat(known.keysFor("bastion.example.com")).containsExactly(a);
        assertThat(known.keysFor("10.0.0.7")).containsExactly(a);
        assertThat(known.keysFor("[bastion.example.com]:2200")).containsExactly(b);
        assertThat(known.keysFor("bastion.example.org")).isEmpty();
        assertThat(known.keysFor("[bastion.example.com]:2201")).isEmpty();
        assertThat(known.keysFor("10.0.0.70")).isEmpty();
    }

    @Test
    void ignoresMalformedHashes() {
        assertThat(KnownHosts.parse(line("|1|not-base64|x", a) + line("|1|AAAA|", b) + line("|1|a|b|c", c))
                .keysFor("bastion")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bastion.example.com", "BASTION.example.com", "other.example.com", "bad.example.com",
        "[bastion.example.com]:2200", "[bastion.example.com]:22", "host1", "host12", "10.0.0.7", "10.0.0.70",
        "hashed.example.com", "[hashed.example.com]:2200", "x.internal", "nothing"})
    void agreesWithSshKeygenFind(String name) throws Exception {
        Path plain = dir.resolve("plain");
        Files.writeString(plain, line("hashed.example.com", a) + line("[hashed.example.com]:2200", c));
        OpenSsh.hash(plain);
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# comment\n" + line("bastion.example.com,10.0.0.7", a) + line("*.example.com,!bad.example.com", b)
                + line("[bastion.example.com]:2200", c) + line("host?", c) + line("*.internal", a) + Files.readString(plain));

        List<SshPublicKey> found = KnownHosts.parse(Files.readString(file)).keysFor(name);

        List<SshPublicKey> oracle = OpenSsh.find(file, name).stream().map(l -> l.split("[ \t]+"))
                .map(f -> new SshPublicKey(f[1], f[2])).distinct().toList();
        assertThat(found).containsExactlyInAnyOrderElementsOf(oracle);
    }
}
