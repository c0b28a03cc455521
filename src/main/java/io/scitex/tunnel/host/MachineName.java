package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** This machine's host name, as the kernel knows it ({@code localhost} when it cannot be read). */
public final class MachineName implements Supplier<String> {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    @Override
    public String get() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
