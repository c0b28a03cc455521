package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "bastion.example.com", "bastion.example.com.", "10.0.0.1", "::1",
        "2001:db8::1", "fe80::1%eth0", "::ffff:192.0.2.1", "_srv", "a", "xn--bcher-kva.example"})
    void acceptsHostNamesAndAddresses(String host) {
        assertThat(HostName.check(host, "test")).isEqualTo(host);
    }

    @Test
    void lowerCasesAsSshDoes() {
        assertThat(HostName.check("Bastion.EXAMPLE.com", "test")).isEqualTo("bastion.example.com");
        assertThat(HostName.check("2001:DB8::A", "test")).isEqualTo("2001:db8::a");
    }

    @Test
    void rejectsLeadingDashNamingTheOptionDanger() {
        assertThatThrownBy(() -> HostName.check("-oProxyCommand=x", "bastion"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("bastion host '-oProxyCommand=x' starts with '-': it would be read as an option");
    }

    @Test
    void rejectsLabelLongerThan63Characters() {
        assertThat(HostName.check("a".repeat(63) + ".com", "test")).hasSize(67);
        assertThatThrownBy(() -> HostName.check("a".repeat(64) + ".com", "test"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rejectsNameLongerThan253Characters() {
        String label = "a".repeat(49);
        String name253 = String.join(".", label, label, label, label, label) + ".abc";
        assertThat(name253).hasSize(253);
        assertThat(HostName.check(name253, "test")).isEqualTo(name253);
        assertThatThrownBy(() -> HostName.check(name253 + "d", "test")).isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-h", "a b", "a..b", ".a", "a-", "[::1]", "::1]", "h:22", "host%eth0", "héllo",
        "a_b;c", "'a'", "fe80::1%eth0 x", "fe80::1%" + "abcdefghijklmnop"})
    void rejectsWhatIsNotAHost(String host) {
        assertThatThrownBy(() -> HostName.check(host, "test")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> HostName.check(null, "target")).isInstanceOf(InvalidInputException.class)
                .hasMessage("target has no host name");
    }

    @Test
    void withPortBracketsIpv6Only() {
        assertThat(HostName.withPort("::1", 22)).isEqualTo("[::1]:22");
        assertThat(HostName.withPort("example.com", 80)).isEqualTo("example.com:80");
    }
}
