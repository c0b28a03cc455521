package io.scitex.tunnel.host;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where this tool runs from: the launcher a service can start ({@code /usr/bin/scitex-tunnel} when installed,
 * {@code bin/scitex-tunnel} in a checkout; symlinks resolved), the jar it runs and the Java runtime that runs it.
 *
 * @param launcher the launcher script, an absolute path without symlinks
 * @param jar      the jar (or class directory) this tool's classes come from
 * @param javaHome the running Java runtime's home ({@code java.home})
 */
public record ToolInstallation(Path launcher, Path jar, Path javaHome) {
    /** The launcher passes its own resolved path to the JVM in this system property. */
    public static final String LAUNCHER_PROPERTY = "scitex.tunnel.launcher";

    /** An installation whose jar lives where a checkout's launcher builds it ({@code target/scitex-tunnel.jar}). */
    public ToolInstallation(Path launcher, Path javaHome) {
        this(launcher, checkoutDirectory(launcher).resolve("target").resolve("scitex-tunnel.jar"), javaHome);
    }

    public Path java() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** The installation the launcher belongs to ({@code bin/..}). */
    public Path directory() {
        return checkoutDirectory(launcher);
    }

    /** The files whose code a service of this installation runs: the launcher, the jar and java. */
    public List<Path> code() {
        return List.of(launcher, jar, java());
    }

    private static Path checkoutDirectory(Path launcher) {
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
        return launcher.flatMap(ToolInstallation::resolved).map(path -> new ToolInstallation(path,
                runningJar().orElseGet(() -> new ToolInstallation(path, javaHome).jar()), javaHome));
    }

    /** The jar this class was loaded from, symlinks resolved. */
    private static Optional<Path> runningJar() {
        try {
            var source = ToolInstallation.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : resolvedAny(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException | SecurityException unknown) {
            return Optional.empty();
        }
    }

    private static Optional<Path> resolvedAny(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    private static Optional<Path> resolved(Path launcher) {
        return resolvedAny(launcher).filter(real -> Files.isRegularFile(real) && Files.isExecutable(real));
    }
}
