package io.scitex.tunnel.bastion;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What sshd itself says about its configuration ({@code sshd -T}, root only: it reads the host keys). */
public final class SshdSettings {
    private static final Logger LOG = LoggerFactory.getLogger(SshdSettings.class);
    /** sshd's own default AuthorizedKeysFile. */
    public static final List<String> DEFAULT_AUTHORIZED_KEYS = List.of(".ssh/authorized_keys", ".ssh/authorized_keys2");

    private SshdSettings() {}

    /** The AuthorizedKeysFile patterns of {@code sshd -T -f config}; sshd's default when it cannot tell. */
    public static List<String> authorizedKeysFiles(CommandRunner runner, String sshd, Path config) {
        if (!AsUser.processIsRoot()) {
            return DEFAULT_AUTHORIZED_KEYS;
        }
        try {
            CommandResult result = runner.run(List.of(sshd, "-T", "-f", config.toString()));
            if (result.succeeded()) {
                return authorizedKeysFiles(result.stdout()).orElse(DEFAULT_AUTHORIZED_KEYS);
            }
            LOG.debug("sshd -T failed: {}", result.firstErrorLine());
        } catch (IOException e) {
            LOG.debug("cannot run sshd -T: {}", e.getMessage());
        }
        return DEFAULT_AUTHORIZED_KEYS;
    }

    /** The {@code authorizedkeysfile} line of {@code sshd -T}'s output. */
    static Optional<List<String>> authorizedKeysFiles(String effectiveConfig) {
        return effectiveConfig.lines().filter(l -> l.startsWith("authorizedkeysfile "))
                .map(l -> Arrays.asList(l.substring("authorizedkeysfile ".length()).strip().split("\\s+")))
                .filter(files -> !files.isEmpty() && !files.get(0).equals("none")).findFirst();
    }
}
