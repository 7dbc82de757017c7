package dev.switchboard.it;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The nodes the black-box tests share, started once per test JVM (each start costs ~10 s) and
 * stopped when it exits. Tests keep apart by using their own room and user names.
 *
 * <ul>
 *   <li>{@link #postgres()}: PostgreSQL store (a fresh database), dev tokens on, chat rate off,
 *       small backlog, recovery and join pages, allowed origins set to its own address, order cache
 *       TTL 2 s.
 *   <li>{@link #embedded()}: the defaults (embedded H2 under its data directory, rate 50/10 s), dev
 *       tokens off.
 * </ul>
 */
public final class TestNodes {
    public static final String PG_HOST = System.getProperty("switchboard.it.pg", "127.0.0.1:5432");
    public static final int RECOVER_MAX = 30;
    public static final int ON_JOIN = 10;
    public static final int MAX_BACKLOG = 200;

    /** Short, so a test sees an order fall out of the cache (a miss) and come back (a hit). */
    public static final String ORDER_CACHE_TTL = "PT2S";

    private static SwitchboardNode postgres;
    private static SwitchboardNode embedded;

    private TestNodes() {}

    public static synchronized SwitchboardNode postgres() {
        if (postgres == null) {
            Map<String, String> env = postgresSettings(freshDatabase());
            env.put("SWITCHBOARD_AUTH_DEV_TOKENS", "true");
            env.put("SWITCHBOARD_CHAT_RATE", "0");
            env.put("SWITCHBOARD_WS_MAX_BACKLOG", String.valueOf(MAX_BACKLOG));
            env.put("SWITCHBOARD_HISTORY_RECOVER_MAX", String.valueOf(RECOVER_MAX));
            env.put("SWITCHBOARD_HISTORY_ON_JOIN", String.valueOf(ON_JOIN));
            env.put("SWITCHBOARD_ORDERS_CACHE_TTL", ORDER_CACHE_TTL);
            SwitchboardNode node = SwitchboardNode.create("pg-node", env);
            // the allowed origins name the node's own address, known once its port is picked
            postgres =
                    node.with(
                                    "SWITCHBOARD_WS_ALLOWED_ORIGINS",
                                    "http://127.0.0.1:"
                                            + node.port()
                                            + ",http://localhost:"
                                            + node.port())
                            .start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop));
        }
        return postgres;
    }

    public static synchronized SwitchboardNode embedded() {
        if (embedded == null) {
            embedded =
                    SwitchboardNode.create(
                                    "embedded-node",
                                    Map.of("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET))
                            .start();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop));
        }
        return embedded;
    }

    /** Settings for a node on its own PostgreSQL database. */
    public static Map<String, String> postgresSettings(String database) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_JWT_SECRET", TestTokens.SECRET);
        env.put(
                "SWITCHBOARD_DB_URL",
                "jdbc:postgresql://" + PG_HOST + "/" + database + "?reWriteBatchedInserts=true");
        env.put("SWITCHBOARD_DB_USER", "postgres");
        env.put("SWITCHBOARD_DB_PASSWORD", "postgres");
        return env;
    }

    /** Creates an empty database for one node (trust auth on the test machine). */
    public static String freshDatabase() {
        String name =
                "switchboard_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c =
                        DriverManager.getConnection(
                                "jdbc:postgresql://" + PG_HOST + "/postgres",
                                "postgres",
                                "postgres");
                var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create a test database on " + PG_HOST + ": " + e.getMessage(), e);
        }
    }
}
