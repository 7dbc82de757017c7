package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.history.DirectMessage;
import dev.switchboard.history.MessageWriter;
import dev.switchboard.history.ReplyTo;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.limits.RateLimiter;
import dev.switchboard.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code send} and {@code direct}: checked here on the socket's thread, then handed to the writer.
 * The answer ({@code ack} or {@code error}) comes from {@link MessageFanOut} once the batch is
 * stored.
 */
@ApplicationScoped
class MessageIntake {
    @Inject ChatSettings settings;
    @Inject RateLimiter rateLimiter;
    @Inject MessageWriter writer;
    @Inject NodeIdentity node;

    Clock clock = Clock.systemUTC();

    void send(ClientSocket socket, ClientFrame.Send f, String ref) {
        if (!socket.isIn(f.room()))
            throw new SwitchboardException(
                    ErrorCode.NOT_MEMBER, "join room " + f.room() + " before sending to it");
        AuthenticatedUser user = socket.user();
        checkText(f.text());
        checkRate(user.id());
        Instant now = clock.instant();
        var draft =
                new RoomMessage(
                        writer.newId(now.toEpochMilli()),
                        f.room(),
                        0,
                        user.id(),
                        user.name(),
                        f.text(),
                        now,
                        node.id());
        writer.submit(draft, new ReplyTo(socket.id(), ref));
    }

    void direct(ClientSocket socket, ClientFrame.Direct f, String ref) {
        AuthenticatedUser user = socket.user();
        checkText(f.text());
        checkRate(user.id());
        Instant now = clock.instant();
        var message =
                new DirectMessage(
                        writer.newId(now.toEpochMilli()),
                        user.id(),
                        user.name(),
                        f.to(),
                        f.text(),
                        now,
                        node.id());
        writer.submit(message, new ReplyTo(socket.id(), ref));
    }

    private void checkText(String text) {
        if (blank(text)) throw new SwitchboardException(ErrorCode.EMPTY_MESSAGE, "text is empty");
        // PostgreSQL cannot store U+0000 in text: refused here, not lost later
        if (text.indexOf('\0') >= 0)
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "text must not contain U+0000");
        if (text.length() > settings.maxText()
                && text.codePointCount(0, text.length()) > settings.maxText()) {
            throw new SwitchboardException(
                    ErrorCode.TOO_LARGE,
                    "text is longer than " + settings.maxText() + " characters");
        }
    }

    /**
     * White space as Unicode counts it: Java's isBlank lets a no-break space (U+00A0, U+2007,
     * U+202F) through.
     */
    static boolean blank(String text) {
        return text.codePoints()
                .allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    }

    private void checkRate(UserId user) {
        long retryAfter =
                rateLimiter.tryAcquire(
                        "chat:" + user.value(), settings.rate(), ChatSettings.RATE_WINDOW);
        if (retryAfter > 0) throw ChatSettings.rateLimited(settings.rate(), "messages", retryAfter);
    }
}
