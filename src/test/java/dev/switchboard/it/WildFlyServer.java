package dev.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The unchanged {@code target/switchboard.war} on WildFly, as a separate process, set up the way
 * the docs/DEPLOYMENT.md tells an operator to: a fresh server base directory
 * (target/it-wildfly/NAME-...) whose standalone-microprofile.xml gets {@code
 * deploy/wildfly/configure.cli} offline, the WAR dropped into its deployments/ as ROOT.war, the
 * settings as SWITCHBOARD_* environment variables. Every port is moved by one offset found free at
 * start ({@code jboss.socket.binding.port-offset}). Console log: target/it-logs/NAME.log.
 */
public final class WildFlyServer implements HttpEndpoint, AutoCloseable {
    private static final Duration CONFIGURE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * standalone-microprofile.xml's socket bindings before the offset: ajp, http, https, management
     * http and https, transactions.
     */
    private static final int[] PORTS = {8009, 8080, 8443, 9990, 9993, 4712, 4713};

    private final String name;
    private final Path home;
    private final Path base;
    private final Path log;
    private final int offset;
    private Process process;

    /**
     * The server's JVM and the launcher script's other children: the script forwards TERM, but a
     * kill must reach them all.
     */
    private List<ProcessHandle> children = List.of();

    private WildFlyServer(String name, Path home, Path base, int offset) {
        this.name = name;
        this.home = home;
        this.base = base;
        this.offset = offset;
        this.log = Path.of("target", "it-logs", name + ".log").toAbsolutePath();
    }

    /**
     * Configures a fresh base directory, deploys the WAR and starts the server; returns once the
     * application answers and the server reports it ready (bounded).
     *
     * @param settings SWITCHBOARD_* environment variables; SWITCHBOARD_DATA_DIR defaults to one in
     *     the base directory
     */
    public static WildFlyServer start(String name, Map<String, String> settings) {
        Path home = Path.of(System.getProperty("wildfly.home", "target/wildfly")).toAbsolutePath();
        if (!Files.exists(home.resolve("jboss-modules.jar"))) {
            throw new IllegalStateException(
                    home
                            + " holds no WildFly: run mvn verify (it unpacks org.wildfly:wildfly-dist there)");
        }
        try {
            Path base =
                    Path.of("target", "it-wildfly")
                            .toAbsolutePath()
                            .resolve(name + "-" + Instant.now().toEpochMilli());
            copyTree(
                    home.resolve("standalone").resolve("configuration"),
                    base.resolve("configuration"));
            Files.createDirectories(base.resolve("deployments"));
            WildFlyServer server = new WildFlyServer(name, home, base, freeOffset());
            Files.createDirectories(server.log.getParent());
            Files.deleteIfExists(server.log);
            server.configure();
            Files.copy(war(), base.resolve("deployments").resolve("ROOT.war"));
            server.launch(settings);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up WildFly " + name, e);
        }
    }

