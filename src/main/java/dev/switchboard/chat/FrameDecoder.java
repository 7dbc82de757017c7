package dev.switchboard.chat;

import dev.switchboard.ErrorCode;
import dev.switchboard.JsonCodec;
import dev.switchboard.RoomName;
import dev.switchboard.SwitchboardException;
import dev.switchboard.UserId;
import dev.switchboard.history.HistorySettings;
import dev.switchboard.presence.Status;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.math.BigDecimal;

/**
 * Text to {@link ClientFrame}: shape errors are {@code bad_request}, bad names {@code
 * invalid_name}. Rules that need state (membership, text length, rate) are the service's.
 */
final class FrameDecoder {
    static final int MAX_REF = 64;
    private static final int DEFAULT_HISTORY_LIMIT = 50;

    private FrameDecoder() {}

    /**
     * Exactly one JSON object: text after it would be a second frame in one, which the contract
     * does not allow.
     */
    static JsonObject parse(String text) {
        JsonObject object = JsonCodec.objectOrNull(text);
        if (object == null) throw bad("frame is not a JSON object");
        return object;
    }

    /**
     * The top-level {@code ref} of a frame the parse refused, read by streaming (at most 64 KiB, no
     * depth limit, no number made), so that a frame past the parser's limits (depth, number length)
     * still gets its ref echoed; null when there is none, or the JSON breaks before it.
     */
    static String refOfUnparsed(String text) {
        try (var parser = JsonCodec.unnestedParser(text)) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) return null;
            int depth = 1;
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> {
                        if (--depth == 0) return null;
                    }
                    case KEY_NAME -> {
                        if (depth == 1 && "ref".equals(parser.getString())) {
                            if (parser.next() != JsonParser.Event.VALUE_STRING) return null;
                            String ref = parser.getString();
                            return ref.length() <= MAX_REF ? ref : null;
                        }
                    }
                    default -> {}
                }
            }
        } catch (RuntimeException e) {
            // the parser gave up before a ref: there is none to echo
        }
        return null;
    }

    /** The frame's {@code ref}, checked first so that every later error can echo it. */
    static String ref(JsonObject frame) {
        JsonValue ref = frame.get("ref");
        if (ref == null || ref == JsonValue.NULL) return null;
        if (!(ref instanceof JsonString s) || s.getString().length() > MAX_REF)
            throw bad("ref must be a string of at most " + MAX_REF + " characters");
        return s.getString();
    }

    static ClientFrame decode(JsonObject frame) {
        JsonValue type = frame.get("type");
        if (!(type instanceof JsonString t)) throw bad("type is missing");
        return switch (t.getString()) {
            case "join" ->
                    new ClientFrame.Join(room(frame, "room"), optionalSeq(frame, "since", 0));
            case "leave" -> new ClientFrame.Leave(room(frame, "room"));
            case "send" -> new ClientFrame.Send(room(frame, "room"), string(frame, "text"));
            case "direct" ->
                    new ClientFrame.Direct(new UserId(string(frame, "to")), string(frame, "text"));
            case "typing" -> new ClientFrame.Typing(room(frame, "room"), bool(frame, "active"));
            case "status" -> new ClientFrame.SetStatus(status(frame));
            case "history" -> history(frame);
            case "refresh" -> new ClientFrame.Refresh(string(frame, "token"));
            case "ping" -> new ClientFrame.Ping();
            default -> throw bad("unknown type " + abbreviate(t.getString()));
        };
    }

    private static ClientFrame history(JsonObject frame) {
        boolean hasRoom = present(frame, "room");
        boolean hasWith = present(frame, "with");
        if (hasRoom == hasWith) throw bad("history needs exactly one of room and with");
        int limit = DEFAULT_HISTORY_LIMIT;
        if (present(frame, "limit")) {
            Long n = optionalSeq(frame, "limit", 1);
            if (n > HistorySettings.MAX_PAGE)
                throw bad("limit must be 1.." + HistorySettings.MAX_PAGE);
            limit = n.intValue();
        }
        if (hasRoom)
            return new ClientFrame.History(
                    room(frame, "room"), null, optionalSeq(frame, "before", 1), null, limit);
        String beforeId = present(frame, "before") ? string(frame, "before") : null;
        return new ClientFrame.History(
                null, new UserId(string(frame, "with")), null, beforeId, limit);
    }

    private static Status status(JsonObject frame) {
        Status status = Status.settable(string(frame, "status"));
        if (status == null) throw bad("status must be online, away or busy");
        return status;
    }

    private static RoomName room(JsonObject frame, String field) {
        return new RoomName(string(frame, field));
    }

    private static boolean present(JsonObject frame, String field) {
        JsonValue v = frame.get(field);
        return v != null && v != JsonValue.NULL;
    }

    private static String string(JsonObject frame, String field) {
        if (!(frame.get(field) instanceof JsonString s))
            throw bad(field + " is missing or not a string");
        return s.getString();
    }

    private static boolean bool(JsonObject frame, String field) {
        JsonValue v = frame.get(field);
        if (v == JsonValue.TRUE) return true;
        if (v == JsonValue.FALSE) return false;
        throw bad(field + " is missing or not a boolean");
    }

    /**
     * A whole number written without fraction or exponent. Scale and digits are checked before any
     * conversion: {@code 1e999999999} is 11 characters, but a billion digits as an integer.
     */
    private static Long optionalSeq(JsonObject frame, String field, long min) {
        if (!present(frame, field)) return null;
        if (!(frame.get(field) instanceof JsonNumber n))
            throw bad(field + " must be a whole number >= " + min);
        BigDecimal d = n.bigDecimalValue();
        if (d.scale() != 0
                || d.precision() > 19
                || d.unscaledValue().bitLength() > 62
                || d.longValue() < min) {
            throw bad(field + " must be a whole number >= " + min);
        }
        return d.longValue();
    }

    private static String abbreviate(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "…" : s;
    }

    private static SwitchboardException bad(String detail) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, detail);
    }
}
