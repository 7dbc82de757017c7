package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue #19: thousands of generated bad frames, tokens and bodies against a running node; every
 * answer must be the contract's (PROTOCOL.md sections 1-4) and the node's log must stay free of
 * stack traces. Inputs come from a seeded {@link Random}: the seed is printed, and {@code
 * -Dfuzz.seed=N} replays a run. Each test prints how each class of input was answered and fails
 * listing the first 20 wrong answers, not just the first.
 *
 * <p>Frames are pipelined: each bad frame is followed by a fence (an unknown type with its own ref,
 * answered {@code error bad_request} with that ref), so whatever arrives before the fence's answer
 * is the frame's answer, and there must be exactly one. Each socket has its own user and room so
 * that nothing of one socket reaches another.
 */
class FuzzIT {
    static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    private static final Set<String> TABLE =
            Set.of(
                    "bad_request",
                    "invalid_name",
                    "not_member",
                    "forbidden",
                    "empty_message",
                    "too_large",
                    "rate_limited",
                    "too_many_rooms");

    /** A Java class or stack frame in what a client sees. */
    private static final Pattern JAVA =
            Pattern.compile(
                    "\\b(?:java|javax|jakarta|org|com|dev|sun|jdk)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]+|\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b|\tat ");

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Frames per pipelined batch; each has its fence, so a socket never has more than 2 x this
     * unanswered.
     */
    private static final int BATCH = 40;

    /**
     * Control frames (join, leave, typing, status, history) per socket, under the contract's 100
     * per 10 s.
     */
    private static final int CONTROL_BUDGET = 80;

    private static final Set<String> CONTROL =
            Set.of("join", "leave", "typing", "status", "history", "read", "react");

    /**
     * Every type the contract (sections 2, 6, 7) gives a client frame: an "unknown type" must be
     * none of these.
     */
    /**
     * HTTP/1.1, as a proxy in front of the node speaks it. The JDK client's default, an h2c
     * upgrade, is left out: under thousands of refused requests Payara's h2c handling was seen to
     * hand one request object to two connections (Grizzly NPEs, "Unknown protocol", dropped
     * sockets); see the notes of issue #19.
     */
    private static final java.net.http.HttpClient HTTP_1_1 =
            java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private static final Set<String> KNOWN =
            Set.of(
                    "join",
                    "leave",
                    "send",
                    "direct",
                    "typing",
                    "status",
                    "history",
                    "refresh",
                    "ping",
                    "notifications",
                    "notifications_read",
                    "edit",
                    "delete",
                    "react",
                    "read");
    private static final String ROOM = "@@ROOM@@";
    private static final List<String> HUGE =
            List.of(
                    "1" + "7".repeat(1199),
                    "-" + "9".repeat(1200),
                    "1e999999999",
                    "-1e-999999999",
                    "1e-999999999",
                    "1E+999999999",
                    "-1e999999999",
                    "0." + "0".repeat(1200) + "1");
    private static final AtomicInteger FENCES = new AtomicInteger();
    private static final Pattern LONG_NUMBER = Pattern.compile("[0-9]{1000}");

    private final SwitchboardNode node = TestNodes.postgres();
    private final String offline = Unique.name("fz-offline");
    private Random rnd;
    private Findings findings;
    private long logFrom;

