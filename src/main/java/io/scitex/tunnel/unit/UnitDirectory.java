package io.scitex.tunnel.unit;

import io.scitex.tunnel.host.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory where tunnel units live ({@code /etc/systemd/system}): list, read, write, delete; and what an
 * administrator may have put there besides: drop-ins ({@code UNIT.d/*.conf}) and masks.
 */
public final class UnitDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UnitDirectory.class);
    /** What {@code systemctl mask} links a unit to. */
    public static final Path MASK = Path.of("/dev/null");
    private final Path directory;

    public UnitDirectory(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path path(int port) {
        return directory.resolve(UnitName.of(port));
    }

    /** The tunnel units present, by port. */
    public SortedMap<Integer, Path> list() throws IOException {
        SortedMap<Integer, Path> units = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return units;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, UnitName.GLOB)) {
            for (Path file : files) {
                UnitName.port(file.getFileName().toString()).ifPresent(port -> units.put(port, file));
            }
        }
        return units;
    }

    public Optional<String> read(int port) throws IOException {
        Path path = path(port);
        return Files.exists(path) ? Optional.of(Files.readString(path, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /**
     * What the unit on {@code port} says; a unit that cannot be read or parsed says nothing
     * ({@link InstalledUnit#NONE}), so that one broken unit (perhaps written by hand) does not hide the others.
     */
    public InstalledUnit installed(int port) {
        try {
            return read(port).map(InstalledUnit::parse).orElse(InstalledUnit.NONE);
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("cannot read {}: {}", path(port), unreadable.getMessage());
            return InstalledUnit.NONE;
        }
    }

    public void write(int port, String content) throws IOException {
        AtomicFile.write(path(port), content, AtomicFile.PUBLIC);
    }

    public boolean delete(int port) throws IOException {
        return Files.deleteIfExists(path(port));
    }

    /**
     * Whether the unit on {@code port} is masked: systemd reads a unit that is a link to /dev/null (what
     * {@code systemctl mask} makes), any other device, or an empty file, as "masked, never start".
     */
    public boolean isMasked(int port) {
        try {
            BasicFileAttributes unit = Files.readAttributes(path(port), BasicFileAttributes.class);
            return unit.isOther() || unit.isRegularFile() && unit.size() == 0;
        } catch (IOException absent) {
            return false;
        }
    }

    /** Masks the unit on {@code port} as {@code systemctl mask} does, replacing what is there. */
    public void mask(int port) throws IOException {
        Files.deleteIfExists(path(port));
        Files.createSymbolicLink(path(port), MASK);
    }

    /** The directory of the unit's own drop-ins, where {@code systemctl edit} writes. */
    public Path dropInDirectory(int port) {
        return directory.resolve(UnitName.of(port) + ".d");
    }

    /** The unit's drop-ins here, in name order (the order systemd applies them in): the {@code .conf} files. */
    public List<Path> dropIns(int port) throws IOException {
        List<Path> dropIns = new ArrayList<>();
        Path dropInDirectory = dropInDirectory(port);
        if (Files.isDirectory(dropInDirectory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dropInDirectory, "*.conf")) {
                files.forEach(dropIns::add);
            }
        }
        dropIns.sort(null);
        return dropIns;
    }

    /** Whether this process may create and replace unit files (root, or a writable directory). */
    public boolean isWritable() {
        return Files.isDirectory(directory) && Files.isWritable(directory);
    }
}