    /**
     * {@code jboss-cli.sh --file=deploy/wildfly/configure.cli} against this base directory, server
     * not running.
     */
    private void configure() throws IOException {
        Path cli =
                Path.of(
                                System.getProperty(
                                        "switchboard.wildfly.cli", "deploy/wildfly/configure.cli"))
                        .toAbsolutePath();
        var builder =
                new ProcessBuilder(
                                "sh",
                                home.resolve("bin").resolve("jboss-cli.sh").toString(),
                                "-Djboss.server.base.dir=" + base,
                                "--file=" + cli)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", jvmOptions());
        Process cliProcess = builder.start();
        try {
            if (!cliProcess.waitFor(CONFIGURE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                kill(cliProcess);
                throw new IllegalStateException(
                        "jboss-cli did not finish within " + CONFIGURE_TIMEOUT + "; see " + log);
            }
        } catch (InterruptedException e) {
            kill(cliProcess);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (cliProcess.exitValue() != 0)
            throw new IllegalStateException(
                    cli + " failed (exit " + cliProcess.exitValue() + "); see " + log);
    }

    private void launch(Map<String, String> settings) throws IOException {
        var builder =
                new ProcessBuilder(
                                "sh",
                                home.resolve("bin").resolve("standalone.sh").toString(),
                                "-c",
                                "standalone-microprofile.xml",
                                "-Djboss.server.base.dir=" + base,
                                "-Djboss.socket.binding.port-offset=" + offset,
                                "-Djboss.node.name=" + name)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_") || k.startsWith("JBOSS_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // standalone.conf's defaults are replaced when JAVA_OPTS is set: keep its heap and flags
        env.put(
                "JAVA_OPTS",
                "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true "
                        + "-Djboss.modules.system.pkgs=org.jboss.byteman "
                        + jvmOptions());
        // the script then waits for the JVM and passes TERM on to it, so a destroy() stops the
        // server cleanly
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        env.put("SWITCHBOARD_DATA_DIR", base.resolve("switchboard-data").toString());
        env.put("SWITCHBOARD_NODE_ID", name);
        env.putAll(settings);
        process = builder.start();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(this::kill)); // nothing left running if the test JVM dies
        try {
            awaitReady();
        } catch (RuntimeException | Error e) {
            kill(); // never leave a half-started server behind
            throw e;
        }
    }

    private void awaitReady() {
        Path failed = base.resolve("deployments").resolve("ROOT.war.failed");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            children = process.descendants().toList();
            if (!process.isAlive())
                throw new IllegalStateException(
                        "WildFly " + name + " exited with " + process.exitValue() + "; see " + log);
            if (Files.exists(failed))
                throw new IllegalStateException(
                        "WildFly did not deploy the WAR: " + read(failed) + "; see " + log);
            try {
                if (status(managementUri("/health/ready")) == 200 && status(uri("/stats")) == 200)
                    return;
            } catch (IOException e) {
                // not listening yet
            }
            pause(250);
        }
        throw new IllegalStateException(
                "WildFly " + name + " not ready within " + START_TIMEOUT + "; see " + log);
    }

    private static int status(URI uri) throws IOException {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * SIGTERM (the launcher passes it to the server) and a bounded wait, then SIGKILL to whatever
     * is left.
     */
    public void stop() {
        if (process == null) return;
        children = process.descendants().toList();
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                for (ProcessHandle child : children)
                    child.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a child did not exit in time: killed below
        }
        kill();
    }

    /**
     * SIGKILL to the launcher and every process it started (only those: their handles were taken
     * from it).
     */
    public synchronized void kill() {
        if (process == null) return;
        List<ProcessHandle> all = new ArrayList<>(children);
        all.addAll(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            if (p.isAlive()) p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the next start's port check at worst
            }
        }
        process = null;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public void close() {
        stop();
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return 8080 + offset;
    }

    public int managementPort() {
        return 9990 + offset;
    }

    @Override
    public String describe() {
        return "WildFly " + name;
    }

    @Override
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    /**
     * WildFly serves MicroProfile Health on its management interface, not beside the application.
     */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort() + path);
    }

    private static String jvmOptions() {
        return System.getProperty("switchboard.it.jvm-options", "");
    }

    private static Path war() {
        Path war = Path.of(System.getProperty("switchboard.war", "target/switchboard.war"));
        if (!Files.exists(war))
            throw new IllegalStateException(war + " is missing: run mvn package first");
        return war;
    }

    /**
     * An offset that moves every one of the server's ports onto a free one (the ports are checked,
     * not reserved).
     */
    private static int freeOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset =
                    ThreadLocalRandom.current().nextInt(100, 400) * 100
                            + ThreadLocalRandom.current().nextInt(100);
            if (allFree(offset)) return offset;
        }
        throw new IllegalStateException("no free port offset for WildFly found in 50 tries");
    }

    private static boolean allFree(int offset) {
        for (int port : PORTS) {
            try (var socket = new ServerSocket(port + offset)) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) Files.createDirectories(target);
                else Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(" + file + " unreadable)";
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
