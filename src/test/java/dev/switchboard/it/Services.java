package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the local Redis and RabbitMQ for fault tests, with the commands this machine
 * kind uses.
 */
final class Services {
    private Services() {}

    static void restartRabbitMq() {
        run(List.of("rabbitmqctl", "stop_app"), 120);
        run(List.of("rabbitmqctl", "start_app"), 120);
        awaitPort(5672, 60);
    }

    /**
     * A RabbitMQ virtual host of the test run's own, so its queues never meet another run's (or a
     * benchmark's).
     */
    static void createVhost(String vhost) {
        run(List.of("rabbitmqctl", "add_vhost", vhost), 60);
        run(List.of("rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"), 60);
    }

    static void deleteVhost(String vhost) {
        run(List.of("rabbitmqctl", "delete_vhost", vhost), 60);
    }

    static void stopRedis() {
        run(List.of("redis-cli", "shutdown", "nosave"), 30);
    }

    static void startRedis() {
        run(
                List.of(
                        "redis-server",
                        "--daemonize",
                        "yes",
                        "--bind",
                        "127.0.0.1",
                        "-::1",
                        "--port",
                        "6379",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        "/var/lib/redis",
                        "--logfile",
                        "/var/log/redis/ci.log"),
                30);
        awaitPort(6379, 30);
    }

    static void stopPostgres() {
        run(
                List.of(
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        postgresVersion(),
                        "main",
                        "stop",
                        "-m",
                        "fast"),
                60);
    }

    static void startPostgres() {
        run(
                List.of(
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        postgresVersion(),
                        "main",
                        "start"),
                60);
        awaitPort(5432, 60);
    }

    private static String postgresVersion() {
        String[] versions = new java.io.File("/etc/postgresql").list();
        if (versions == null || versions.length == 0)
            fail("no PostgreSQL cluster under /etc/postgresql");
        java.util.Arrays.sort(versions);
        return versions[versions.length - 1];
    }

    private static void run(List<String> command, int timeoutSeconds) {
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within " + timeoutSeconds + " s");
            }
        } catch (IOException e) {
            fail("cannot run " + command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    static boolean portOpen(int port) {
        try (var ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitPort(int port, int seconds) {
        // polling a port: no event to wait on
        Poll.until(
                Duration.ofSeconds(seconds),
                Duration.ofMillis(200),
                () -> portOpen(port),
                open -> open,
                open -> "port " + port + " not open within " + seconds + " s");
    }
}
