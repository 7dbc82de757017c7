package dev.switchboard;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;

/**
 * JSON-P with the provider looked up once. {@code Json.createObjectBuilder()} and its siblings run
 * a ServiceLoader lookup on every call, which profiling showed as the top cost of sending a frame.
 */
public final class JsonCodec {
    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private JsonCodec() {
    }

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
}
