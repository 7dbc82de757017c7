package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFramesTest {

    @Test
    void a_short_text_has_the_two_byte_header_fin_text_and_its_length() {
        byte[] frame = bytes(WireFrames.encode("hi"));
        assertArrayEquals(new byte[] {(byte) 0x81, 2, 'h', 'i'}, frame);
    }

    @Test
    void the_length_counts_utf8_bytes_not_characters() {
        String text = "é€😀"; // 2 + 3 + 4 bytes
        byte[] frame = bytes(WireFrames.encode(text));
        assertEquals(9, frame[1]);
        assertEquals(text, new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8));
    }

    @Test
    void lengths_from_126_to_65535_take_a_16_bit_length_and_longer_ones_a_64_bit_length() {
        assertEquals(125, bytes(WireFrames.encode("x".repeat(125)))[1]);

        byte[] at126 = bytes(WireFrames.encode("x".repeat(126)));
        assertEquals(126, at126[1]);
        assertEquals(126, ((at126[2] & 0xff) << 8) | (at126[3] & 0xff));
        assertEquals(4 + 126, at126.length);

        byte[] at65535 = bytes(WireFrames.encode("x".repeat(65_535)));
        assertEquals(126, at65535[1]);
        assertEquals(65_535, ((at65535[2] & 0xff) << 8) | (at65535[3] & 0xff));

        byte[] at65536 = bytes(WireFrames.encode("x".repeat(65_536)));
        assertEquals(127, at65536[1]);
        assertEquals(65_536, ByteBuffer.wrap(at65536, 2, 8).getLong());
        assertEquals(10 + 65_536, at65536.length);
    }

    @Test
    void recipients_of_one_message_share_its_bytes_each_with_a_buffer_of_its_own() {
        var frames = new WireFrames();
        String message = "{\"type\":\"message\",\"text\":\"hello\"}";
        ByteBuffer first = frames.of(message);
        first.position(first.limit()); // a writer consumed it
        ByteBuffer second = frames.of(message);

        assertEquals(0, second.position());
        assertSame(first.array(), second.array());
        assertArrayEquals(bytes(WireFrames.encode(message)), bytes(second));
    }

    @Test
    void an_equal_text_in_another_string_is_encoded_again_and_still_right() {
        var frames = new WireFrames();
        String a = new String("same text");
        String b = new String("same text");
        ByteBuffer fromA = frames.of(a);
        ByteBuffer fromB = frames.of(b);
        assertArrayEquals(bytes(fromA), bytes(fromB));
        assertNotSame(
                fromA.array(),
                fromB.array(),
                "shared only by identity, so no comparison of contents on the hot path");
    }

    @Test
    void frames_over_the_shared_limit_are_not_held() {
        var frames = new WireFrames();
        String big = "x".repeat(WireFrames.MAX_SHARED_BYTES); // plus a header: over the limit
        assertNotSame(frames.of(big).array(), frames.of(big).array());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
