package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.Addresses;
import io.scitex.tunnel.testing.Hostile;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

// Generated cases per run: 4000 (2 properties: 2000 + 2000 tries).
class TunnelEndpointsProperties {
    @Property(tries = 2000)
    void readsBackBastionAndTargetOfOwnArgv(@ForAll("bastions") BastionAddress bastion,
            @ForAll("targets") TargetAddress target) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(bastion).target(target)
                .key(Path.of("/home/alice/.ssh/id_ed25519")).serviceUser("alice").build();

        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(
                AutosshCommandLine.argv(Path.of("/usr/bin/autossh"), spec, Path.of("/etc/scitex-tunnel/2222/known_hosts")));

        assertThat(endpoints.bastion().map(BastionAddress::parse)).contains(bastion);
        assertThat(endpoints.target().map(TargetAddress::parse)).contains(target);
    }

    @Property(tries = 2000)
    void readsAnyArgvWithoutFailing(@ForAll("argvs") List<String> argv) {
        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(argv);

        assertThat(endpoints.bastion()).isNotNull();
        assertThat(endpoints.target()).isNotNull();
    }

    @Provide
    Arbitrary<BastionAddress> bastions() {
        return Addresses.bastion().filter(TunnelEndpointsProperties::parses).map(BastionAddress::parse);
    }

    @Provide
    Arbitrary<TargetAddress> targets() {
        return Addresses.target().filter(TunnelEndpointsProperties::parsesAsTarget).map(TargetAddress::parse);
    }

    @Provide
    Arbitrary<List<String>> argvs() {
        Arbitrary<String> arg = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("-M", "-R", "-p", "-l", "-o", "-N", "-fNR", "-Tp", "--", "-", "ssh://",
                        "Port=22", "User=x", "2222:localhost:22", "[::1]:1:[::1]:2", ":", "[", "]", "@")),
                Tuple.of(2, Hostile.text()),
                Tuple.of(1, Hostile.fragment().map(f -> "-" + f)));
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.of("/usr/bin/autossh", "/usr/bin/ssh", "autossh")),
                        Tuple.of(1, Hostile.text()))
                .flatMap(program -> arg.list().ofMaxSize(12).map(args -> {
                    List<String> argv = new java.util.ArrayList<>(List.of(program));
                    argv.addAll(args);
                    return argv;
                }));
    }

    private static boolean parses(String text) {
        try {
            BastionAddress.parse(text);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static boolean parsesAsTarget(String text) {
        try {
            TargetAddress.parse(text);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }
}
