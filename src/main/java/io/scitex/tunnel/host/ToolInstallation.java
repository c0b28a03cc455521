package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this tool runs from: the launcher a service can start ({@code bin/scitex-tunnel}, symlinks resolved)
 * and the JDK that runs it now.
 *
 * @param launcher the launcher script, an absolute path without symlinks
 * @param javaHome the running JDK's home ({@code java.home})
 */
public record ToolInstallation(Path launcher, Path javaHome) {
    /** The launcher passes its own resolved path to the JVM in this system property. */
    public static final String LAUNCHER_PROPERTY = "scitex.tunnel.launcher";

    public Path java() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** The installation the launcher belongs to ({@code bin/..}): the jar it runs lives below it. */
    public Path directory() {
        Path bin = launcher.getParent();
        return bin.getParent() != null ? bin.getParent() : bin;
    }

    /**
     * The launcher that started this JVM, else the one on PATH; empty if there is none (this JVM was started
     * with {@code java -jar}, and no launcher is installed).
     */
    public static Optional<ToolInstallation> locate(Programs programs) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Optional<Path> launcher = Optional.ofNullable(System.getProperty(LAUNCHER_PROPERTY)).filter(p -> !p.isBlank())
                .map(Path::of).or(() -> programs.find("scitex-tunnel"));
        return launcher.flatMap(ToolInstallation::resolved).map(path -> new ToolInstallation(path, javaHome));
    }

    private static Optional<Path> resolved(Path launcher) {
        try {
            Path real = launcher.toRealPath();
            return Files.isRegularFile(real) && Files.isExecutable(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }
}
