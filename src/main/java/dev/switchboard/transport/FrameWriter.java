package dev.switchboard.transport;

/**
 * Writes one socket's text frames. {@link SocketTransport#open} gives each socket one: the portable
 * {@code sendText}, or on a verified Payara the same bytes, encoded once per message, straight to
 * the connection.
 */
public interface FrameWriter {
    /**
     * Called once per frame: with null when the frame was taken or written, with the failure
     * otherwise.
     */
    interface Done {
        void completed(Throwable failure);
    }

    /** Never throws: every failure, a closed socket included, goes to {@code done}. */
    void write(String text, Done done);
}
