package io.scitex.tunnel.model;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BastionAddressTest {
    @Test
    void parsesUserAndHost() {
        assertThat(BastionAddress.parse("user@bastion.example.com"))
                .isEqualTo(new BastionAddress(Optional.of("user"), "bastion.example.com", 22));
    }

    @Test
    void defaultsToNoUserAndPort22() {
        BastionAddress address = BastionAddress.parse("bastion.example.com");

        assertThat(address.user()).isEmpty();
        assertThat(address.port()).isEqualTo(BastionAddress.DEFAULT_SSH_PORT).isEqualTo(22);
    }

    @Test
    void parsesHostAndPort() {
        assertThat(BastionAddress.parse("bastion.example.com:2200"))
                .isEqualTo(new BastionAddress(Optional.empty(), "bastion.example.com", 2200));
    }

    @Test
    void parsesUserHostAndPort() {
        assertThat(BastionAddress.parse("tunnel@10.0.0.7:2200"))
                .isEqualTo(new BastionAddress(Optional.of("tunnel"), "10.0.0.7", 2200));
    }

    @Test
    void parsesBracketedIpv6WithPort() {
        assertThat(BastionAddress.parse("user@[2001:db8::1]:2200"))
                .isEqualTo(new BastionAddress(Optional.of("user"), "2001:db8::1", 2200));
    }

    @Test
    void parsesBracketedIpv6WithoutPort() {
        assertThat(BastionAddress.parse("[::1]")).isEqualTo(new BastionAddress(Optional.empty(), "::1", 22));
    }

    @Test
    void parsesBareIpv6AsHostWithDefaultPort() {
        assertThat(BastionAddress.parse("2001:db8::1"))
                .isEqualTo(new BastionAddress(Optional.empty(), "2001:db8::1", 22));
    }

    @Test
    void parsesIpv6WithZone() {
        assertThat(BastionAddress.parse("[fe80::1%eth0]:2200").host()).isEqualTo("fe80::1%eth0");
    }

    @Test
    void lowerCasesHostButNotUser() {
        BastionAddress address = BastionAddress.parse("Admin@Bastion.Example.COM");

        assertThat(address.host()).isEqualTo("bastion.example.com");
        assertThat(address.user()).contains("Admin");
    }

    @Test
    void splitsUserAtLastAt() {
        assertThatThrownBy(() -> BastionAddress.parse("a@b@host")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a@b'");
    }

    @Test
    void acceptsMachineAccountLoginEndingInDollar() {
        assertThat(BastionAddress.parse("host1$@bastion").user()).contains("host1$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@bastion.example.com", "bastion.example.com", "bastion.example.com:2200",
        "u@10.0.0.1:65535", "[2001:db8::1]", "user@[2001:db8::1]:2200", "[fe80::1%eth0]:1", "host.:2",
        "my_host", "a.b-c_d@x-1.y"})
    void toStringParsesBackToTheSameAddress(String text) {
        BastionAddress address = BastionAddress.parse(text);

        assertThat(BastionAddress.parse(address.toString())).isEqualTo(address);
    }

    @Test
    void toStringOmitsDefaultPort() {
        assertThat(BastionAddress.parse("user@host:22")).hasToString("user@host");
    }

    @Test
    void toStringBracketsIpv6() {
        assertThat(BastionAddress.parse("2001:DB8::1")).hasToString("[2001:db8::1]");
        assertThat(BastionAddress.parse("u@[2001:db8::1]:2200")).hasToString("u@[2001:db8::1]:2200");
    }

    @Test
    void knownHostsNameIsPlainHostForPort22() {
        assertThat(BastionAddress.parse("user@bastion.example.com:22").knownHostsName())
                .isEqualTo("bastion.example.com");
    }

    @Test
    void knownHostsNameBracketsHostForOtherPorts() {
        assertThat(BastionAddress.parse("user@bastion.example.com:2200").knownHostsName())
                .isEqualTo("[bastion.example.com]:2200");
        assertThat(BastionAddress.parse("[2001:db8::1]:2200").knownHostsName()).isEqualTo("[2001:db8::1]:2200");
    }

    @Test
    void sshCommandLogsInAsTheAddressSays() {
        assertThat(BastionAddress.parse("u@bastion.example.com:2200").sshCommand())
                .isEqualTo("ssh -p 2200 u@bastion.example.com");
        assertThat(BastionAddress.parse("[2001:db8::1]").sshCommand()).isEqualTo("ssh -p 22 2001:db8::1");
    }

    @Test
    void rejectsMissingBastion() {
        assertThatThrownBy(() -> BastionAddress.parse(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bastion is missing");
    }

    @Test
    void rejectsBastionThatStartsWithDash() {
        assertThatThrownBy(() -> BastionAddress.parse("-oProxyCommand=x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("starts with '-'");
    }

    @Test
    void rejectsHostThatStartsWithDashAfterUser() {
        assertThatThrownBy(() -> BastionAddress.parse("user@-oProxyCommand=x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("starts with '-'");
    }

    @Test
    void showsNewlineEscapedInMessage() {
        assertThatThrownBy(() -> BastionAddress.parse("host\nProxyCommand x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'host\\x0aProxyCommand x'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h:0", "h:65536", "h:abc", "h:", "h:-1", "h:1e3", "h:+22", "h:２２", "[::1]:0",
        "[::1]:99999"})
    void rejectsBadPort(String text) {
        assertThatThrownBy(() -> BastionAddress.parse(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("port")
                .satisfies(e -> assertOneLine(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "\n", "a b", "a\nb", "a\rb", "host\n", " host", "host\t", "a\u0000b",
        "a\u007fb", "a\u0085b", "a\u2028b", "a\u00a0b", "-oProxyCommand=x", "-host", "user@-oProxyCommand=x",
        "user@-h", "@host", "'user'@host", "\"host\"", "host'", "h`id`", "host;reboot", "user;x@host",
        "$(reboot)@host", "u$er@host", "h$x", "${HOME}", "user@h%n", "100%@host", "us\\er@host", "host\\",
        "bästion.example.com", "user@中文.example", "ü@host", "host😀", "[::1", "[::1]x", "[::1]:", "[]", "[]:22",
        "[host name]", "user@", "host/path", "host,other", "*", "h?st", "host..example", ".host", "a.-b",
        "g:h:i", "::1:22:x", "user-with-a-very-long-name-over-32-chars@host"})
    void rejectsHostileBastion(String text) {
        assertThatThrownBy(() -> BastionAddress.parse(text)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsInvalidHostWhenConstructedDirectly() {
        assertThatThrownBy(() -> new BastionAddress(Optional.empty(), "a b", 22))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new BastionAddress(Optional.of(""), "host", 22))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new BastionAddress(Optional.empty(), "host", 0))
                .isInstanceOf(InvalidInputException.class);
    }
}
