package dev.switchboard.transport;

import jakarta.websocket.Session;

/**
 * The standard path, on any container: the container encodes and frames the text for this socket.
 */
final class PortableFrameWriter implements FrameWriter {
    private final Session session;

    PortableFrameWriter(Session session) {
        this.session = session;
    }

    @Override
    public void write(String text, Done done) {
        try {
            session.getAsyncRemote()
                    .sendText(
                            text,
                            result -> done.completed(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.completed(e);
        }
    }
}
