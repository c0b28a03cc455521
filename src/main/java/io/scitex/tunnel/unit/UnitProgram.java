package io.scitex.tunnel.unit;

import io.scitex.tunnel.model.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tunnel unit runs, and what its sandbox must allow that program beyond the key.
 *
 * @param engine         which program keeps the tunnel alive
 * @param argv           the command, program first
 * @param environment    {@code NAME=value} assignments for the service
 * @param readablePaths  files and directories the program must read (its own installation, its JDK); those
 *                       that the sandbox hides are bound back in, read-only
 * @param passphraseFile a file with the key's passphrase, handed to the service as the systemd credential
 *                       {@code passphrase} (native engine only)
 * @param passphraseSource the file the passphrase was given in, if {@code passphraseFile} is a copy of it:
 *                       recorded in the unit, so that {@code export} can name it
 */
public record UnitProgram(Engine engine, List<String> argv, List<String> environment, List<Path> readablePaths,
                          Optional<Path> passphraseFile, Optional<Path> passphraseSource) {
    public UnitProgram {
        Objects.requireNonNull(engine, "engine");
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
        readablePaths = List.copyOf(readablePaths);
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        if (passphraseFile.isPresent() && engine != Engine.NATIVE) {
            throw new IllegalArgumentException("only the native engine reads a passphrase");
        }
        Objects.requireNonNull(passphraseSource, "passphraseSource");
        if (passphraseSource.isPresent() && passphraseFile.isEmpty()) {
            throw new IllegalArgumentException("a passphrase source without the passphrase file it was copied to");
        }
    }

    /** A program whose passphrase file, if any, is the one it was given (nothing to record). */
    public UnitProgram(Engine engine, List<String> argv, List<String> environment, List<Path> readablePaths,
                       Optional<Path> passphraseFile) {
        this(engine, argv, environment, readablePaths, passphraseFile, Optional.empty());
    }

    public static UnitProgram autossh(List<String> argv, List<String> environment) {
        return new UnitProgram(Engine.AUTOSSH, argv, environment, List.of(), Optional.empty());
    }
}
