package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.FileOwner;
import io.scitex.tunnel.host.FileOwners;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.model.InvalidInputException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which installations a tunnel's service may run: seen, and changed by nobody but root and its own user. */
class ServiceCodeTest {
    private static final ServiceUser ROOT = new ServiceUser("root", 0, Path.of("/root"));
    private static final ServiceUser ALICE = new ServiceUser("alice", 1000, Path.of("/home/alice"));
    private static final ToolInstallation PACKAGE = new ToolInstallation(Path.of("/usr/bin/scitex-tunnel"),
            Path.of("/usr/lib/scitex-tunnel/scitex-tunnel.jar"), Path.of("/usr/lib/scitex-tunnel/runtime"));
    private static final ToolInstallation CHECKOUT = new ToolInstallation(Path.of("/srv/co/bin/scitex-tunnel"),
            Path.of("/usr/lib/jvm/java-17"));

    /** Files and directories not listed are root's, mode 755. */
    private final Map<Path, FileOwner> owners = new HashMap<>();
    private final ServiceCode check = new ServiceCode(new FileOwners() {
        @Override
        public Path real(Path path) {
            return path;
        }

        @Override
        public Optional<FileOwner> of(Path path) {
            return path.startsWith("/gone") ? Optional.empty()
                    : Optional.of(owners.getOrDefault(path, new FileOwner(0, 0, 0040755)));
        }
    });

    @Test
    void thePackagesRootOwnedFilesMayBeRunByAnyService() {
        assertThatCode(() -> check.requireRunnable(PACKAGE, ROOT)).doesNotThrowAnyException();
        assertThatCode(() -> check.requireRunnable(PACKAGE, ALICE)).doesNotThrowAnyException();
    }

    @Test
    void aCheckoutUnderTmpIsRefusedBecausePrivateTmpHidesIt() {
        ToolInstallation underTmp = new ToolInstallation(Path.of("/tmp/clone/bin/scitex-tunnel"), Path.of("/usr/lib/jvm/x"));

        assertThatThrownBy(() -> check.requireRunnable(underTmp, ROOT)).isInstanceOf(InvalidInputException.class)
                .hasMessage("the native engine's service (as root) would run /tmp/clone/bin/scitex-tunnel, which its"
                        + " sandbox hides (PrivateTmp=yes replaces /tmp): " + ServiceCode.INSTALL_THE_PACKAGE);
    }

    @Test
    void aJarInAHomeOrVarTmpIsRefusedNamingTheSetting() {
        ToolInstallation inHome = new ToolInstallation(Path.of("/usr/bin/scitex-tunnel"),
                Path.of("/home/alice/co/target/scitex-tunnel.jar"), Path.of("/usr/lib/jvm/x"));
        ToolInstallation javaInVarTmp = new ToolInstallation(Path.of("/usr/bin/scitex-tunnel"),
                Path.of("/usr/lib/scitex-tunnel/scitex-tunnel.jar"), Path.of("/var/tmp/jdk"));

        assertThatThrownBy(() -> check.requireRunnable(inHome, ALICE)).hasMessageContaining(
                "would run /home/alice/co/target/scitex-tunnel.jar, which its sandbox hides (ProtectHome=tmpfs replaces /home)");
        assertThatThrownBy(() -> check.requireRunnable(javaInVarTmp, ROOT)).hasMessageContaining(
                "would run /var/tmp/jdk/bin/java, which its sandbox hides (PrivateTmp=yes replaces /var/tmp)");
    }

    @Test
    void aCheckoutOwnedByAUserIsRefusedForRootsServiceButRunsAsThatUser() {
        owners.put(Path.of("/srv/co"), new FileOwner(1000, 1000, 0040755));

        assertThatThrownBy(() -> check.requireRunnable(CHECKOUT, ROOT)).isInstanceOf(InvalidInputException.class)
                .hasMessage("the native engine's service (as root) would run /srv/co/bin/scitex-tunnel, and /srv/co"
                        + " belongs to uid 1000, who could change what it runs: " + ServiceCode.INSTALL_THE_PACKAGE);
        assertThatCode(() -> check.requireRunnable(CHECKOUT, ALICE)).doesNotThrowAnyException();
    }

    @Test
    void aFileOrDirectoryItsGroupOrOthersMayWriteIsRefused() {
        owners.put(Path.of("/srv/co/target/scitex-tunnel.jar"), new FileOwner(0, 0, 0100664));
        assertThatThrownBy(() -> check.requireRunnable(CHECKOUT, ALICE)).hasMessageContaining(
                "/srv/co/target/scitex-tunnel.jar may be changed by its group or others (mode 664)");

        owners.clear();
        owners.put(Path.of("/srv"), new FileOwner(0, 0, 0040777));
        assertThatThrownBy(() -> check.requireRunnable(CHECKOUT, ROOT)).hasMessageContaining(
                "and /srv may be changed by its group or others (mode 777)");
    }

    @Test
    void aStickyDirectoryAboveIsAcceptedSinceOnlyAnEntrysOwnerMayReplaceIt() {
        owners.put(Path.of("/srv"), new FileOwner(0, 0, 0041777));

        assertThatCode(() -> check.requireRunnable(CHECKOUT, ROOT)).doesNotThrowAnyException();
    }

    @Test
    void aFileThatCannotBeCheckedIsRefused() {
        ToolInstallation gone = new ToolInstallation(Path.of("/gone/bin/scitex-tunnel"), Path.of("/usr/lib/jvm/x"));

        assertThatThrownBy(() -> check.requireRunnable(gone, ROOT)).hasMessageContaining(
                "and /gone/bin/scitex-tunnel cannot be read to check who may change it");
    }

    @Test
    void everyRefusalIsOneLine() {
        owners.put(Path.of("/srv/co/bin"), new FileOwner(1000, 1000, 0040700));

        assertThatThrownBy(() -> check.requireRunnable(CHECKOUT, ROOT))
                .satisfies(refused -> assertThat(refused.getMessage()).doesNotContain("\n"));
    }
}
