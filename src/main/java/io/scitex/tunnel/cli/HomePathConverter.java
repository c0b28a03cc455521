package io.scitex.tunnel.cli;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A file that {@code run} reads as the user it runs as: a leading {@code ~} or {@code ~/} is that user's home,
 * as a shell would expand it (quoted, or after {@code --key=}, the shell leaves it), and the path is made
 * absolute. The one place the CLI expands {@code ~}; setup leaves it to the tool, for the user behind sudo.
 */
final class HomePathConverter implements ITypeConverter<Path> {
    private final Path home;

    HomePathConverter() {
        this(Path.of(System.getProperty("user.home")));
    }

    HomePathConverter(Path home) {
        this.home = home;
    }

    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("the file name is empty");
        }
        return expand(value);
    }

    /** {@code path} with {@code ~} expanded, absolute and normalized. */
    Path expand(String path) {
        Path expanded = path.equals("~") ? home : path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
        return expanded.toAbsolutePath().normalize();
    }
}
