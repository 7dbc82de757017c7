package dev.switchboard.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run atomically in Redis: by SHA, and by text when Redis does not know it yet (first
 * use, or after a Redis restart emptied its script cache).
 */
public final class Script {
    private final String text;
    private final String sha;

    public Script(String text) {
        this.text = text;
        try {
            this.sha =
                    HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-1")
                                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Object run(Jedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(text, keys, args);
        }
    }
}
