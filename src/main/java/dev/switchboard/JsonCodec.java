package dev.switchboard;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON-P with the provider looked up once. {@code Json.createObjectBuilder()} and its siblings run
 * a ServiceLoader lookup on every call, which profiling showed as the top cost of sending a frame.
 */
public final class JsonCodec {
    private static final JsonProvider PROVIDER = JsonProvider.provider();

    /**
     * Parsson's nesting limit, lifted: only for one streaming pass over input whose size is bounded
     * already.
     */
    private static final JsonParserFactory UNNESTED =
            PROVIDER.createParserFactory(Map.of("org.eclipse.parsson.maxDepth", Integer.MAX_VALUE));

    private JsonCodec() {}

    public static JsonObjectBuilder objectBuilder() {
        return PROVIDER.createObjectBuilder();
    }

    public static JsonArrayBuilder arrayBuilder() {
        return PROVIDER.createArrayBuilder();
    }

    public static JsonReader reader(String text) {
        return PROVIDER.createReader(new StringReader(text));
    }

    public static JsonParser parser(String text) {
        return PROVIDER.createParser(new StringReader(text));
    }

    /**
     * A parser without the provider's nesting limit, for one streaming pass that builds nothing,
     * over text that is already bounded in size (a frame): its cost is linear in the text.
     */
    public static JsonParser unnestedParser(String text) {
        return UNNESTED.createParser(new StringReader(text));
    }

    /**
     * Exactly one JSON object and nothing after it, or null for anything else. Any parser failure
     * counts as "not an object": besides JsonException, the provider refuses input past its limits
     * (nesting depth, number length) with other runtime exceptions, and those are the input's
     * fault.
     */
    public static JsonObject objectOrNull(String text) {
        if (text == null) return null;
        try (var parser = parser(text)) {
            if (parser.hasNext() && parser.next() == JsonParser.Event.START_OBJECT) {
                JsonObject object = parser.getObject();
                if (!parser.hasNext()) return object;
            }
        } catch (RuntimeException e) {
            // the input's fault, as above; callers answer with their own detail, never the parser's
        }
        return null;
    }
}
