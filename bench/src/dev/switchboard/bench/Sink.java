package dev.switchboard.bench;

/**
 * What a scenario hears from its sockets; called on the HTTP client's threads, so keep it short.
 */
interface Sink {
    /** A room message; {@code receivedNanos} is System.nanoTime() taken when its frame arrived. */
    default void message(Client client, String text, long receivedNanos) {}

    default void ack(Client client) {}

    default void error(Client client, String frame) {}

    /** presence, member_joined or member_left (Switchboard only: the peer has no presence). */
    default void presence(Client client) {}

    default void closed(Client client, int code) {}

    Sink NONE = new Sink() {};
}
