package io.scitex.tunnel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ports and listening sockets on this machine's loopback, as tests need them; {@code ss} reports listeners. */
public final class Loopback {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private Loopback() {}

    /** A TCP port that was free on 127.0.0.1 a moment ago (bound to port 0, then released). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port now. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The listening TCP sockets on {@code port}, any address, one {@code ss -ltnH} line each. */
    public static List<String> listeners(int port) {
        return ss("-ltnH", "sport = :" + port);
    }

    /** The PIDs of the processes owning listening sockets on {@code port} ({@code ss -ltnpH}). */
    public static List<Long> listenerPids(int port) {
        return pids(ss("-ltnpH", "sport = :" + port));
    }

    /** The PIDs of the processes owning connected (not listening) sockets whose local port is {@code port}. */
    public static List<Long> connectionPids(int port) {
        return pids(ss("-tnpH", "sport = :" + port));
    }

    private static List<Long> pids(List<String> ssLines) {
        List<Long> pids = new ArrayList<>();
        for (String line : ssLines) {
            Matcher m = PID.matcher(line);
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        return pids.stream().distinct().toList();
    }

    /** The local address column ({@code 127.0.0.1:PORT}, {@code [::1]:PORT}, {@code 0.0.0.0:PORT}...) of a line. */
    public static String localAddress(String ssLine) {
        String[] fields = ssLine.trim().split("\\s+");
        if (fields.length < 4) {
            throw new IllegalArgumentException("not an ss -ltn line: " + ssLine);
        }
        return fields[3];
    }

    private static List<String> ss(String options, String filter) {
        try {
            Process ss = new ProcessBuilder("ss", options, filter).redirectErrorStream(true).start();
            String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
                ss.destroyForcibly();
                throw new IllegalStateException("ss " + options + " '" + filter + "' failed: " + output);
            }
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ss", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
