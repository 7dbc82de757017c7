package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frames of one broker message on the chat exchange come out as they went in. */
class RabbitBusCodecTest {
    @Test
    void frames_with_any_text_and_their_metadata_survive_the_round_trip() {
        var frames =
                List.of(
                        new Envelope(
                                Envelope.Target.ROOM,
                                "lobby",
                                "{\"type\":\"message\",\"text\":\"a\\nb\"}",
                                null,
                                41,
                                1_700_000_000_123L),
                        new Envelope(
                                Envelope.Target.ROOM,
                                "lobby",
                                "line one\nline two 12 34\n",
                                "socket 1\n2",
                                0,
                                0),
                        new Envelope(Envelope.Target.ROOM, "lobby", "日本語 😀 é", "s-3", 42, 5),
                        new Envelope(Envelope.Target.ROOM, "lobby", "", null, 0, 0));
        assertEquals(
                frames, RabbitBus.decode(Envelope.Target.ROOM, "lobby", RabbitBus.encode(frames)));
    }

    @Test
    void a_body_that_is_not_frames_is_refused() {
        byte[] body = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(
                RuntimeException.class,
                () -> RabbitBus.decode(Envelope.Target.ROOM, "lobby", body));
    }
}
