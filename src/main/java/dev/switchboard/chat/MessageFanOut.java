package dev.switchboard.chat;

import dev.switchboard.QuietLog;
import dev.switchboard.history.BatchFanOut;
import dev.switchboard.history.DirectMessage;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.ReplyTo;
import dev.switchboard.history.RoomMessage;
import dev.switchboard.history.StoredBatch;
import dev.switchboard.history.Submission;
import dev.switchboard.node.Counters;
import dev.switchboard.routing.Bus;
import dev.switchboard.routing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stored batch's one way out, on the writer's reporting thread: refusals answered, room messages
 * remembered for joins (before the publish, so a join that sees a message live finds it there too),
 * every frame published with one confirm round trip for the batch, then the senders acked: an ack
 * means stored, and sent on to the other nodes.
 */
@ApplicationScoped
class MessageFanOut implements BatchFanOut {
    private static final QuietLog FAULTS =
            new QuietLog(Logger.getLogger(MessageFanOut.class.getName()), 10);

    @Inject HistoryService history;
    @Inject Bus bus;
    @Inject LocalSockets local;
    @Inject Counters counters;

    @Override
    public void fanOut(StoredBatch batch) {
        for (StoredBatch.Refusal refusal : batch.refused()) {
            ReplyTo to = refusal.submission().replyTo();
            answer(to, ServerFrames.error(refusal.reason(), to.ref()));
        }
        if (batch.stored().isEmpty()) return;
        List<RoomMessage> roomMessages = new ArrayList<>();
        List<Envelope> frames = new ArrayList<>(batch.stored().size() + 1);
        for (Submission s : batch.stored()) {
            counters.accepted();
            if (s.message() instanceof RoomMessage m) {
                roomMessages.add(m);
                frames.add(
                        Envelope.roomMessage(
                                m.room().value(),
                                ServerFrames.message(m),
                                m.seq(),
                                m.ts().toEpochMilli()));
            } else if (s.message() instanceof DirectMessage m) {
                String frame = ServerFrames.direct(m);
                long at = m.ts().toEpochMilli();
                if (!m.to().equals(m.from()))
                    frames.add(Envelope.directMessage(m.to().value(), frame, null, at));
                frames.add(
                        Envelope.directMessage(m.from().value(), frame, s.replyTo().socket(), at));
            }
        }
        try {
            history.remember(roomMessages);
        } catch (RuntimeException e) {
            FAULTS.log(
                    Level.WARNING,
                    "recent-history",
                    () -> "recent history not updated (joins read the store meanwhile): " + e);
        }
        try {
            bus.publishConfirmed(frames);
        } finally {
            for (Submission s : batch.stored()) answer(s.replyTo(), ack(s));
        }
    }

    private static String ack(Submission s) {
        long seq = s.message() instanceof RoomMessage m ? m.seq() : 0;
        return ServerFrames.ack(s.replyTo().ref(), s.message().id(), seq);
    }

    /** The sender's socket may have closed meanwhile: then nobody is left to answer. */
    private void answer(ReplyTo to, String frame) {
        ClientSocket socket = local.find(to.socket());
        if (socket != null) socket.send(frame);
    }
}