    @BeforeAll
    static void printSeed() {
        System.out.println("FuzzIT seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
    }

    @org.junit.jupiter.api.BeforeEach
    void start(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        rnd = new Random(SEED * 31 + name.hashCode());
        findings = new Findings(name);
        logFrom = node.logSize();
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void bad_frames_are_answered_with_the_contracts_errors_and_the_socket_stays_open() {
        List<Case> cases = new ArrayList<>();
        wrongTypes(cases, 700);
        missingFields(cases);
        invalidNames(cases, 300);
        overlong(cases);
        unknownTypes(cases, 200);
        randomJson(cases, 400);
        notObjects(cases, 100);
        trailingGarbage(cases, 100);
        badSyntax(cases, 150);
        ignoredFields(cases, 200);
        hugeNumbers(cases);
        binaryFrames(cases, 60);
        oversized(cases);
        loneSurrogates(cases);
        java.util.Collections.shuffle(cases, rnd);
        runOnSockets(cases);
        finish();
    }

    @Test
    void mutated_tokens_are_refused_at_the_handshake_on_refresh_and_as_bearer_tokens() {
        List<TokenCase> tokens = new ArrayList<>();
        for (int i = 0; i < 300; i++) tokens.add(mutatedToken());
        List<Case> refreshes = new ArrayList<>();
        for (TokenCase t : tokens) {
            handshake(t);
            // java.net.http sends no header value with controls or non-ASCII: those become '?',
            // still a bad token
            bearer(t.kind, "Bearer " + t.token.replaceAll("[^\\x20-\\x7e]", "?"), t.mayBeValid);
            String ref = "t" + refreshes.size();
            Set<String> expected =
                    t.mayBeValid
                            ? Set.of("error:bad_request", "error:forbidden", "close:1008")
                            : Set.of("error:bad_request", "close:1008");
            Case refresh =
                    Case.text(
                            "refresh " + t.kind,
                            "{\"type\":\"refresh\",\"token\":"
                                    + q(t.token)
                                    + ",\"ref\":"
                                    + q(ref)
                                    + "}",
                            ref,
                            expected);
            refresh.async =
                    true; // a refused token closes the socket off its thread: the fence may be
            // answered first
            refreshes.add(refresh);
        }
        String valid = TestTokens.token(Unique.name("fzb"));
        bearer("bearer scheme in lower case", "bearer " + valid, true);
        bearer("no scheme", valid, false);
        bearer("Basic scheme", "Basic " + valid, false);
        bearer("scheme only", "Bearer", false);
        bearer("scheme and space", "Bearer ", false);
        bearer("two tokens", "Bearer " + valid + " " + valid, false);
        bearer("token twice joined", "Bearer " + valid + valid, false);
        runOnSockets(refreshes);
        badHandshakeQueries();
        finish();
    }

    @Test
    void invalid_utf8_in_a_text_frame_is_refused_without_a_stack_trace() {
        List<byte[]> bodies = new ArrayList<>();
        byte[][] bad = {
            {(byte) 0xff},
            {(byte) 0xc0, (byte) 0x80},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0x80},
            {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xc3},
            {(byte) 0xfe, (byte) 0xfe},
            {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}
        };
        for (int i = 0; i < 40; i++) {
            byte[] b = bad[rnd.nextInt(bad.length)];
            String[] around =
                    switch (rnd.nextInt(4)) {
                        case 0 -> new String[] {"{\"type\":\"ping\",\"x\":\"", "\"}"};
                        case 1 ->
                                new String[] {
                                    "{\"type\":\"send\",\"room\":\"r\",\"text\":\"",
                                    "\",\"ref\":\"u\"}"
                                };
                        case 2 -> new String[] {"", ""};
                        default -> new String[] {"{\"type\":\"", "\"}"};
                    };
            var body = new java.io.ByteArrayOutputStream();
            body.writeBytes(around[0].getBytes(StandardCharsets.UTF_8));
            body.writeBytes(b);
            body.writeBytes(around[1].getBytes(StandardCharsets.UTF_8));
            bodies.add(body.toByteArray());
        }
        for (byte[] body : bodies) {
            String kind = "invalid UTF-8 in a text frame";
            String answer;
            long start = System.nanoTime();
            try (var ws =
                    RawWebSocket.open(node, "token=" + TestTokens.token(Unique.name("fzu")))) {
                if (ws.status() != 101) throw new IOException("handshake answered " + ws.status());
                String welcome = ws.next(WsClient.TIMEOUT);
                if (welcome == null || !welcome.contains("\"welcome\""))
                    throw new IOException("no welcome but " + welcome);
                ws.send(RawWebSocket.TEXT, body);
                int fence = FENCES.incrementAndGet();
                ws.send(RawWebSocket.TEXT, fence(fence).getBytes(StandardCharsets.UTF_8));
                List<String> answers = new ArrayList<>();
                while (true) {
                    String frame = ws.next(ANSWER_TIMEOUT);
                    if (frame == null) {
                        answers.add("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
                        break;
                    }
                    if (frame.startsWith("close:")) {
                        answers.add(frame);
                        break;
                    }
                    JsonObject json = Json.createReader(new StringReader(frame)).readObject();
                    if (isFence(json, fence)) break;
                    answers.add(describe(json, kind, null));
                }
                answer = one(answers);
            } catch (IOException e) {
                answer = "no socket: " + e.getMessage();
            }
            // RFC 6455 section 8.1 makes the server fail the connection (close 1007) on bytes that
            // are not UTF-8; the contract's table has no row for it, so bad_request with the socket
            // open passes too
            findings.took(kind, System.nanoTime() - start);
            findings.judge(
                    kind, abbreviate(body), answer, Set.of("close:1007", "error:bad_request"));
        }
        finish();
    }

    @Test
    void bad_http_bodies_are_400_problems_and_never_5xx() {
        orderBodies(400);
        tokenBodies(300);
        finish();
    }

    // ---------------------------------------------------------------- frame generators

    /**
     * A frame of a contract type with every field valid: the generators spoil one thing at a time.
     */
    private Map<String, String> base(String type) {
        var f = new LinkedHashMap<String, String>();
        f.put("type", q(type));
        switch (type) {
            case "join", "leave" -> f.put("room", q(ROOM));
            case "send" -> {
                f.put("room", q(ROOM));
                f.put("text", q("hi"));
            }
            case "direct" -> {
                f.put("to", q(offline));
                f.put("text", q("hi"));
            }
            case "typing" -> {
                f.put("room", q(ROOM));
                f.put("active", "true");
            }
            case "status" -> f.put("status", q("away"));
            case "history" -> {
                if (rnd.nextBoolean()) f.put("room", q(ROOM));
                else f.put("with", q(offline));
                f.put("limit", "5");
            }
            case "refresh" -> f.put("token", q(TestTokens.token(Unique.name("fz-other"))));
            default -> {}
        }
        return f;
    }

    private static final List<String> TYPES =
            List.of(
                    "join", "leave", "send", "direct", "typing", "status", "history", "refresh",
                    "ping");

    /**
     * A wrong type for each field of each frame type: bad_request, with the ref echoed (unless the
     * ref is the field).
     */
    private void wrongTypes(List<Case> cases, int count) {
        for (int i = 0; i < count; i++) {
            String type = pick(TYPES);
            var frame = base(type);
            List<String> fields = new ArrayList<>(frame.keySet());
            fields.add("ref");
            if (type.equals("join")) fields.add("since");
            if (type.equals("history")) fields.add("before");
            String field = pick(fields);
            String value = wrongValue(field, frame);
            if (value == null) continue;
            frame.put(field, value);
            String ref = field.equals("ref") ? null : "w" + i;
            if (ref != null) frame.put("ref", q(ref));
            cases.add(
                    Case.text(
                                    "wrong type: " + type + "." + field,
                                    render(frame),
                                    ref,
                                    Set.of("error:bad_request"))
                            .control(type));
        }
    }

    /**
     * A value of the wrong type for the field; null when the pick would be a valid value (null of
     * an optional field).
     */
    private String wrongValue(String field, Map<String, String> frame) {
        boolean optional = Set.of("ref", "since", "before", "limit").contains(field);
        List<String> values =
                new ArrayList<>(
                        List.of(
                                "42",
                                "-1",
                                "3.5",
                                "[]",
                                "{}",
                                "[\"x\"]",
                                "{\"a\":\"b\"}",
                                pick(HUGE),
                                deepJson(1 + rnd.nextInt(1500)),
                                randomJson(4)));
        if (!optional) values.add("null");
        boolean historyOfRoom =
                frame.containsKey("room") && "\"history\"".equals(frame.get("type"));
        boolean number =
                Set.of("since", "limit").contains(field) || field.equals("before") && historyOfRoom;
        // a string is the right type for most fields, and 42 a valid seq or limit
        values.removeIf(
                v ->
                        v.startsWith("\"")
                                || number && v.equals("42")
                                || optional && v.equals("null"));
        switch (field) {
            case "active" -> values.addAll(List.of("\"true\"", "1", "0", "\"\""));
            case "since", "limit" ->
                    values.addAll(
                            List.of(
                                    "\"5\"",
                                    "true",
                                    "1.5",
                                    "-5",
                                    "0.5",
                                    field.equals("limit") ? "0" : "-1",
                                    field.equals("limit") ? "101" : "-2"));
            case "before" -> {
                if (historyOfRoom) values.addAll(List.of("\"5\"", "true", "0", "2.5"));
            }
            case "status" ->
                    values.addAll(
                            List.of(
                                    "\"offline\"",
                                    "\"ONLINE\"",
                                    "\"\"",
                                    "\"away \"",
                                    q(randomString(20))));
            case "type" -> values.addAll(List.of("true", "false"));
            default -> values.addAll(List.of("true", "false"));
        }
        return pick(values);
    }

    private void missingFields(List<Case> cases) {
        int n = 0;
        for (String type : TYPES) {
            for (String field : base(type).keySet()) {
                if (field.equals("limit")) continue; // optional
                for (int rep = 0; rep < 3; rep++) {
                    var frame = base(type);
                    while (!frame.containsKey(field))
                        frame = base(type); // history has room or with
                    frame.remove(field);
                    String ref = "m" + n++;
                    frame.put("ref", q(ref));
                    cases.add(
                            Case.text(
                                            "missing field: " + type + "." + field,
                                            render(frame),
                                            ref,
                                            Set.of("error:bad_request"))
                                    .control(type));
                }
            }
        }
        var both = base("history");
        both.put("room", q(ROOM));
        both.put("with", q(offline));
        both.put("ref", q("both"));
        cases.add(
                Case.text(
                                "history with room and with",
                                render(both),
                                "both",
                                Set.of("error:bad_request"))
                        .control("history"));
    }

    /** Names of 65+ characters and names with characters outside [A-Za-z0-9_-]: invalid_name. */
    private void invalidNames(List<Case> cases, int count) {
        List<String> pieces =
                List.of(
                        ".",
                        " ",
                        "*",
                        "#",
                        ">",
                        "/",
                        ":",
                        "\u00e9",
                        "\ud83d\ude00",
                        "\u0000",
                        "\n",
                        "\u200b",
                        "%2e",
                        "\\",
                        "\"");
        for (int i = 0; i < count; i++) {
            String name =
                    switch (rnd.nextInt(4)) {
                        case 0 -> "n".repeat(65 + rnd.nextInt(2000));
                        case 1 -> "";
                        default -> {
                            var sb = new StringBuilder("ok");
                            sb.insert(rnd.nextInt(3), pick(pieces));
                            yield sb.toString();
                        }
                    };
            String type =
                    pick(
                            List.of(
                                    "join",
                                    "leave",
                                    "send",
                                    "typing",
                                    "history",
                                    "direct",
                                    "historyWith"));
            var frame = base(type.equals("historyWith") ? "history" : type);
            frame.remove("room");
            frame.remove("with");
            switch (type) {
                case "direct" -> frame.put("to", q(name));
                case "historyWith" -> frame.put("with", q(name));
                default -> frame.put("room", q(name));
            }
            String ref = "n" + i;
            frame.put("ref", q(ref));
            cases.add(
                    Case.text(
                                    "invalid name: " + type,
                                    render(frame),
                                    ref,
                                    Set.of("error:invalid_name"))
                            .control(type));
        }
    }

    private void overlong(List<Case> cases) {
        for (int i = 0; i < 50; i++) {
            var frame = base(pick(List.of("ping", "send", "join", "direct")));
            frame.put("ref", q("r".repeat(65 + rnd.nextInt(3000))));
            cases.add(
                    Case.text(
                                    "ref over 64 characters",
                                    render(frame),
                                    null,
                                    Set.of("error:bad_request"))
                            .control(frame.get("type")));
        }
        for (int i = 0; i < 60; i++) {
            boolean direct = rnd.nextBoolean();
            var frame = base(direct ? "direct" : "send");
            String text =
                    rnd.nextBoolean()
                            ? randomText(4001 + rnd.nextInt(12000), "a")
                            : "\ud83d\ude00".repeat(4001 + rnd.nextInt(3000));
            frame.put("text", q(text));
            frame.put("ref", q("L" + i));
            cases.add(
                    Case.text(
                            "text over 4000 characters: " + frame.get("type"),
                            render(frame),
                            "L" + i,
                            Set.of("error:too_large")));
        }
        List<String> empties = List.of("", " ", "\t", "\n\r", "\u3000", "\u00a0", " \u2003 ");
        for (int i = 0; i < 40; i++) {
            var frame = base(rnd.nextBoolean() ? "direct" : "send");
            frame.put("text", q(pick(empties)));
            frame.put("ref", q("E" + i));
            cases.add(
                    Case.text(
                            "empty text: " + frame.get("type"),
                            render(frame),
                            "E" + i,
                            Set.of("error:empty_message")));
        }
        for (int i = 0; i < 20; i++) {
            var frame = base(rnd.nextBoolean() ? "typing" : "send");
            frame.put("room", q(Unique.name("fz-notjoined")));
            frame.put("ref", q("N" + i));
            cases.add(
                    Case.text(
                                    "not a member: " + frame.get("type"),
                                    render(frame),
                                    "N" + i,
                                    Set.of("error:not_member"))
                            .control(frame.get("type")));
        }
    }

    private void unknownTypes(List<Case> cases, int count) {
        for (int i = 0; i < count; i++) {
            String type =
                    switch (rnd.nextInt(5)) {
                        case 0 -> pick(TYPES).toUpperCase();
                        case 1 -> " " + pick(TYPES);
                        case 2 -> randomString(1 + rnd.nextInt(3000));
                        case 3 -> "";
                        default -> pick(TYPES) + "\u0000";
                    };
            if (KNOWN.contains(type)) continue;
            String ref = "u" + i;
            cases.add(
                    Case.text(
                            "unknown type",
                            "{\"type\":" + q(type) + ",\"ref\":" + q(ref) + "}",
                            ref,
                            Set.of("error:bad_request")));
        }
    }

    /** Random JSON values: non-objects, or objects without a type; nesting up to 1500 deep. */
    private void randomJson(List<Case> cases, int count) {
        for (int i = 0; i < count; i++) {
            String value = rnd.nextInt(4) == 0 ? deepJson(1 + rnd.nextInt(1500)) : randomJson(6);
            if (value.startsWith("{")) value = "{\"ref\":\"j" + i + "\"," + value.substring(1);
            if (value.equals("{\"ref\":\"j" + i + "\",}")) value = "{\"ref\":\"j" + i + "\"}";
            String ref = value.startsWith("{") ? "j" + i : null;
            cases.add(Case.text("random JSON value", value, ref, Set.of("error:bad_request")));
        }
    }

    private void notObjects(List<Case> cases, int count) {
        List<String> values =
                List.of(
                        "42",
                        "\"ping\"",
                        "null",
                        "true",
                        "[{\"type\":\"ping\"}]",
                        "[]",
                        "\"\"",
                        "-0",
                        "1e999999999",
                        "\"{\\\"type\\\":\\\"ping\\\"}\"");
        for (int i = 0; i < count; i++)
            cases.add(
                    Case.text(
                            "JSON that is not an object",
                            pick(values),
                            null,
                            Set.of("error:bad_request")));
    }

    private void trailingGarbage(List<Case> cases, int count) {
        List<String> garbage =
                List.of(
                        "x",
                        "}",
                        "]",
                        "{\"type\":\"ping\"}",
                        ",",
                        "//",
                        "/* */",
                        "\u0000",
                        "null",
                        "\"",
                        "0");
        for (int i = 0; i < count; i++) {
            String ref = "g" + i;
            String frame = "{\"type\":\"ping\",\"ref\":" + q(ref) + "}";
            if (rnd.nextInt(5) == 0) {
                cases.add(
                        Case.text(
                                "trailing white space",
                                frame + pick(List.of(" ", "\n", "\r\n\t ")),
                                null,
                                Set.of("pong")));
            } else {
                cases.add(
                        Case.text(
                                "trailing garbage",
                                frame + pick(garbage),
                                null,
                                Set.of("error:bad_request")));
            }
        }
    }

    private void badSyntax(List<Case> cases, int count) {
        List<String> frames =
                List.of(
                        "{'type':'ping'}",
                        "{\"type\":\"ping\",}",
                        "{\"type\" \"ping\"}",
                        "{\"type\":NaN}",
                        "{\"type\":Infinity}",
                        "{\"type\":\"ping\" /* c */}",
                        "{\"type\":\"pi\u0001ng\"}",
                        "{\"type\":\"\\x41\"}",
                        "{\"type\":\"\\u12\"}",
                        "{\"type\":\"ping",
                        "{type:\"ping\"}",
                        "{\"type\":\"ping\"",
                        "",
                        " ",
                        "{\"type\":01}",
                        "{\"type\":+1}",
                        "{\"type\":.5}",
                        "{\"type\":tru}",
                        "\u0000",
                        "{\"type\":\"ping\",\"a\":[1,2}",
                        "{\"type\":\"ping\"]",
                        "{{}}",
                        "{\"a\"}",
                        "\ufeff");
        for (int i = 0; i < count; i++)
            cases.add(Case.text("invalid JSON", pick(frames), null, Set.of("error:bad_request")));
    }

    /** Unknown fields are ignored, whatever they hold: a ping with junk is answered pong. */
    private void ignoredFields(List<Case> cases, int count) {
        for (int i = 0; i < count; i++) {
            int depth = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(1500) : 0;
            String junk =
                    depth > 0 ? deepJson(depth) : rnd.nextBoolean() ? pick(HUGE) : randomJson(5);
            String key = rnd.nextInt(4) == 0 ? randomString(1 + rnd.nextInt(50)) : "x" + i;
            if (key.equals("type") || key.equals("ref")) continue;
            String frame = "{\"type\":\"ping\"," + q(key) + ":" + junk + "}";
            // very deep nesting, or a number of 1000+ digits, may be refused as more than the
            // parser takes
            boolean beyondLimits = depth > 32 || LONG_NUMBER.matcher(junk).find();
            Set<String> expected =
                    beyondLimits ? Set.of("pong", "error:bad_request") : Set.of("pong");
            cases.add(
                    Case.text(
                            depth > 32
                                    ? "ping with a deeply nested unknown field"
                                    : beyondLimits
                                            ? "ping with a 1000+ digit number in an unknown field"
                                            : "ping with an unknown field",
                            frame,
                            null,
                            expected));
        }
    }

    private void hugeNumbers(List<Case> cases) {
        int n = 0;
        for (String huge : HUGE) {
            for (String[] spot :
                    List.of(
                            new String[] {"join", "since"},
                            new String[] {"history", "limit"},
                            new String[] {"history", "before"},
                            new String[] {"typing", "active"},
                            new String[] {"send", "text"},
                            new String[] {"status", "status"},
                            new String[] {"direct", "to"},
                            new String[] {"refresh", "token"},
                            new String[] {"ping", "type"},
                            new String[] {"send", "ref"})) {
                for (int rep = 0; rep < 2; rep++) {
                    var frame = base(spot[0]);
                    if (spot[1].equals("before")) {
                        frame.remove("with");
                        frame.put("room", q(ROOM));
                    }
                    frame.put(spot[1], huge);
                    String ref = spot[1].equals("ref") ? null : "h" + n++;
                    if (ref != null) frame.put("ref", q(ref));
                    cases.add(
                            Case.text(
                                            "huge number: " + spot[0] + "." + spot[1],
                                            render(frame),
                                            ref,
                                            Set.of("error:bad_request"))
                                    .control(spot[0]));
                }
            }
        }
    }

    /** Binary frames: the contract's frames are JSON text, so each is a frame that is not JSON. */
    private void binaryFrames(List<Case> cases, int count) {
        for (int i = 0; i < count; i++) {
            byte[] data =
                    switch (rnd.nextInt(4)) {
                        case 0 -> "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
                        case 1 -> new byte[0];
                        default -> {
                            byte[] b = new byte[1 + rnd.nextInt(3000)];
                            rnd.nextBytes(b);
                            yield b;
                        }
                    };
            cases.add(Case.binary("binary frame", data, Set.of("error:bad_request")));
        }
    }

    /**
     * Over 64 KiB: close 1009, for text and binary, JSON or not. Just under 64 KiB: a bad request,
     * never a crash.
     */
    private void oversized(List<Case> cases) {
        int over = 64 * 1024 + 1 + rnd.nextInt(10_000);
        cases.add(
                Case.text(
                        "frame over 64 KiB",
                        "{\"type\":\"send\",\"room\":\""
                                + ROOM
                                + "\",\"text\":\""
                                + "a".repeat(over)
                                + "\"}",
                        null,
                        Set.of("close:1009")));
        cases.add(Case.text("frame over 64 KiB", "x".repeat(over), null, Set.of("close:1009")));
        cases.add(Case.text("frame over 64 KiB", "[".repeat(over), null, Set.of("close:1009")));
        cases.add(
                Case.text(
                        "frame over 64 KiB",
                        "{\"type\":\"ping\",\"x\":\"" + "\u00e9".repeat(over / 2) + "\"}",
                        null,
                        Set.of("close:1009")));
        cases.add(Case.binary("frame over 64 KiB", new byte[over], Set.of("close:1009")));
        for (int i = 0; i < 6; i++) {
            int depth = 5_000 + rnd.nextInt(25_000);
            cases.add(
                    Case.text(
                            "nesting 5,000-30,000 deep under 64 KiB",
                            "[".repeat(depth) + "]".repeat(depth),
                            null,
                            Set.of("error:bad_request")));
            cases.add(
                    Case.text(
                            "nesting 5,000-30,000 deep under 64 KiB",
                            "{\"type\":\"ping\",\"x\":"
                                    + "[".repeat(depth)
                                    + "]".repeat(depth)
                                    + "}",
                            null,
                            Set.of("pong", "error:bad_request")));
            cases.add(
                    Case.text(
                            "nesting 5,000-30,000 deep under 64 KiB",
                            "{\"a\":".repeat(depth / 5) + "1" + "}".repeat(depth / 5),
                            null,
                            Set.of("error:bad_request")));
        }
    }

    /**
     * JSON escapes of lone surrogates: valid JSON text, invalid Unicode. Stored and acked, or
     * refused; never internal.
     */
    private void loneSurrogates(List<Case> cases) {
        List<String> texts =
                List.of("\\ud800", "a\\udc00b", "\\ud83d", "x\\udfff\\ud800y", "\\udbff\\udbff");
        for (int i = 0; i < 10; i++) {
            String ref = "s" + i;
            String frame =
                    "{\"type\":\"direct\",\"to\":"
                            + q(offline)
                            + ",\"text\":\""
                            + pick(texts)
                            + "\",\"ref\":"
                            + q(ref)
                            + "}";
            Case c =
                    Case.text(
                            "lone surrogate escape in a direct's text",
                            frame,
                            ref,
                            Set.of("ack", "error:bad_request"));
            c.async = true;
            cases.add(c);
        }
    }

    // ---------------------------------------------------------------- running frames on sockets

    /**
     * One test socket: its own user and its own room, joined, so that send and typing reach the
     * text checks.
     */
    private final class Pipe implements AutoCloseable {
        final WsClient ws = WsClient.connect(node, TestTokens.token(Unique.name("fz")));
        final String room = Unique.name("fzr");
        int control = 1;
        boolean dead;

        Pipe() {
            ws.join(room);
        }

        @Override
        public void close() {
            if (dead) ws.abort();
            else ws.close();
        }
    }

    private void runOnSockets(List<Case> cases) {
        Pipe pipe = new Pipe();
        int next = 0;
        while (next < cases.size()) {
            List<Case> batch = new ArrayList<>();
            int control = pipe.control;
            for (int i = next; i < cases.size() && batch.size() < BATCH; i++) {
                Case c = cases.get(i);
                if (c.async && !batch.isEmpty()) break;
                if (c.control && control + 1 > CONTROL_BUDGET) break;
                batch.add(c);
                if (c.control) control++;
                if (c.async) break;
            }
            if (batch.isEmpty()) {
                pipe.close();
                pipe = new Pipe();
                continue;
            }
            next += run(pipe, batch);
            if (pipe.dead || pipe.ws.isClosed()) {
                pipe.close();
                pipe = new Pipe();
            }
        }
        pipe.close();
    }

    /**
     * Sends the batch, each frame followed by its fence, and judges the answers. @return how many
     * were judged
     */
    private int run(Pipe pipe, List<Case> batch) {
        int[] fences = new int[batch.size()];
        int sent = 0;
        try {
            for (Case c : batch) {
                if (c.binary != null) pipe.ws.sendBinary(c.binary);
                else pipe.ws.send(c.text.replace(ROOM, pipe.room));
                if (c.control) pipe.control++;
                fences[sent] = FENCES.incrementAndGet();
                sent++;
                pipe.ws.send(fence(fences[sent - 1]));
            }
        } catch (AssertionError sendFailed) {
            // the server closed the socket: the answers to the frames sent so far say why; the rest
            // go on another socket
        }
        for (int i = 0; i < sent; i++) {
            Case c = batch.get(i);
            List<String> answers = new ArrayList<>();
            boolean fenced = false;
            while (true) {
                JsonObject frame = pipe.ws.next(ANSWER_TIMEOUT);
                if (frame == null) break;
                if (isFence(frame, fences[i])) {
                    fenced = true;
                    break;
                }
                answers.add(describe(frame, c.kind, c.ref));
            }
            if (fenced && c.async && answers.isEmpty()) {
                JsonObject late = pipe.ws.next(ANSWER_TIMEOUT);
                if (late != null) answers.add(describe(late, c.kind, c.ref));
                else if (pipe.ws.isClosed()) {
                    answers.add("close:" + pipe.ws.awaitClose(Duration.ofSeconds(1)));
                    pipe.dead = true;
                }
            }
            if (!fenced) {
                int code = pipe.ws.isClosed() ? pipe.ws.awaitClose(Duration.ofSeconds(1)) : 0;
                if (code == -1 && answers.size() == 1 && c.expected.contains(answers.get(0))) {
                    // answered as the contract says, then the connection broke on the client's side
                    // with no close and nothing in the node's log: seen once in a few thousand
                    // cases, cause unknown (issue #19's notes). Shown, not failed; the next cases
                    // go on a new socket.
                    System.out.println(
                            "FuzzIT "
                                    + findings.test
                                    + ": connection broke after a correct answer to ["
                                    + c.kind
                                    + "]: "
                                    + pipe.ws.error());
                } else {
                    answers.add(
                            pipe.ws.isClosed()
                                    ? "close:" + code
                                    : "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
                }
                pipe.dead = true;
            }
            findings.judge(
                    c.kind,
                    c.binary != null ? abbreviate(c.binary) : abbreviate(c.text),
                    one(answers),
                    c.expected);
            if (!fenced) return i + 1;
        }
        return batch.size();
    }

    private static String fence(int n) {
        return "{\"type\":\"zz-fence\",\"ref\":\"f" + n + "\"}";
    }

    private static boolean isFence(JsonObject frame, int n) {
        return "error".equals(frame.getString("type", null))
                && ("f" + n).equals(frame.getString("ref", null));
    }

    /**
     * {@code error:<code>} or the frame's type; notes a Java name in a message or a ref not echoed.
     */
    private String describe(JsonObject frame, String kind, String ref) {
        String type = frame.getString("type", "?");
        if (!type.equals("error")) return type;
        String message = frame.get("message") instanceof JsonString s ? s.getString() : "";
        var java = JAVA.matcher(message);
        if (java.find())
            findings.fail(
                    kind,
                    "Java name '" + java.group() + "' in error message: " + abbreviate(message));
        // an internal error is a failure already, and may come before the ref was read
        if (ref != null
                && !"internal".equals(frame.getString("code", null))
                && !ref.equals(frame.getString("ref", null)))
            findings.fail(kind, "ref " + ref + " not echoed: " + abbreviate(frame.toString()));
        return "error:" + frame.getString("code", "?");
    }

    private static String one(List<String> answers) {
        if (answers.size() == 1) return answers.get(0);
        return answers.isEmpty() ? "no answer" : answers.size() + " answers " + answers;
    }

    // ---------------------------------------------------------------- tokens

    private record TokenCase(String kind, String token, boolean mayBeValid) {}

    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final String B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private TokenCase mutatedToken() {
        String user = Unique.name("fzt");
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String claims = "{\"sub\":" + q(user) + ",\"exp\":" + exp + "}";
        String good = TestTokens.sign(HS256, claims, TestTokens.SECRET);
        String[] parts = good.split("\\.");
        switch (rnd.nextInt(15)) {
            case 0 -> {
                int p = rnd.nextInt(3);
                // the signature's last character carries 2 unused bits, so only its others change
                // the bytes
                int at = rnd.nextInt(p == 2 ? parts[p].length() - 1 : parts[p].length());
                char was = parts[p].charAt(at);
                char now = was;
                while (now == was) now = B64.charAt(rnd.nextInt(B64.length()));
                parts[p] = parts[p].substring(0, at) + now + parts[p].substring(at + 1);
                return new TokenCase("base64 character changed", String.join(".", parts), false);
            }
            case 1 -> {
                int p = rnd.nextInt(3);
                int at = rnd.nextInt(parts[p].length());
                parts[p] =
                        parts[p].substring(0, at)
                                + pick(List.of("!", "+", "/", " ", "\u00e9", "%", "*", "\""))
                                + parts[p].substring(at + 1);
                return new TokenCase("character outside base64url", String.join(".", parts), false);
            }
            case 2 -> {
                int p = rnd.nextInt(3);
                parts[p] = parts[p] + pick(List.of("=", "==", "==="));
                return new TokenCase("base64 padding added", String.join(".", parts), false);
            }
            case 3 -> {
                int at = rnd.nextInt(good.length() + 1);
                return new TokenCase(
                        "extra dot",
                        good.substring(0, at) + pick(List.of(".", "..")) + good.substring(at),
                        false);
            }
            case 4 -> {
                String t =
                        pick(
                                List.of(
                                        "",
                                        ".",
                                        "..",
                                        "...",
                                        parts[0] + "..",
                                        ".." + parts[2],
                                        "." + parts[1] + "." + parts[2],
                                        parts[0] + "." + parts[1] + ".",
                                        parts[0] + ".." + parts[2],
                                        parts[0],
                                        parts[0] + "." + parts[1]));
                return new TokenCase("empty or missing parts", t, false);
            }
            case 5 -> {
                String header =
                        "{\"alg\":\"HS256\",\"x\":" + deepArray(1 + rnd.nextInt(1500)) + "}";
                boolean right = rnd.nextBoolean();
                return new TokenCase(
                        right
                                ? "deeply nested header, signed"
                                : "deeply nested header, bad signature",
                        TestTokens.sign(
                                header,
                                claims,
                                right
                                        ? TestTokens.SECRET
                                        : "another-secret-of-some-length-0123456789"),
                        right);
            }
            case 6 -> {
                String deep =
                        "{\"sub\":"
                                + q(user)
                                + ",\"exp\":"
                                + exp
                                + ",\"x\":"
                                + deepArray(1 + rnd.nextInt(1500))
                                + "}";
                return new TokenCase(
                        "deeply nested claims, signed",
                        TestTokens.sign(HS256, deep, TestTokens.SECRET),
                        true);
            }
            case 7 -> {
                String claim = pick(List.of("exp", "nbf", "iat"));
                String value = pick(HUGE);
                boolean future =
                        !value.startsWith("-") && !value.startsWith("0.") && !value.contains("e-");
                String body =
                        claim.equals("exp")
                                ? "{\"sub\":" + q(user) + ",\"exp\":" + value + "}"
                                : "{\"sub\":"
                                        + q(user)
                                        + ",\"exp\":"
                                        + exp
                                        + ","
                                        + q(claim)
                                        + ":"
                                        + value
                                        + "}";
                // a far-future exp or a past nbf/iat is no reason to refuse; a past exp, a future
                // nbf/iat are
                boolean mayBeValid = claim.equals("exp") == future;
                return new TokenCase(
                        "huge " + claim,
                        TestTokens.sign(HS256, body, TestTokens.SECRET),
                        mayBeValid);
            }
            case 8 -> {
                int k = rnd.nextInt(8);
                String header =
                        List.of(
                                        "{\"alg\":\"none\"}",
                                        "{\"alg\":\"HS512\"}",
                                        "{\"alg\":\"RS256\"}",
                                        "{\"alg\":\"ES256\"}",
                                        "{\"alg\":\"hs256\"}",
                                        "{\"typ\":\"JWT\"}",
                                        "{\"alg\":256}",
                                        "{\"alg\":null}")
                                .get(k);
                String token =
                        k == 0 && rnd.nextBoolean()
                                ? TestTokens.b64(header.getBytes(StandardCharsets.UTF_8))
                                        + "."
                                        + TestTokens.b64(claims.getBytes(StandardCharsets.UTF_8))
                                        + "."
                                : k == 1
                                        ? hs512(header, claims)
                                        : TestTokens.sign(header, claims, TestTokens.SECRET);
                return new TokenCase("alg " + header, token, false);
            }
            case 9 -> {
                String header =
                        pick(
                                List.of(
                                        "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
                                        "{\"alg\":\"HS256\",\"crit\":[\"x\"],\"x\":1}",
                                        "{\"alg\":\"HS256\",\"crit\":[]}"));
                return new TokenCase(
                        "crit header", TestTokens.sign(header, claims, TestTokens.SECRET), false);
            }
            case 10 -> {
                String body =
                        pick(
                                List.of(
                                        "{\"sub\":42,\"exp\":" + exp + "}",
                                        "{\"sub\":\"\",\"exp\":" + exp + "}",
                                        "{\"sub\":\"a.b\",\"exp\":" + exp + "}",
                                        "{\"sub\":" + q("s".repeat(65)) + ",\"exp\":" + exp + "}",
                                        "{\"exp\":" + exp + "}",
                                        "{\"sub\":" + q(user) + "}",
                                        "{\"sub\":"
                                                + q(user)
                                                + ",\"exp\":"
                                                + exp
                                                + ",\"name\":"
                                                + q("n".repeat(101))
                                                + "}",
                                        "{\"sub\":" + q(user) + ",\"exp\":" + exp + ",\"name\":7}",
                                        "{\"sub\":"
                                                + q(user)
                                                + ",\"exp\":"
                                                + exp
                                                + ",\"rooms\":\"r\"}",
                                        "{\"sub\":"
                                                + q(user)
                                                + ",\"exp\":"
                                                + exp
                                                + ",\"rooms\":[1]}",
                                        "{\"sub\":"
                                                + q(user)
                                                + ",\"exp\":"
                                                + exp
                                                + ",\"rooms\":[\"a.b\"]}",
                                        "{\"sub\":" + q(user) + ",\"exp\":\"" + exp + "\"}",
                                        "[1,2]",
                                        "null",
                                        "\"x\"",
                                        "{\"sub\":" + q(user) + ",\"exp\":" + exp));
                return new TokenCase(
                        "claims of the wrong shape",
                        TestTokens.sign(HS256, body, TestTokens.SECRET),
                        false);
            }
            case 11 -> {
                return new TokenCase("random string", randomString(rnd.nextInt(500)), false);
            }
            case 12 -> {
                byte[] bytes = new byte[1 + rnd.nextInt(200)];
                rnd.nextBytes(bytes);
                String part = TestTokens.b64(bytes);
                boolean header = rnd.nextBoolean();
                String input = header ? part + "." + parts[1] : parts[0] + "." + part;
                return new TokenCase(
                        header ? "header of random bytes" : "claims of random bytes",
                        input + "." + TestTokens.b64(TestTokens.hmac("HmacSHA256", input)),
                        false);
            }
            case 13 -> {
                return new TokenCase(
                        "duplicate alg in the header",
                        TestTokens.sign(
                                "{\"alg\":\"none\",\"alg\":\"HS256\"}", claims, TestTokens.SECRET),
                        true);
            }
            default -> {
                String body =
                        "{\"sub\":"
                                + q(user)
                                + ",\"exp\":"
                                + exp
                                + ",\"pad\":"
                                + q("p".repeat(rnd.nextInt(2500)))
                                + "}";
                return new TokenCase(
                        "long claims, signed",
                        TestTokens.sign(HS256, body, TestTokens.SECRET),
                        true);
            }
        }
    }

    /**
     * At the handshake: 401, or close 1008 before any frame; a token that may be valid is answered
     * 101 or 401.
     */
    private void handshake(TokenCase t) {
        URI uri = node.uri("/ws?token=" + URLEncoder.encode(t.token, StandardCharsets.UTF_8));
        uri = URI.create(uri.toString().replaceFirst("^http", "ws"));
        String answer;
        int status;
        try {
            status = WsClient.handshakeStatus(uri, null);
        } catch (AssertionError e) {
            findings.judge(
                    "handshake: " + t.kind,
                    abbreviate(t.token),
                    "no HTTP answer: " + e.getCause(),
                    Set.of());
            return;
        }
        if (status != 101 || t.mayBeValid) {
            answer = String.valueOf(status);
        } else {
            WsClient client = WsClient.open(uri, null, true);
            JsonObject first = client.next(Duration.ofSeconds(3));
            if (first != null) answer = "accepted, first frame " + first.getString("type", "?");
            else if (client.isClosed())
                answer = "close:" + client.awaitClose(Duration.ofSeconds(1));
            else answer = "accepted, nothing within 3 s";
            client.abort();
        }
        findings.judge(
                "handshake: " + t.kind,
                abbreviate(t.token),
                answer,
                t.mayBeValid ? Set.of("101", "401") : Set.of("401", "close:1008"));
    }

    /**
     * An {@code /api/...} request with the Authorization header: 401 problem+json; a token that may
     * be valid 200 or 401.
     */
    private void bearer(String kind, String authorization, boolean mayBeValid) {
        HttpRequest.Builder request;
        try {
            request =
                    HttpRequest.newBuilder(node.uri("/api/presence?user=" + offline))
                            .header("Authorization", authorization)
                            .GET();
        } catch (IllegalArgumentException unsendable) {
            findings.count("bearer: " + kind, "not sendable by java.net.http");
            return;
        }
        http(
                "bearer: " + kind,
                abbreviate(authorization),
                request,
                mayBeValid ? Set.of(200, 401) : Set.of(401));
    }

    /**
     * Handshakes whose query string is not a valid URI, or names no token: refused as a bad token.
     */
    private void badHandshakeQueries() {
        String valid = TestTokens.token(Unique.name("fzq"));
        List<String> queries =
                List.of(
                        "token=%zz",
                        "token=%",
                        "token=%0",
                        "token=%00",
                        "token=%C0%80",
                        "token=%FF%FE",
                        "token=a%20b",
                        "tok=" + valid,
                        "token",
                        "token=&token=",
                        "=" + valid,
                        "token=" + valid.replace(".", "%2"),
                        "token=" + "%41".repeat(2000),
                        "token=" + valid + "%00",
                        "token=" + valid.substring(1));
        for (String query : queries) {
            String answer;
            try (var ws = RawWebSocket.open(node, query)) {
                answer = String.valueOf(ws.status());
                if (ws.status() == 101) {
                    String first = ws.next(Duration.ofSeconds(3));
                    answer =
                            first != null && first.startsWith("close:")
                                    ? first
                                    : "accepted, first frame " + abbreviate(String.valueOf(first));
                }
            } catch (IOException e) {
                answer = "no HTTP answer: " + e;
            }
            findings.judge(
                    "handshake: malformed query",
                    query.length() > 60 ? query.substring(0, 60) + "…" : query,
                    answer,
                    Set.of("401", "close:1008"));
        }
    }

    // ---------------------------------------------------------------- HTTP bodies

    private void orderBodies(int count) {
        String user = null;
        String token = null;
        for (int i = 0; i < count; i++) {
            if (i % 8 == 0) {
                user = Unique.name("fzo");
                token = TestTokens.token(user);
            }
            var items = new ArrayList<Map<String, String>>();
            items.add(item("sku-1", "2", "1.25"));
            items.add(item("sku-2", "1", "0.5"));
            var order = new LinkedHashMap<String, String>();
            order.put("userId", q(user));
            order.put("total", "3.0");
            String kind;
            Set<Integer> expected = Set.of(400);
            String body = null;
            // a body of 3 MiB now and then: enough to see the answer, not so many that they take
            // the run's time
            switch (rnd.nextInt(40) == 0 ? 8 : rnd.nextInt(8)) {
                case 0 -> {
                    String field = pick(List.of("userId", "items", "total"));
                    String value =
                            pick(
                                    List.of(
                                            "42",
                                            "true",
                                            "null",
                                            "[]",
                                            "{}",
                                            "\"3.0\"",
                                            pick(HUGE),
                                            deepJson(1 + rnd.nextInt(1500)),
                                            randomJson(3)));
                    if (field.equals("items"))
                        body = "{\"items\":" + value + "," + render(order).substring(1);
                    else order.put(field, value);
                    if (field.equals("userId")) expected = Set.of(400, 403);
                    kind =
                            "order: wrong type of "
                                    + field
                                    + (value.startsWith("\"") ? " (a number as a string)" : "");
                }
                case 1 -> {
                    String field = pick(List.of("sku", "qty", "price"));
                    String value =
                            pick(
                                    List.of(
                                            "42",
                                            "true",
                                            "null",
                                            "[]",
                                            "{}",
                                            "\"2\"",
                                            deepJson(1 + rnd.nextInt(1500)),
                                            randomJson(3)));
                    if (field.equals("sku") && value.startsWith("\"")) value = "false";
                    items.get(0).put(field, value);
                    if (rnd.nextInt(4) == 0)
                        items.set(0, Map.of("", pick(List.of("null", "42", "\"x\"", "[]"))));
                    kind =
                            "order: wrong type of items[]."
                                    + field
                                    + (value.startsWith("\"") ? " (a number as a string)" : "");
                }
                case 2 -> {
                    String field = pick(List.of("userId", "items", "total", "sku", "qty", "price"));
                    if (Set.of("sku", "qty", "price").contains(field)) items.get(0).remove(field);
                    else order.remove(field);
                    if (field.equals("items")) items.clear();
                    kind = "order: missing " + field;
                }
                case 3 -> {
                    String field = pick(List.of("qty", "price", "total"));
                    String value = pick(HUGE);
                    if (field.equals("total")) order.put("total", value);
                    else items.get(0).put(field, value);
                    kind = "order: huge number in " + field;
                }
                case 4 -> {
                    // a sum across 2 billion orders of magnitude: unbounded work unless bounded
                    // first
                    items.get(0).put("price", pick(List.of("1e999999999", "1" + "0".repeat(1200))));
                    items.get(1)
                            .put(
                                    "price",
                                    pick(List.of("1e-999999999", "0." + "0".repeat(1200) + "1")));
                    order.put("total", pick(List.of("1", "1e999999999")));
                    kind = "order: prices far apart in magnitude";
                }
                case 5 -> {
                    int k = rnd.nextInt(7);
                    switch (k) {
                        case 0 -> items.get(0).put("qty", "0");
                        case 1 -> items.get(0).put("qty", "-1");
                        case 2 -> items.get(0).put("qty", "1.5");
                        case 3 -> items.get(0).put("price", "-0.01");
                        case 4 -> order.put("total", "3.01");
                        case 5 -> items.clear();
                        default -> order.put("total", "-3.0");
                    }
                    kind = "order: rule broken (qty, negative amount, total, no items)";
                }
                case 6 -> {
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            items.get(0).put("sku", q("s".repeat(65 + rnd.nextInt(5000))));
                            kind = "order: sku over 64 characters";
                        }
                        case 1 -> {
                            order.put("userId", q("u".repeat(65)));
                            expected = Set.of(400, 403);
                            kind = "order: userId of 65 characters";
                        }
                        default -> {
                            for (int j = 0; j < 100; j++) items.add(item("sku-x", "1", "0"));
                            kind = "order: 102 items";
                        }
                    }
                }
                case 7 -> {
                    body = badBody();
                    kind = "order: body that is not a JSON object";
                }
                default -> {
                    body = "x".repeat(3 * 1024 * 1024);
                    if (rnd.nextBoolean())
                        body = "{\"pad\":\"" + body + "\"," + render(order).substring(1);
                    expected = Set.of(400, 413);
                    kind = "order: body of 3 MiB";
                }
            }
            if (body == null) {
                var itemsJson = new StringBuilder("[");
                for (var item : items)
                    itemsJson.append(itemsJson.length() > 1 ? "," : "").append(render(item));
                if (!order.containsKey("items") && !kind.equals("order: missing items"))
                    order.put("items", itemsJson.append("]").toString());
                body = render(order);
            }
            http(
                    kind,
                    abbreviate(body),
                    jsonPost(node.uri("/api/orders"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(body)),
                    expected);
        }
        // once per run: the node took 2-3 s to refuse each (measured), as it binds and checks every
        // item before counting them
        String many =
                "{\"userId\":"
                        + q(user)
                        + ",\"total\":0,\"items\":["
                        + String.join(
                                ",",
                                java.util.Collections.nCopies(
                                        20_000, "{\"sku\":\"sku-x\",\"qty\":1,\"price\":0}"))
                        + "]}";
        http(
                "order: 20,000 items",
                abbreviate(many),
                HttpRequest.newBuilder(node.uri("/api/orders"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(many)),
                Set.of(400, 413));
    }

    private static Map<String, String> item(String sku, String qty, String price) {
        var item = new LinkedHashMap<String, String>();
        item.put("sku", q(sku));
        item.put("qty", qty);
        item.put("price", price);
        return item;
    }

    private void tokenBodies(int count) {
        for (int i = 0; i < count; i++) {
            String user = Unique.name("fzd");
            String kind;
            String body;
            Set<Integer> expected = Set.of(400);
            switch (rnd.nextInt(40) == 0 ? 6 : rnd.nextInt(6)) {
                case 0 -> {
                    body =
                            "{\"user\":"
                                    + pick(
                                            List.of(
                                                    "42",
                                                    "true",
                                                    "null",
                                                    "[]",
                                                    "{}",
                                                    pick(HUGE),
                                                    deepJson(1 + rnd.nextInt(1500))))
                                    + "}";
                    kind = "dev token: user of the wrong type";
                }
                case 1 -> {
                    body =
                            "{\"user\":"
                                    + q(
                                            pick(
                                                    List.of(
                                                            "a.b",
                                                            "",
                                                            "n".repeat(65 + rnd.nextInt(3000)),
                                                            "caf\u00e9",
                                                            "a b",
                                                            "*")))
                                    + "}";
                    kind = "dev token: invalid user name";
                }
                case 2 -> {
                    body =
                            "{\"user\":"
                                    + q(user)
                                    + ",\"name\":"
                                    + pick(
                                            List.of(
                                                    "42",
                                                    "true",
                                                    "[]",
                                                    "{}",
                                                    pick(HUGE),
                                                    deepJson(1 + rnd.nextInt(1500))))
                                    + "}";
                    kind = "dev token: name of the wrong type";
                }
                case 3 -> {
                    body =
                            "{\"user\":"
                                    + q(user)
                                    + ",\"name\":"
                                    + q(randomText(101 + rnd.nextInt(5000), "n"))
                                    + "}";
                    kind = "dev token: name over 100 characters";
                }
                case 4 -> {
                    body = badBody();
                    kind = "dev token: body that is not a JSON object";
                }
                case 5 -> {
                    body = "{\"name\":\"x\"}";
                    kind = "dev token: missing user";
                }
                default -> {
                    body =
                            "{\"user\":"
                                    + q(user)
                                    + ",\"pad\":\""
                                    + "x".repeat(3 * 1024 * 1024)
                                    + "\"}";
                    expected = Set.of(200, 400, 413);
                    kind = "dev token: body of 3 MiB";
                }
            }
            http(
                    kind,
                    abbreviate(body),
                    jsonPost(node.uri("/api/auth/token"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)),
                    expected);
        }
        // bytes that are not UTF-8 at all
        for (int i = 0; i < 20; i++) {
            byte[] body =
                    ("{\"user\":\"" + Unique.name("fzd") + "\u00ff\",\"name\":\"\u00c0\u0080\"}")
                            .getBytes(StandardCharsets.ISO_8859_1);
            http(
                    "dev token: invalid UTF-8 in the body",
                    abbreviate(body),
                    HttpRequest.newBuilder(node.uri("/api/auth/token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                    Set.of(400));
        }
    }

    private String badBody() {
        return switch (rnd.nextInt(7)) {
            case 0 -> randomJson(5).replaceFirst("^\\{", "[");
            case 1 -> deepJson(1 + rnd.nextInt(1500));
            case 2 -> "{\"user\":\"a\"}" + pick(List.of("x", "}", "{}", "\u0000"));
            case 3 -> "";
            case 4 -> pick(List.of("42", "null", "\"x\"", "[]", "true"));
            case 5 -> "[".repeat(5000 + rnd.nextInt(50_000));
            default ->
                    pick(
                            List.of(
                                    "{'a':1}",
                                    "{\"a\":NaN}",
                                    "{\"a\":}",
                                    "{\"a\"",
                                    "\u0000",
                                    "\ufeff{}"));
        };
    }

    private static HttpRequest.Builder jsonPost(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
    }

    /**
     * Sends and judges: the status must be expected, every error a problem+json without Java names.
     */
    private void http(
            String kind, String input, HttpRequest.Builder request, Set<Integer> expected) {
        HttpResponse<String> response;
        long start = System.nanoTime();
        try {
            response =
                    HTTP_1_1.send(
                            request.timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            findings.took(kind, System.nanoTime() - start);
        } catch (IOException e) {
            findings.judge(kind, input, "no HTTP answer: " + e, Set.of());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        int status = response.statusCode();
        findings.judge(
                kind,
                input,
                String.valueOf(status),
                expected.stream()
                        .map(String::valueOf)
                        .collect(java.util.stream.Collectors.toSet()));
        if (status < 400) return;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            findings.fail(
                    kind,
                    status
                            + " is not problem+json but '"
                            + type
                            + "': "
                            + abbreviate(response.body()));
            return;
        }
        try {
            JsonObject problem = Json.createReader(new StringReader(response.body())).readObject();
            if (problem.getInt("status", -1) != status
                    || !(problem.get("title") instanceof JsonString)
                    || !(problem.get("detail") instanceof JsonString)) {
                findings.fail(
                        kind,
                        "problem without status "
                                + status
                                + ", title and detail: "
                                + abbreviate(response.body()));
            }
            var java =
                    JAVA.matcher(
                            problem.getString("detail", "") + " " + problem.getString("title", ""));
            if (java.find())
                findings.fail(
                        kind,
                        "Java name '"
                                + java.group()
                                + "' in problem detail: "
                                + abbreviate(problem.getString("detail", "")));
        } catch (RuntimeException e) {
            findings.fail(
                    kind, "problem+json that is no JSON object: " + abbreviate(response.body()));
        }
    }

    // ---------------------------------------------------------------- the log and the verdict

    /**
     * Fails on every log record of ours with a stack trace or at SEVERE: logged by a
     * dev.switchboard logger, or thrown from our code (its first stack frame ours). Records that
     * the container raises and logs itself (Grizzly, Catalina), seen when clients abort a handshake
     * at once, are counted and shown, not failed: they are no answer of ours (see the notes of
     * issue #19).
     */
    private void finish() {
        int container = 0;
        String firstContainer = null;
        for (List<String> record : records(node.logSince(logFrom))) {
            boolean severe = record.get(0).contains("SEVERE");
            String firstFrame =
                    record.stream().filter(l -> l.startsWith("\tat ")).findFirst().orElse(null);
            if (!severe && firstFrame == null) continue;
            boolean ours =
                    record.get(0).contains("dev.switchboard.")
                            || (firstFrame != null && firstFrame.contains("dev.switchboard."));
            String summary = String.join(" | ", record.subList(0, Math.min(record.size(), 4)));
            if (ours) findings.fail("node log", summary);
            else if (container++ == 0) firstContainer = summary;
        }
        if (container > 0)
            System.out.println(
                    "FuzzIT "
                            + findings.test
                            + ": "
                            + container
                            + " container log records with a stack trace, first: "
                            + abbreviate(firstContainer));
        findings.verdict();
    }

    /**
     * The node's log as records: each starts with a "[20..." header line, the lines after it belong
     * to it.
     */
    private static List<List<String>> records(String log) {
        List<List<String>> records = new ArrayList<>();
        for (String line : log.lines().toList()) {
            if (line.startsWith("[20") || records.isEmpty()) records.add(new ArrayList<>());
            records.get(records.size() - 1).add(line);
        }
        return records;
    }

    /** Answers per class of input, and the failures, of one test. */
    private static final class Findings {
        private final String test;
        private final Map<String, Map<String, Integer>> answers = new TreeMap<>();
        private final List<String> failures = new ArrayList<>();
        private final Map<String, Long> nanos = new TreeMap<>();
        private int cases;

        Findings(String test) {
            this.test = test;
        }

        void judge(String kind, String input, String answer, Set<String> expected) {
            count(kind, answer);
            if (!expected.contains(answer))
                fail(
                        kind,
                        input
                                + " -> "
                                + answer
                                + " (expected "
                                + String.join(" or ", new java.util.TreeSet<>(expected))
                                + ")");
        }

        void count(String kind, String answer) {
            cases++;
            answers.computeIfAbsent(kind, k -> new TreeMap<>())
                    .merge(
                            answer.length() > 80 ? answer.substring(0, 80) + "…" : answer,
                            1,
                            Integer::sum);
        }

        void took(String kind, long elapsed) {
            nanos.merge(kind, elapsed, Long::sum);
        }

        void fail(String kind, String what) {
            failures.add("[" + kind + "] " + what);
        }

        /**
         * Prints the answers per class; fails with the failures per class and the first 20 (the
         * node log's first), all in a file.
         */
        void verdict() {
            var out =
                    new StringBuilder(
                            "FuzzIT." + test + " (seed " + SEED + "): " + cases + " cases\n");
            answers.forEach(
                    (kind, counts) ->
                            out.append("  ")
                                    .append(kind)
                                    .append(": ")
                                    .append(counts)
                                    .append(
                                            nanos.containsKey(kind)
                                                    ? ", " + nanos.get(kind) / 1_000_000 + " ms"
                                                    : "")
                                    .append('\n'));
            System.out.println(out);
            if (failures.isEmpty()) return;
            failures.sort(java.util.Comparator.comparing(f -> !f.startsWith("[node log]")));
            var perKind = new TreeMap<String, Integer>();
            failures.forEach(f -> perKind.merge(f.substring(1, f.indexOf("] ")), 1, Integer::sum));
            var message =
                    new StringBuilder(
                            failures.size()
                                    + " wrong answers (seed "
                                    + SEED
                                    + "), per class of input: "
                                    + perKind
                                    + "\nfirst 20:\n");
            failures.stream().limit(20).forEach(f -> message.append("  ").append(f).append('\n'));
            try {
                var file = java.nio.file.Path.of("target", "fuzz-" + test + ".txt");
                java.nio.file.Files.write(file, failures);
                message.append("all in ").append(file.toAbsolutePath());
            } catch (IOException e) {
                message.append("(could not write them all to a file: ").append(e).append(')');
            }
            org.junit.jupiter.api.Assertions.fail(message.toString());
        }
    }

    // ---------------------------------------------------------------- building JSON text by hand
    // (it may be invalid on purpose)

    /**
     * One input frame: text (may hold {@link #ROOM}) or binary, the ref it carries if valid, and
     * the answers the contract allows.
     */
    private static final class Case {
        final String kind;
        final String text;
        final byte[] binary;
        final String ref;
        final Set<String> expected;

        /** Counts against the socket's control-frame budget. */
        boolean control;

        /** Its answer (an ack) may come after the fence's. */
        boolean async;

        private Case(String kind, String text, byte[] binary, String ref, Set<String> expected) {
            this.kind = kind;
            this.text = text;
            this.binary = binary;
            this.ref = ref;
            this.expected = expected;
        }

        static Case text(String kind, String text, String ref, Set<String> expected) {
            return new Case(kind, text, null, ref, expected);
        }

        static Case binary(String kind, byte[] data, Set<String> expected) {
            return new Case(kind, null, data, null, expected);
        }

        /**
         * Counts the frame against the socket's control budget when its type is one of the
         * rate-limited ones.
         */
        Case control(String type) {
            control = CONTROL.contains(type.replace("\"", "")) || type.equals("historyWith");
            return this;
        }
    }

    private static String render(Map<String, String> fields) {
        var sb = new StringBuilder("{");
        fields.forEach(
                (k, v) -> sb.append(sb.length() > 1 ? "," : "").append(q(k)).append(':').append(v));
        return sb.append('}').toString();
    }

    /** A JSON string literal; the characters JSON requires escaped are, the rest go as they are. */
    static String q(String s) {
        var sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Arrays and objects nested {@code depth} deep, in a random mix. */
    private String deepJson(int depth) {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (rnd.nextBoolean()) {
                open.append('[');
                close.append(']');
            } else {
                open.append("{\"k\":");
                close.append('}');
            }
        }
        return open + scalar() + close.reverse();
    }

    /** Arrays only, so that a token of 1500 levels stays within a request line of 8 KB. */
    private static String deepArray(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** A random JSON value of at most {@code depth} levels (objects have no "type"). */
    private String randomJson(int depth) {
        if (depth <= 0 || rnd.nextInt(3) == 0) return scalar();
        int n = rnd.nextInt(4);
        var sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            sb.append('[');
            for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append(randomJson(depth - 1));
            return sb.append(']').toString();
        }
        sb.append('{');
        for (int i = 0; i < n; i++) {
            String key = randomString(8);
            if (key.equals("type") || key.equals("ref")) key = "k";
            sb.append(i > 0 ? "," : "").append(q(key)).append(':').append(randomJson(depth - 1));
        }
        return sb.append('}').toString();
    }

    private String scalar() {
        return switch (rnd.nextInt(7)) {
            case 0 -> "null";
            case 1 -> rnd.nextBoolean() ? "true" : "false";
            case 2 -> String.valueOf(rnd.nextLong());
            case 3 -> pick(HUGE);
            case 4 -> String.valueOf(rnd.nextDouble() * 1e6);
            default -> q(randomString(rnd.nextInt(40)));
        };
    }

    private static final String[] ALPHABETS = {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
        " .*#>/\\\"'{}[]:,%&?=+!@$^()~`|<;",
        "\u0001\u0002\t\n\r\u001b\u001f\u007f",
        "\u00e9\u00fc\u00df\u00a0\u00ff",
        "\u4e2d\u6587\u0627\u0644\u05d0\u200b\u200e\ufeff\ufffd\uffff\ufffe"
    };

    /**
     * Valid UTF-16 (no lone surrogates: java.net.http would replace them), from a mix of alphabets
     * and emoji.
     */
    private String randomString(int length) {
        var sb = new StringBuilder();
        while (sb.length() < length) {
            if (rnd.nextInt(12) == 0) {
                sb.appendCodePoint(0x1F600 + rnd.nextInt(80));
            } else {
                String alphabet = ALPHABETS[rnd.nextInt(ALPHABETS.length)];
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }

    /** A text of at least {@code length} characters, mostly the filler. */
    private String randomText(int length, String filler) {
        return filler.repeat(length - 20) + randomString(20);
    }

    private <T> T pick(List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 70 ? s.substring(0, 70) + "…" : s;
        shown =
                shown.codePoints()
                        .mapToObj(
                                c ->
                                        c < 0x20 || c == 0x7f
                                                ? String.format("\\x%02x", c)
                                                : Character.toString(c))
                        .collect(java.util.stream.Collectors.joining());
        return s.length() > 70 ? shown + " (" + s.length() + " chars)" : shown;
    }

    private static String abbreviate(byte[] bytes) {
        var sb = new StringBuilder("bytes[" + bytes.length + "] ");
        for (int i = 0; i < Math.min(bytes.length, 24); i++) {
            int b = bytes[i] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b));
        }
        return sb.toString();
    }

    private static String hs512(String header, String claims) {
        String input =
                TestTokens.b64(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + TestTokens.b64(claims.getBytes(StandardCharsets.UTF_8));
        return input + "." + TestTokens.b64(TestTokens.hmac("HmacSHA512", input));
    }
}
