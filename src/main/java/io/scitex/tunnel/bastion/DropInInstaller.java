package io.scitex.tunnel.bastion;

import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Installs the {@link SshdDropIn}: written atomically, checked with {@code sshd -t} against the configuration
 * that includes it, and only then sshd reloaded. When sshd rejects the result, the previous file is put back
 * as it was (the same file: content, mode and times) and nothing is reloaded. A file that already says the
 * same is left alone.
 *
 * @param sshd       the sshd program ({@code /usr/sbin/sshd})
 * @param reloadUnit the service to reload ({@code ssh.service} on Debian, {@code sshd.service} elsewhere)
 */
public record DropInInstaller(CommandRunner runner, String sshd, Path dropIn, Path sshdConfig, String reloadUnit) {
    /** What {@link #apply} did. */
    public enum Outcome { INSTALLED, UPDATED, UNCHANGED }

    public Outcome apply(SshdDropIn dropInContent) {
        String wanted = dropInContent.render();
        Optional<String> previous = current();
        if (previous.filter(wanted::equals).isPresent()) {
            return Outcome.UNCHANGED;
        }
        Path directory = dropIn.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new TunnelException("cannot write " + dropIn + ": " + (Files.isDirectory(directory)
                    ? "permission denied: run as root (sudo scitex-tunnel bastion sshd-config --apply)"
                    : directory + " does not exist: is this sshd one that includes sshd_config.d?"));
        }
        Path backup = directory.resolve("." + dropIn.getFileName() + ".previous");
        try {
            Files.deleteIfExists(backup);
            if (previous.isPresent()) {
                Files.createLink(backup, dropIn); // the previous file itself, kept whole for a restore
            }
            try {
                AtomicFile.write(dropIn, wanted, AtomicFile.PUBLIC);
                CommandResult check = runner.run(List.of(sshd, "-t", "-f", sshdConfig.toString()));
                if (!check.succeeded()) {
                    restore(previous.isPresent(), backup);
                    throw new TunnelException("sshd -t rejected the configuration with the drop-in, which was taken"
                            + " back" + (previous.isPresent() ? " (the previous " + dropIn + " is in place)" : "")
                            + " and sshd not reloaded: " + Printable.escape(check.firstErrorLine()));
                }
            } catch (IOException | RuntimeException failed) {
                if (!(failed instanceof TunnelException)) {
                    restore(previous.isPresent(), backup);
                }
                throw failed;
            }
            Files.deleteIfExists(backup);
        } catch (IOException e) {
            throw new TunnelException("cannot install " + dropIn + ": " + e.getMessage(), e);
        }
        reload();
        return previous.isPresent() ? Outcome.UPDATED : Outcome.INSTALLED;
    }

    /** The drop-in there now. */
    public Optional<String> current() {
        try {
            return Files.isRegularFile(dropIn) ? Optional.of(Files.readString(dropIn, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new TunnelException("cannot read " + dropIn + ": " + e.getMessage(), e);
        }
    }

    private void restore(boolean hadPrevious, Path backup) throws IOException {
        if (hadPrevious) {
            Files.move(backup, dropIn, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(dropIn);
        }
    }

    private void reload() {
        try {
            CommandResult reload = runner.run(List.of("systemctl", "reload", reloadUnit));
            if (!reload.succeeded()) {
                throw new TunnelException(dropIn + " is installed and sshd -t accepts it, but `systemctl reload "
                        + reloadUnit + "` failed: " + Printable.escape(reload.firstErrorLine())
                        + ": reload sshd yourself, or name its unit with --reload-unit");
            }
        } catch (IOException e) {
            throw new TunnelException("cannot reload " + reloadUnit + ": " + e.getMessage(), e);
        }
    }
}
