package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.QuietLog;
import dev.switchboard.SwitchboardException;
import dev.switchboard.auth.AuthenticatedUser;
import dev.switchboard.history.HistoryService;
import dev.switchboard.node.WorkerPools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code history} frames, and every store read a frame needs ({@code joined} too): run on the read
 * pool, never on the socket's thread, and answered through the socket's outbound queue.
 */
@ApplicationScoped
class HistoryReads {
    private static final QuietLog FAULTS =
            new QuietLog(Logger.getLogger(HistoryReads.class.getName()), 10);

    @Inject HistoryService history;
    @Inject WorkerPools pools;

    void history(ClientSocket socket, ClientFrame.History f, String ref) {
        AuthenticatedUser user = socket.user();
        if (f.room() != null) {
            user.requireRoom(f.room());
            read(
                    socket,
                    ref,
                    () -> {
                        socket.send(
                                ServerFrames.roomHistory(
                                        f.room(),
                                        history.roomPage(f.room(), f.beforeSeq(), f.limit())));
                    },
                    () -> {});
        } else {
            read(
                    socket,
                    ref,
                    () -> {
                        socket.send(
                                ServerFrames.conversationHistory(
                                        f.with(),
                                        history.conversationPage(
                                                user.id(), f.with(), f.beforeId(), f.limit())));
                    },
                    () -> {});
        }
    }

    /**
     * Runs a store read off the socket thread; a failure answers {@code unavailable} and runs
     * {@code undo}.
     */
    void read(ClientSocket socket, String ref, Runnable work, Runnable undo) {
        Runnable task =
                () -> {
                    try {
                        work.run();
                    } catch (SwitchboardException e) {
                        undo.run();
                        socket.send(ServerFrames.error(e, ref));
                    } catch (RuntimeException e) {
                        FAULTS.log(
                                Level.WARNING, "history-read", () -> "history read failed: " + e);
                        undo.run();
                        socket.send(
                                ServerFrames.error(
                                        new SwitchboardException(
                                                ErrorCode.UNAVAILABLE,
                                                "history is unavailable; try again",
                                                1000),
                                        ref));
                    }
                };
        try {
            pools.reads().execute(task);
        } catch (RejectedExecutionException e) {
            undo.run();
            throw new SwitchboardException(
                    ErrorCode.UNAVAILABLE, "the node is overloaded; try again", 1000);
        }
    }
}
