package dev.switchboard.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A server under test reached over loopback HTTP and WebSocket: a Switchboard node or a WildFly
 * server.
 */
interface HttpEndpoint {
    HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    URI uri(String path);

    /** Names the server in a failure message, e.g. "node c1". */
    String describe();

    default URI wsUri(String token) {
        return URI.create(
                uri("/ws").toString().replaceFirst("^http", "ws")
                        + (token == null ? "" : "?token=" + token));
    }

    default HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    default HttpResponse<String> get(String path, String token) {
        return send(
                HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    default HttpResponse<String> postJson(String path, String body) {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    default HttpResponse<String> postJson(String path, String body, String token) {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    default HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(
                    request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP to " + describe() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
