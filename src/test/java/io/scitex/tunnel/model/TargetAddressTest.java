package io.scitex.tunnel.model;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetAddressTest {
    @Test
    void parsesHostAndPort() {
        assertThat(TargetAddress.parse("localhost:22")).isEqualTo(new TargetAddress("localhost", 22));
    }

    @Test
    void localSshdIsLocalhostPort22() {
        assertThat(TargetAddress.LOCAL_SSHD).isEqualTo(TargetAddress.parse("localhost:22"));
    }

    @Test
    void parsesBracketedIpv6() {
        assertThat(TargetAddress.parse("[::1]:2222")).isEqualTo(new TargetAddress("::1", 2222));
    }

    @Test
    void parsesIpv4() {
        assertThat(TargetAddress.parse("192.168.1.10:8080")).isEqualTo(new TargetAddress("192.168.1.10", 8080));
    }

    @Test
    void lowerCasesHost() {
        assertThat(TargetAddress.parse("WebServer.LAN:80").host()).isEqualTo("webserver.lan");
    }

    @Test
    void toStringBracketsIpv6() {
        assertThat(TargetAddress.parse("[2001:DB8::5]:22")).hasToString("[2001:db8::5]:22");
        assertThat(TargetAddress.parse("db.lan:5432")).hasToString("db.lan:5432");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:22", "[::1]:1", "10.0.0.1:65535", "a_b.c:443", "[fe80::1%eth0]:22"})
    void toStringParsesBackToTheSameAddress(String text) {
        TargetAddress address = TargetAddress.parse(text);

        assertThat(TargetAddress.parse(address.toString())).isEqualTo(address);
    }

    @Test
    void rejectsMissingPort() {
        assertThatThrownBy(() -> TargetAddress.parse("localhost")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("HOST:PORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ":22", "localhost:", "localhost:0", "localhost:65536", "localhost:abc",
        "localhost: 22", "localhost:22 ", "-oProxyCommand=x:22", "-host:22", "a b:22", "a\nb:22", "a\rb:22",
        "host\u0085:22", "[::1]", "[::1:22", "::1]:22", "[]:22", "'host':22", "host;x:22", "$(id):22", "h%n:22",
        "höst:22", "host\\:22", "[[::1]]:22", "host/x:22"})
    void rejectsHostileTarget(String text) {
        assertThatThrownBy(() -> TargetAddress.parse(text)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> TargetAddress.parse(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("target is missing");
    }
}
