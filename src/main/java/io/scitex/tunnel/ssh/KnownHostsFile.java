package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A known_hosts file, read once and up front, for host key checks that must not open the file themselves:
 * MINA checks host keys on its I/O threads, where a FIFO in place of the file would stall every session.
 *
 * @param path where it was read from (for messages)
 * @param text what it held
 */
public record KnownHostsFile(Path path, String text) {
    /** Far more than any real known_hosts; a bigger file is not one. */
    static final int MAX_BYTES = 8 << 20;

    /** Reads {@code path}; one clear {@link InvalidInputException} if it is not a regular file or cannot be read. */
    public static KnownHostsFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("pinned host keys " + path
                    + (Files.exists(path) ? " is not a regular file" : " does not exist"));
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new InvalidInputException("pinned host keys " + path + " is larger than " + (MAX_BYTES >> 20)
                        + " MiB: not a known_hosts file");
            }
            return new KnownHostsFile(path, new String(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read pinned host keys " + path + ": " + e.getMessage());
        }
    }
}
