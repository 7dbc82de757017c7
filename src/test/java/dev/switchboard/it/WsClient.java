package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A test's socket: every frame received is kept in order until a test takes it with an {@code
 * await...} call, which waits (bounded) for the first matching frame not yet taken.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> pending = new ArrayList<>();
    private final List<JsonObject> all = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;

    /** What broke the connection on the client's side (close code -1), or null. */
    private volatile Throwable error;

    private final boolean reading;
    private WebSocket socket;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects and waits for {@code welcome}. */
    public static WsClient connect(SwitchboardNode node, String token) {
        return connect(HTTP, node.wsUri(token), null);
    }

    /**
     * Connects to a socket address (e.g. a node on another server) and waits for {@code welcome}.
     */
    public static WsClient connect(URI wsUri) {
        return connect(HTTP, wsUri, null);
    }

    /**
     * Connects through the given client (say, one with its own TLS settings) and waits for {@code
     * welcome}.
     */
    public static WsClient connect(URI wsUri, HttpClient http) {
        return connect(http, wsUri, null);
    }

    /** Connects with an {@code Origin} header (null: none) and waits for {@code welcome}. */
    public static WsClient connect(SwitchboardNode node, String token, String origin) {
        return connect(HTTP, node.wsUri(token), origin);
    }

    private static WsClient connect(HttpClient http, URI wsUri, String origin) {
        WsClient client = open(http, wsUri, origin, true);
        client.await("welcome");
        return client;
    }

    /**
     * Connects a client that never reads: the server's frames pile up on its side (a slow
     * consumer).
     */
    public static WsClient connectNotReading(SwitchboardNode node, String token) {
        return open(node.wsUri(token), null, false);
    }

    /**
     * Connects and drops the connection (no close handshake) from inside the callback that receives
     * the first frame.
     */
    public static void abortOnWelcome(URI uri) {
        var welcomed = new CompletableFuture<String>();
        try {
            HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(
                            uri,
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(
                                        WebSocket webSocket, CharSequence data, boolean last) {
                                    webSocket.abort();
                                    welcomed.complete(data.toString());
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            String first = welcomed.get(10, TimeUnit.SECONDS);
            if (!first.contains("\"welcome\""))
                throw new AssertionError("first frame is not a welcome: " + first);
        } catch (Exception e) {
            throw new AssertionError("no welcome from " + uri, e);
        }
    }

    /**
     * @return the handshake's HTTP status: 101 when the upgrade was accepted
     */
    public static int handshakeStatus(URI uri, String origin) {
        try {
            var builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (origin != null) builder.header("Origin", origin);
            WebSocket ws =
                    builder.buildAsync(uri, new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h)
                return h.getResponse().statusCode();
            throw new AssertionError("handshake failed without an HTTP answer", e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("handshake did not finish", e);
        }
    }

    /**
     * How the server answers a handshake the contract says it must refuse: {@code "401"} when the
     * upgrade is answered 401, {@code "close 1008"} when the socket is accepted but closed with
     * 1008 before any frame; anything else is described (e.g. {@code "accepted, frames [...]"}) for
     * the assertion message.
     */
    public static String refusal(URI uri, String origin) {
        int status = handshakeStatus(uri, origin);
        if (status != 101) return String.valueOf(status);
        WsClient client = open(uri, origin, true);
        int code;
        try {
            code = client.awaitClose(TIMEOUT);
        } catch (AssertionError notClosed) {
            client.abort();
            return "accepted, not closed, frames " + client.received();
        }
        return client.received().isEmpty()
                ? "close " + code
                : "close " + code + " after frames " + client.received();
    }

    /**
     * Opens a socket and waits (at most {@link #TIMEOUT}) for the server's first word: the client
     * once welcomed, or null when the server refused the handshake or closed the socket before any
     * frame (see {@link #closeReason}).
     */
    public static WsClient connectOrRefused(URI uri) {
        WsClient client;
        try {
            client = open(uri, null, true);
        } catch (AssertionError e) {
            if (e.getCause() instanceof ExecutionException x
                    && x.getCause() instanceof WebSocketHandshakeException)
                return null; // refused before the upgrade
            throw e;
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (client.received().isEmpty() && !client.isClosed()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError(
                        "neither a frame nor a close within " + TIMEOUT + " from " + uri);
            client.awaitAny(Duration.ofMillis(50));
        }
        if (client.received().isEmpty()) return null;
        client.await("welcome");
        return client;
    }

    static WsClient open(URI uri, String origin, boolean reading) {
        return open(HTTP, uri, origin, reading);
    }

    private static WsClient open(HttpClient http, URI uri, String origin, boolean reading) {
        WsClient client = new WsClient(reading);
        try {
            var builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (origin != null) builder.header("Origin", origin);
            client.socket = builder.buildAsync(uri, client.listener()).get(10, TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            throw new AssertionError("cannot connect to " + uri, e);
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                if (reading) webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received(Json.createReader(new StringReader(partial.toString())).readObject());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closeCode.complete(statusCode);
                synchronized (WsClient.this) {
                    WsClient.this.notifyAll();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                WsClient.this.error = error;
                closeCode.complete(-1);
            }
        };
    }

    private synchronized void received(JsonObject frame) {
        pending.add(frame);
        all.add(frame);
        notifyAll();
    }

    public WsClient send(String text) {
        try {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
        return this;
    }

    public WsClient send(JsonObject frame) {
        return send(frame.toString());
    }

    /** Sends one binary frame: the contract's frames are text, so the server must refuse these. */
    public WsClient sendBinary(byte[] data) {
        try {
            socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
        return this;
    }

    /**
     * Sends a frame written as JSON with single quotes for readability: {@code
     * send("{'type':'ping'}")}.
     */
    public WsClient sendq(String singleQuotedJson) {
        return send(singleQuotedJson.replace('\'', '"'));
    }

    /**
     * Lets a client made with {@link #connectNotReading} start taking the frames waiting for it.
     */
    public void startReading() {
        socket.request(1);
    }

    /** Joins a room and waits for its {@code joined}. */
    public JsonObject join(String room) {
        send(Frames.join(room));
        return await("joined", f -> room.equals(f.getString("room", null)));
    }

    /**
     * A {@code ping} answered by {@code pong}: proves the socket is open and its earlier frames
     * were handled.
     */
    public void assertOpen() {
        send(Frames.ping());
        await("pong");
    }

    /**
     * Sends {@code count} messages to a joined room ({@code prefix + i} as text) and waits for all
     * their acks, in order.
     */
    public List<JsonObject> sendMessages(String room, int count, String prefix) {
        for (int i = 0; i < count; i++) send(Frames.send(room, prefix + i, prefix + "-ref-" + i));
        List<JsonObject> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ref = prefix + "-ref-" + i;
            acks.add(
                    await(
                            "ack",
                            f -> ref.equals(f.getString("ref", null)),
                            Duration.ofSeconds(30)));
        }
        return acks;
    }

    public JsonObject await(String type) {
        return await(type, f -> true, TIMEOUT);
    }

    public JsonObject await(String type, Predicate<JsonObject> match) {
        return await(type, match, TIMEOUT);
    }

    public JsonObject await(String type, Predicate<JsonObject> match, Duration timeout) {
        return take(
                f -> type.equals(f.getString("type", null)) && match.test(f),
                "'" + type + "' frame",
                timeout);
    }

    /**
     * Takes the first frame of any type that matches: for answers that may be one type or another
     * (an ack or an error).
     */
    public JsonObject awaitFrame(Predicate<JsonObject> match) {
        return take(match, "matching frame", TIMEOUT);
    }

    private synchronized JsonObject take(
            Predicate<JsonObject> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Iterator<JsonObject> it = pending.iterator(); it.hasNext(); ) {
                JsonObject frame = it.next();
                if (match.test(frame)) {
                    it.remove();
                    return frame;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0)
                fail("no " + what + " within " + timeout + "; frames not taken: " + pending);
            waitNanos(left);
        }
    }

    /**
     * Takes the next frame in arrival order; null if none comes within the timeout or the socket
     * closes first.
     */
    public synchronized JsonObject next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closeCode.isDone()) return null;
            waitNanos(left);
        }
        return pending.remove(0);
    }

    /** Takes {@code count} frames of the type, in arrival order. */
    public List<JsonObject> awaitAll(String type, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonObject> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            frames.add(await(type, f -> true, left));
        }
        return frames;
    }

    public JsonObject awaitError(String code) {
        return await("error", f -> code.equals(f.getString("code", null)));
    }

    /**
     * Waits up to {@code window} and fails if a matching frame arrives: for "must not receive"
     * rules.
     */
    public synchronized void expectNone(String type, Predicate<JsonObject> match, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            for (JsonObject frame : pending) {
                if (type.equals(frame.getString("type", null)) && match.test(frame))
                    fail("unexpected frame " + frame);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            waitNanos(left);
        }
    }

    /**
     * @return the close code the server sent, or -1 for an abrupt end
     */
    public int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("socket not closed within " + timeout);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * @return the reason of the server's close frame, once {@link #awaitClose} has returned its
     *     code
     */
    /**
     * What broke the connection on the client's side when {@link #awaitClose} gave -1; null
     * otherwise.
     */
    public Throwable error() {
        return error;
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closeCode.isDone() || socket.isInputClosed();
    }

    /** Every frame received so far, taken or not. */
    public synchronized List<JsonObject> received() {
        return List.copyOf(all);
    }

    private void waitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(
                    this, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }

    /** Drops the connection without a close handshake, as a crashed client would. */
    public void abort() {
        socket.abort();
    }

    /** Takes every frame received so far that matches, in arrival order, without waiting. */
    public synchronized List<JsonObject> takeAll(Predicate<JsonObject> match) {
        List<JsonObject> taken = new ArrayList<>();
        for (Iterator<JsonObject> it = pending.iterator(); it.hasNext(); ) {
            JsonObject frame = it.next();
            if (match.test(frame)) {
                taken.add(frame);
                it.remove();
            }
        }
        return taken;
    }

    /** Waits until another frame arrives, or the timeout passes. */
    public synchronized void awaitAny(Duration timeout) {
        int before = all.size();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (all.size() == before) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            waitNanos(left);
        }
    }
}
