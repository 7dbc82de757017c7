package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.http.HttpResponse;

/** Order bodies and answers for the black-box tests. */
final class Orders {
    private Orders() {
    }

    /** A valid body: two lines, total 3.00. */
    static String body(String user) {
        return "{\"userId\":\"" + user + "\",\"items\":[{\"sku\":\"tea\",\"qty\":2,\"price\":1.25},{\"sku\":\"cake\",\"qty\":1,\"price\":0.50}],\"total\":3.00}";
    }

    static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    static JsonArray array(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readArray();
        }
    }

    static JsonObject place(SwitchboardNode node, String user, String token) {
        HttpResponse<String> response = node.postJson("/api/orders", body(user), token);
        if (response.statusCode() != 201) throw new AssertionError("order not created: " + response.statusCode() + " " + response.body());
        return json(response);
    }
}
