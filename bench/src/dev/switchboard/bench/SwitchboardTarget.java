package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Switchboard nodes. Tokens are signed here with the cluster's secret when it is given (the
 * contract's HS256 JWT: 20,000 idle sockets need no 20,000 HTTP round trips), otherwise fetched
 * from the development endpoint POST /api/auth/token.
 */
final class SwitchboardTarget extends Target {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private final byte[] secret;

    SwitchboardTarget(List<String> nodes, List<Long> pids, String jwtSecret) {
        super("switchboard", nodes, pids);
        this.secret =
                jwtSecret == null || jwtSecret.isEmpty()
                        ? null
                        : jwtSecret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Client newClient(int node, String user, Sink sink) {
        return new SwitchboardClient(node, user, sink);
    }

    @Override
    URI socketUri(int node, String user) throws Exception {
        return URI.create(
                nodes.get(node).replaceFirst("^http", "ws") + "/ws?token=" + token(node, user));
    }

    String token(int node, String user) throws Exception {
        if (secret != null) return sign(user);
        var response =
                http().send(
                                HttpRequest.newBuilder(
                                                URI.create(nodes.get(node) + "/api/auth/token"))
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"user\":\"" + user + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find())
            throw new IllegalStateException(
                    "no dev token from " + nodes.get(node) + ": " + response.statusCode());
        return m.group(1);
    }

    private String sign(String user) throws Exception {
        var b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 4 * 3600;
        String input =
                b64.encodeToString(
                                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(
                                ("{\"sub\":\"" + user + "\",\"exp\":" + exp + "}")
                                        .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input
                + "."
                + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static final Pattern CONNECTIONS = Pattern.compile("\"connections\":(\\d+)");

    /**
     * The nodes' /stats "connections" add up to the sockets the tool holds: a node handles a
     * disconnect with broker and Redis round trips (unbinding user.&lt;id&gt;), which can take long
     * after the TCP connection is gone, without using much CPU.
     */
    @Override
    boolean settled(int slack) {
        try {
            long sum = 0;
            for (String node : nodes) {
                String body =
                        http().send(
                                        HttpRequest.newBuilder(URI.create(node + "/stats"))
                                                .timeout(java.time.Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                Matcher m = CONNECTIONS.matcher(body);
                if (m.find()) sum += Long.parseLong(m.group(1));
            }
            return sum <= open.get() + slack;
        } catch (Exception e) {
            return false;
        }
    }

    /** jcmd GC.run, then the "used" of GC.heap_info (the whole Java heap, all generations). */
    @Override
    long heapUsedAfterGc(long pid) {
        try {
            String jcmd = System.getProperty("java.home") + "/bin/jcmd";
            run(jcmd, Long.toString(pid), "GC.run");
            Matcher m = HEAP_USED.matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs a command, bounded by 60 s (jcmd can hang on a JVM that does not reach a safepoint). */
    static String run(String... command) throws Exception {
        var out = java.nio.file.Files.createTempFile("bench-cmd", ".txt");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return java.nio.file.Files.readString(out);
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
