package dev.switchboard.history;

import dev.switchboard.SwitchboardException;
import java.util.List;

/**
 * The outcome of one batch of the writer, as a value: the messages now durable in submit order
 * (room messages with their seqs), and those refused with the answer due. The fan-out gets it once,
 * whole.
 */
public record StoredBatch(List<Submission> stored, List<Refusal> refused) {
    public StoredBatch {
        stored = List.copyOf(stored);
        refused = List.copyOf(refused);
    }

    public record Refusal(Submission submission, SwitchboardException reason) {}
}
