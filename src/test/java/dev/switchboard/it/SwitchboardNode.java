package dev.switchboard.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Switchboard node as a separate process: {@code java -jar target/switchboard.jar} with its own
 * port, data directory, environment and log file (target/it-logs/NAME.log).
 */
public final class SwitchboardNode implements HttpEndpoint, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    /**
     * The HTTPS port (Payara Micro's {@code --sslPort}, its default self-signed certificate), 0 for
     * none.
     */
    private int tlsPort;

    private SwitchboardNode(String name, int port, Path dataDir, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.env = env;
        this.log = Path.of("target", "it-logs", name + ".log");
    }

    /**
     * A node with the given settings (env vars such as SWITCHBOARD_CHAT_RATE) and a fresh data
     * directory.
     */
    public static SwitchboardNode create(String name, Map<String, String> settings) {
        try {
            int port = freePort();
            Path dataDir = Files.createTempDirectory("switchboard-" + name + "-");
            Map<String, String> env = new HashMap<>(settings);
            env.putIfAbsent("SWITCHBOARD_DATA_DIR", dataDir.toString());
            env.putIfAbsent("SWITCHBOARD_NODE_ID", name);
            return new SwitchboardNode(name, port, dataDir, env);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Also listens for HTTPS and WSS on a port of its own, from the next start. */
    public SwitchboardNode withTls() {
        try {
            tlsPort = freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /**
     * @return the socket address over TLS ({@link #withTls()})
     */
    public URI tlsWsUri(String token) {
        if (tlsPort == 0) throw new IllegalStateException(name + " was not started withTls()");
        return URI.create("wss://127.0.0.1:" + tlsPort + "/ws?token=" + token);
    }

    /** Adds or changes a setting for the next start. */
    public SwitchboardNode with(String key, String value) {
        env.put(key, value);
        return this;
    }

    public SwitchboardNode start() {
        try {
            Files.createDirectories(log.getParent());
            var builder =
                    new ProcessBuilder(command())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
            builder.environment().putAll(env);
            process = builder.start();
            try {
                awaitReady();
            } catch (RuntimeException e) {
                kill(); // never leave a half-started node behind
                throw e;
            }
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + name, e);
        }
    }

    /**
     * Starts a node that must refuse to start.
     *
     * @return its exit code and log, once it has exited (bounded)
     */
    public Exit startExpectingExit(Duration timeout) {
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            var builder =
                    new ProcessBuilder(command())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(
                        "node " + name + " did not exit within " + timeout + "; see " + log);
            }
            return new Exit(p.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the node has logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /**
     * The log's size in bytes now: where {@link #logSince} starts, so a test reads only what it
     * caused.
     */
    public long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /**
     * What the node has logged since the log had {@code offset} bytes (the log is appended to
     * across runs).
     */
    public String logSince(long offset) {
        try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - offset)];
            file.seek(Math.min(offset, file.length()));
            file.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    public record Exit(int code, String log) {}

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : System.getProperty("switchboard.it.jvm-options", "").split("\\s+")) {
            if (!option.isBlank()) command.add(option);
        }
        command.addAll(List.of("-jar", jar().toString(), "--port", String.valueOf(port)));
        if (tlsPort != 0) command.addAll(List.of("--sslPort", String.valueOf(tlsPort)));
        return command;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException(
                        "node " + name + " exited with " + process.exitValue() + "; see " + log);
            try {
                var response =
                        HTTP.send(
                                HttpRequest.newBuilder(uri("/health/ready"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && get("/stats").statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(250);
        }
        throw new IllegalStateException(
                "node " + name + " not ready within " + START_TIMEOUT + "; see " + log);
    }

    /** SIGTERM and wait for the exit (bounded), then SIGKILL if it hangs. */
    public void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGTERM without waiting: for tests that watch what the node does while it stops. */
    public void terminate() {
        process.destroy();
    }

    /**
     * @return whether the process exited within the timeout (after {@link #terminate})
     */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9: the node gets no chance to clean up. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The node's threads ({@code jcmd Thread.print}), written next to its log, for a test that gave
     * up waiting on it. Returns the dump, or why there is none; bounded to 30 s.
     */
    public String dumpThreads() {
        Path out = log.resolveSibling(name + "-threads-" + System.currentTimeMillis() + ".txt");
        try {
            Process jcmd =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                            .toString(),
                                    String.valueOf(pid()),
                                    "Thread.print")
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) jcmd.destroyForcibly();
            return Files.readString(out);
        } catch (IOException e) {
            return "no thread dump of " + name + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump of " + name + ": interrupted";
        }
    }

    @Override
    public String describe() {
        return "node " + name;
    }

    @Override
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
        if (!Files.exists(jar))
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        return jar;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling a process that gives no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
