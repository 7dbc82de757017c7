package dev.switchboard.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Text frames in their wire form (RFC 6455 section 5.2, server to client: FIN, opcode text, no
 * mask), encoded once per message however many sockets it goes to.
 *
 * <p>A message is one {@code String} handed to each of its recipients in turn, so the recent
 * encodings are kept by the identity of that string in a small table: the recipients after the
 * first find it there. A slot is simply overwritten by the next frame that hashes to it, and the
 * worst that does is one more encoding. Frames over {@link #MAX_SHARED_BYTES} are encoded each time
 * rather than held (history pages are big and go to one socket).
 */
final class WireFrames {
    static final int MAX_SHARED_BYTES = 16 * 1024;
    private static final int SLOTS = 256;

    private record Encoded(String text, ByteBuffer wire) {}

    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(SLOTS);

    /**
     * @return the frame carrying {@code text}: a buffer of its own (position 0) over bytes that may
     *     be shared, never to be written to
     */
    ByteBuffer of(String text) {
        int slot = System.identityHashCode(text) & (SLOTS - 1);
        Encoded known = recent.get(slot);
        if (known != null && known.text == text) return known.wire.duplicate();
        ByteBuffer wire = encode(text);
        if (wire.remaining() <= MAX_SHARED_BYTES) recent.set(slot, new Encoded(text, wire));
        return wire.duplicate();
    }

    static ByteBuffer encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) 0x81; // FIN, opcode 1: a whole text message
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, frame, header, length);
        return ByteBuffer.wrap(frame); // a heap array: the container writes it without copying
    }
}
