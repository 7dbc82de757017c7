package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A misconfigured node fails fast: it exits, with one log line naming the setting, instead of
 * running half-working.
 */
class StartupFailureIT {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(90);

    private static void assertRefusesToStart(Map<String, String> settings, String setting) {
        var exit =
                SwitchboardNode.create(Unique.name("misconfigured"), settings)
                        .startExpectingExit(EXIT_WITHIN);
        assertNotEquals(0, exit.code(), "exit code");
        assertTrue(
                exit.log()
                        .lines()
                        .anyMatch(
                                l -> l.contains("Switchboard cannot start") && l.contains(setting)),
                "one line saying why, naming " + setting);
    }

    @Test
    void redis_without_rabbitmq_refuses_to_start() {
        assertRefusesToStart(
                Map.of(
                        "SWITCHBOARD_JWT_SECRET",
                        TestTokens.SECRET,
                        "SWITCHBOARD_REDIS_URI",
                        "redis://127.0.0.1:6379"),
                "switchboard.rabbitmq.uri");
    }

    @Test
    void an_unreachable_redis_refuses_to_start() {
        var settings = TestNodes.postgresSettings("postgres");
        settings.put("SWITCHBOARD_REDIS_URI", "redis://127.0.0.1:1");
        settings.put("SWITCHBOARD_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");
        assertRefusesToStart(settings, "switchboard.redis.uri");
    }

    @Test
    void an_unreachable_broker_refuses_to_start() {
        var settings = TestNodes.postgresSettings("postgres");
        settings.put("SWITCHBOARD_REDIS_URI", "redis://127.0.0.1:6379");
        settings.put("SWITCHBOARD_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:1");
        assertRefusesToStart(settings, "switchboard.rabbitmq.uri");
    }

    @Test
    void a_cluster_node_without_a_jwt_secret_refuses_to_start() {
        var settings = TestNodes.postgresSettings("postgres");
        settings.remove("SWITCHBOARD_JWT_SECRET");
        settings.put("SWITCHBOARD_REDIS_URI", "redis://127.0.0.1:6379");
        settings.put("SWITCHBOARD_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");
        assertRefusesToStart(settings, "switchboard.jwt.secret");
    }

    @Test
    void a_placeholder_jwt_secret_refuses_to_start() {
        // the Secret of deploy/kubernetes/switchboard.yaml, applied without filling it in
        var exit =
                SwitchboardNode.create(
                                Unique.name("placeholder"),
                                Map.of(
                                        "SWITCHBOARD_JWT_SECRET",
                                        "CHANGE-ME-at-least-32-bytes-of-random-data"))
                        .startExpectingExit(EXIT_WITHIN);
        assertNotEquals(0, exit.code(), "exit code");
        assertTrue(
                exit.log()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.contains("Switchboard cannot start")
                                                && l.contains("switchboard.jwt.secret")
                                                && l.contains("head -c 48 /dev/urandom | base64")),
                "one line naming the setting and how to make a secret");
    }
}
