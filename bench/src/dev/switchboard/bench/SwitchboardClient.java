package dev.switchboard.bench;

import java.util.concurrent.CompletableFuture;

/** A socket speaking Switchboard's contract (docs/PROTOCOL.md, section 2). */
final class SwitchboardClient extends Client {
    SwitchboardClient(int node, String user, Sink sink) {
        super(node, user, sink);
    }

    @Override
    CompletableFuture<Void> join(String room) {
        var joined = new CompletableFuture<Void>();
        pending.put(room, joined);
        sendFrame("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return joined;
    }

    @Override
    void send(String room, String text, String ref) {
        sendFrame(
                "{\"type\":\"send\",\"room\":\""
                        + room
                        + "\",\"text\":\""
                        + text
                        + "\",\"ref\":\""
                        + ref
                        + "\"}");
    }

    @Override
    protected void frame(String frame, long receivedNanos) {
        // the server writes "type" first; look further only when it does not
        String type =
                frame.startsWith("{\"type\":\"")
                        ? frame.substring(9, frame.indexOf('"', 9))
                        : field(frame, "type", 0);
        if (type == null) return;
        switch (type) {
            case "message" -> {
                String text = field(frame, "text", 0);
                if (text != null) sink.message(this, text, receivedNanos);
            }
            case "ack" -> sink.ack(this);
            case "welcome" -> ready.complete(this);
            case "joined" -> {
                var f = pending.remove(field(frame, "room", 0));
                if (f != null) f.complete(null);
            }
            case "presence", "member_joined", "member_left" -> sink.presence(this);
            case "error" -> {
                sink.error(this, frame);
                // join carries no ref, so an error while a join waits fails it rather than leave it
                // to the timeout
                if (!frame.contains("\"ref\"")) {
                    pending.values()
                            .forEach(
                                    p -> p.completeExceptionally(new IllegalStateException(frame)));
                    pending.clear();
                }
            }
            default -> {}
        }
    }
}
