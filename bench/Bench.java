import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switchboard's load tool, JDK only (run as `java bench/Bench.java ...`, no build step).
 *
 * Scenario "persist": C clients, each in a room of its own, send as fast as their window of
 * un-acked sends allows for a fixed time; the tool reports sends acked per second and messages
 * stored per second (the nodes' /stats "persisted" counters, summed), and its own CPU time.
 * Every loop is bounded in time and talks only to the URLs given (loopback in scripts/bench).
 *
 *   java bench/Bench.java persist --nodes http://127.0.0.1:8081,http://127.0.0.1:8082 --clients 20 --seconds 20 --window 100
 */
public class Bench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PERSISTED = Pattern.compile("\"persisted\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("persist")) {
            System.err.println("usage: java bench/Bench.java persist --nodes URL[,URL...] [--clients 20] [--seconds 20] [--window 100] [--label text]");
            System.exit(2);
        }
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        List<String> nodes = List.of(options.getOrDefault("nodes", "http://127.0.0.1:8080").split(","));
        int clients = Integer.parseInt(options.getOrDefault("clients", "20"));
        int seconds = Math.min(300, Integer.parseInt(options.getOrDefault("seconds", "20")));
        int window = Integer.parseInt(options.getOrDefault("window", "100"));
        String label = options.getOrDefault("label", "");
        persist(nodes, clients, seconds, window, label);
    }

    static void persist(List<String> nodes, int clients, int seconds, int window, String label) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        List<Semaphore> windows = new ArrayList<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int c = 0; c < clients; c++) {
            String node = nodes.get(c % nodes.size());
            String token = token(node, "bench-" + run + "-" + c);
            Semaphore credit = new Semaphore(window);
            CompletableFuture<Void> joined = new CompletableFuture<>();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(node.replaceFirst("^http", "ws") + "/ws?token=" + token),
                    new WebSocket.Listener() {
                        final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String frame = partial.toString();
                                partial.setLength(0);
                                if (frame.startsWith("{\"type\":\"ack\"")) {
                                    acked.incrementAndGet();
                                    credit.release();
                                } else if (frame.startsWith("{\"type\":\"error\"")) {
                                    if (errors.incrementAndGet() == 1) System.err.println("first error: " + frame);
                                    credit.release();
                                } else if (frame.startsWith("{\"type\":\"joined\"")) {
                                    joined.complete(null);
                                }
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"room\":\"bench-" + run + "-" + c + "\"}", true).get(10, TimeUnit.SECONDS);
            joined.get(10, TimeUnit.SECONDS);
            sockets.add(ws);
            windows.add(credit);
        }
        long persistedBefore = persisted(nodes);
        long cpuBefore = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            WebSocket ws = sockets.get(c);
            Semaphore credit = windows.get(c);
            String room = "bench-" + run + "-" + c;
            Thread sender = new Thread(() -> {
                long n = 0;
                try {
                    while (System.nanoTime() < end) {
                        if (!credit.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
                        ws.sendText("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"benchmark message " + (n++)
                                + " with a little text in it\",\"ref\":\"" + n + "\"}", true).get(10, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }, "sender-" + c);
            sender.start();
            senders.add(sender);
        }
        for (Thread t : senders) t.join(TimeUnit.SECONDS.toMillis(seconds + 15));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ackedInWindow = acked.get();
        // let the store catch up (bounded), so "stored" counts every message acked in the window
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long stored;
        while ((stored = persisted(nodes) - persistedBefore) < ackedInWindow && System.nanoTime() < deadline) Thread.sleep(200);
        double storedElapsed = (System.nanoTime() - start) / 1e9;
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L) - cpuBefore;
        for (WebSocket ws : sockets) ws.abort();
        System.out.printf("%-28s clients=%d window=%d  acked=%d (%.0f/s)  stored=%d (%.0f/s over %.1f s)  errors=%d  tool-cpu=%.0f%% of a core%n",
                label, clients, window, ackedInWindow, ackedInWindow / elapsed, stored, stored / storedElapsed, storedElapsed,
                errors.get(), 100.0 * cpu / 1000 / elapsed);
    }

    static String token(String node, String user) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/api/auth/token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) throw new IllegalStateException("no dev token from " + node + ": " + response.statusCode());
        return m.group(1);
    }

    static long persisted(List<String> nodes) throws Exception {
        long sum = 0;
        for (String node : nodes) {
            Matcher m = PERSISTED.matcher(HTTP.send(HttpRequest.newBuilder(URI.create(node + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (m.find()) sum += Long.parseLong(m.group(1));
        }
        return sum;
    }
}
