package io.scitex.tunnel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real OpenSSH tools, the oracle for what ssh makes of keys, known_hosts files and command lines. */
public final class OpenSsh {
    private OpenSsh() {}

    public record Result(int exitCode, String stdout) {}

    /** {@code ssh-keygen -q -t TYPE -N PASSPHRASE -f FILE [extra...]}: writes FILE and FILE.pub. */
    public static Path generate(Path file, String type, String passphrase, String... extra) {
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test",
                "-f", file.toString()));
        argv.addAll(List.of(extra));
        Result result = run(argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + result.stdout());
        }
        return file;
    }

    /** The SHA256 fingerprint field of {@code ssh-keygen -lf FILE}. */
    public static String fingerprint(Path publicKey) {
        Result result = run(List.of("ssh-keygen", "-lf", publicKey.toString()));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("ssh-keygen -l failed: " + result.stdout());
        }
        return result.stdout().strip().split(" ")[1];
    }

    /** Hashes the host names of a known_hosts file in place ({@code ssh-keygen -H}). */
    public static void hash(Path knownHosts) {
        Result result = run(List.of("ssh-keygen", "-H", "-f", knownHosts.toString()));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("ssh-keygen -H failed: " + result.stdout());
        }
    }

    /** The lines {@code ssh-keygen -F NAME -f FILE} finds, without its comment lines. */
    public static List<String> find(Path knownHosts, String name) {
        Result result = run(List.of("ssh-keygen", "-F", name, "-f", knownHosts.toString()));
        return result.stdout().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    /**
     * The settings ssh would use for a command line, as {@code ssh -G -F none ARGS} prints them (keyword,
     * space, value; repeated keywords such as remoteforward in order). Nothing is connected to.
     */
    public static List<String[]> config(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-G", "-F", "none"));
        argv.addAll(args);
        Result result = run(argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("ssh -G failed for " + args + ": " + result.stdout());
        }
        return result.stdout().lines().map(line -> line.split(" ", 2)).filter(kv -> kv.length == 2).toList();
    }

    public static Result run(List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(argv + " did not finish");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
