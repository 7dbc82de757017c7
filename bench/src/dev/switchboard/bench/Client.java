package dev.switchboard.bench;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One socket of the load tool, over the JDK WebSocket client. Subclasses speak one wire protocol
 * (Switchboard's contract, or Engine.IO/Socket.IO); scenarios only see {@link #join} and {@link
 * #send}.
 *
 * <p>The JDK client allows one outstanding send per socket, so frames wait here in a bounded queue
 * (1,000): a frame that finds it full is counted in {@link #DROPPED} and not sent — it then shows
 * up as loss, never as a silently slower rate.
 */
abstract class Client implements WebSocket.Listener {
    static final AtomicLong DROPPED = new AtomicLong();
    private static final int QUEUE_MAX = 1000;

    final int node;
    final String user;
    final Sink sink;

    /**
     * Completes once the server has authenticated the socket (welcome, or the Socket.IO connect
     * answer).
     */
    final CompletableFuture<Client> ready = new CompletableFuture<>();

    /** Completes with the close code (or -1 on an error) when the socket ends. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    protected final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    volatile WebSocket ws;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean sending;
    private StringBuilder partial;

    Client(int node, String user, Sink sink) {
        this.node = node;
        this.user = user;
        this.sink = sink;
    }

    /** Joins a room; completes when the server confirmed it. */
    abstract CompletableFuture<Void> join(String room);

    /** Posts a message to a joined room; the answer (ack or error) goes to the sink. */
    abstract void send(String room, String text, String ref);

    /** Handles one whole text frame. */
    protected abstract void frame(String frame, long receivedNanos);

    protected void opened() {}

    final void sendFrame(String frame) {
        synchronized (this) {
            if (sending) {
                if (queue.size() >= QUEUE_MAX) DROPPED.incrementAndGet();
                else queue.add(frame);
                return;
            }
            sending = true;
        }
        ws.sendText(frame, true).whenComplete(this::sent);
    }

    private void sent(WebSocket w, Throwable failure) {
        String next;
        synchronized (this) {
            next = failure == null ? queue.poll() : null;
            if (next == null) {
                if (failure != null) {
                    DROPPED.addAndGet(queue.size());
                    queue.clear();
                }
                sending = false;
                return;
            }
        }
        w.sendText(next, true).whenComplete(this::sent);
    }

    void close() {
        WebSocket w = ws;
        if (w == null) return;
        w.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                .whenComplete(
                        (x, t) -> {
                            if (t != null) w.abort();
                        });
    }

    void abort() {
        WebSocket w = ws;
        if (w != null) w.abort();
        closed.complete(-1);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        if (ready.isCompletedExceptionally()) { // the tool gave up on it already: never leave it
            // open
            webSocket.abort();
            return;
        }
        opened();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        if (!last) {
            if (partial == null) partial = new StringBuilder();
            partial.append(data);
        } else if (partial != null && partial.length() > 0) {
            partial.append(data);
            String whole = partial.toString();
            partial.setLength(0);
            frame(whole, now);
        } else {
            frame(data.toString(), now);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ready.completeExceptionally(
                new IllegalStateException("closed " + statusCode + " " + reason));
        pending.values()
                .forEach(
                        f ->
                                f.completeExceptionally(
                                        new IllegalStateException("closed " + statusCode)));
        if (closed.complete(statusCode)) sink.closed(this, statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ready.completeExceptionally(error);
        pending.values().forEach(f -> f.completeExceptionally(error));
        if (closed.complete(-1)) sink.closed(this, -1);
    }

    /**
     * The string value of {@code "key":"..."} in a JSON text, or null; enough for the frames this
     * tool reads (no escapes in its own texts).
     */
    static String field(String json, String key, int from) {
        String needle = "\"" + key + "\":\"";
        int at = json.indexOf(needle, from);
        if (at < 0) return null;
        int start = at + needle.length(), end = start;
        while (end < json.length()) {
            char c = json.charAt(end);
            if (c == '\\') end += 2;
            else if (c == '"') break;
            else end++;
        }
        return json.substring(start, Math.min(end, json.length()));
    }
}
