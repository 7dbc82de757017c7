package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A system under test: its nodes, the PIDs of its server processes (for /proc), and how to open an
 * authenticated socket to one node. Both systems are driven by the same scenario code through this
 * class; only {@link #newClient}, {@link #socketUri} and {@link #heapUsedAfterGc} differ.
 */
abstract class Target {
    /**
     * Sockets are spread over a few HTTP clients (one selector thread each) sharing one small
     * executor.
     */
    private static final int HTTP_CLIENTS = 4;

    private static final ExecutorService EXECUTOR =
            Executors.newFixedThreadPool(
                    Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                    r -> {
                        var t = new Thread(r, "ws-io");
                        t.setDaemon(true);
                        return t;
                    });
    private static final List<HttpClient> HTTP = new ArrayList<>();

    static {
        for (int i = 0; i < HTTP_CLIENTS; i++)
            HTTP.add(
                    HttpClient.newBuilder()
                            .executor(EXECUTOR)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build());
    }

    private static final AtomicInteger NEXT = new AtomicInteger();

    /** Sockets of this target the tool holds open now. */
    final AtomicInteger open = new AtomicInteger();

    final String name;

    /** Base URLs, e.g. http://127.0.0.1:8191, in node order. */
    final List<String> nodes;

    /** Server PIDs in node order (one process per node for both systems). */
    final List<Long> pids;

    Target(String name, List<String> nodes, List<Long> pids) {
        for (String node : nodes)
            if (!URI.create(node).getHost().matches("127\\.0\\.0\\.1|localhost|::1|\\[::1]"))
                throw new IllegalArgumentException(
                        "the load tool only talks to loopback, not " + node);
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.pids = List.copyOf(pids);
    }

    abstract Client newClient(int node, String user, Sink sink);

    abstract URI socketUri(int node, String user) throws Exception;

    /**
     * Heap in use after a full collection, in bytes, of one server process; -1 when it cannot be
     * read.
     */
    abstract long heapUsedAfterGc(long pid);

    static HttpClient http() {
        return HTTP.get(0);
    }

    /** Opens a socket to a node; completes when the server has authenticated it (bounded: 15 s). */
    CompletableFuture<Client> connect(int node, String user, Sink sink) {
        Client client = newClient(node, user, sink);
        try {
            HTTP.get(Math.floorMod(NEXT.getAndIncrement(), HTTP_CLIENTS))
                    .newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(socketUri(node, user), client)
                    .whenComplete(
                            (ws, failure) -> {
                                if (failure != null) client.ready.completeExceptionally(failure);
                                else if (client.ready.isCompletedExceptionally())
                                    ws.abort(); // opened after the tool gave up
                            });
        } catch (Exception e) {
            client.ready.completeExceptionally(e);
        }
        return client.ready
                .orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete(
                        (c, failure) -> {
                            if (failure != null) {
                                client.abort();
                                return;
                            }
                            open.incrementAndGet();
                            client.closed.whenComplete((code, t) -> open.decrementAndGet());
                        });
    }

    /**
     * Waits until the server processes use under 10 % of a core each over one second (at most
     * {@code maxSeconds}): what the previous scenario left behind (closing sockets, a backlog, JIT,
     * GC) must not be measured in the next one.
     */
    void quiesce(int maxSeconds) throws InterruptedException {
        long t0 = System.nanoTime(),
                deadline = t0 + java.util.concurrent.TimeUnit.SECONDS.toNanos(maxSeconds);
        // the probes' own sockets may still be counted by a node for a while after the tool closed
        // them
        int probes = 0;
        String why = "";
        while (System.nanoTime() < deadline) {
            if (settled(probes)) {
                probes += nodes.size();
                if ((why = unansweredProbe()) == null) break;
            } else {
                why = "the nodes still count sockets the tool has closed";
            }
            Thread.sleep(500);
        }
        double waited = (System.nanoTime() - t0) / 1e9;
        if (waited > 2)
            System.err.printf(
                    "%s: waited %.0f s for the nodes to settle (%s)%n", name, waited, why);
        long last =
                ProcStats.Snapshot.take(pids).server().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
        for (int s = 0; s < maxSeconds; s++) {
            Thread.sleep(1000);
            long now =
                    ProcStats.Snapshot.take(pids).server().values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
            if (now - last < 100L * pids.size()) return;
            last = now;
        }
        System.err.println(
                name
                        + ": servers still busy after "
                        + maxSeconds
                        + " s of waiting; measuring anyway");
    }

    /**
     * A new socket on every node is authenticated within 1 s: the protocol-level check that the
     * nodes have worked off what the previous measurement left (disconnects can queue up behind
     * broker round trips without using CPU, so CPU alone does not tell).
     */
    /**
     * @return null when a new socket on every node was authenticated within 1 s, else what happened
     */
    String unansweredProbe() {
        for (int node = 0; node < nodes.size(); node++) {
            var probe =
                    connect(
                            node,
                            "probe-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36),
                            Sink.NONE);
            try {
                probe.get(1, java.util.concurrent.TimeUnit.SECONDS).abort();
            } catch (Exception e) {
                probe.thenAccept(Client::abort); // a late one is closed when it comes
                return "a new socket on node " + node + ": " + e;
            }
        }
        return null;
    }

    /**
     * Whether the servers have finished with the sockets the tool closed, give or take {@code
     * slack}; overridden where the server can tell.
     */
    boolean settled(int slack) {
        return true;
    }

    long heapUsedAfterGc() {
        long sum = 0;
        for (long pid : pids) {
            long h = heapUsedAfterGc(pid);
            if (h < 0) return -1;
            sum += h;
        }
        return sum;
    }
}
