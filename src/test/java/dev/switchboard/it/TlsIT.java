package dev.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sockets over TLS (wss) on Payara Micro's HTTPS listener ({@code --sslPort}). Frames written
 * straight to the connection must still be encrypted: on a listener with TLS they go through the
 * listener's filter chain, not into the transport's write queue ({@code transport/PlainHttpChain}).
 */
class TlsIT {
    private static SwitchboardNode node;
    private static HttpClient http;

    @BeforeAll
    static void start() throws GeneralSecurityException {
        node =
                SwitchboardNode.create(
                                "tls-node",
                                Map.of(
                                        "SWITCHBOARD_JWT_SECRET",
                                        TestTokens.SECRET,
                                        "SWITCHBOARD_CHAT_MAX_TEXT",
                                        "20000"))
                        .withTls()
                        .start();
        // Payara Micro's default certificate is self-signed and not issued for 127.0.0.1: this
        // test is about the frames, not the certificate
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustingAnyCertificate()}, null);
        http =
                HttpClient.newBuilder()
                        .sslContext(tls)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.stop();
    }

    @Test
    void messages_short_and_long_arrive_intact_over_tls_and_the_frames_go_through_the_tls_filter() {
        String room = Unique.name("tls-room");
        String shortText = "hello over TLS";
        String longText =
                "€é😀".repeat(3000); // 12,000 characters, 27,000 bytes: more than one TLS record
        try (var a = WsClient.connect(node.tlsWsUri(TestTokens.token(Unique.name("alice"))), http);
                var b =
                        WsClient.connect(
                                node.tlsWsUri(TestTokens.token(Unique.name("bob"))), http)) {
            a.join(room);
            b.join(room);
            for (int i = 0; i < 5; i++) {
                a.send(Frames.send(room, shortText, "short-" + i));
                a.send(Frames.send(room, longText, "long-" + i));
            }
            List<JsonObject> received = b.awaitAll("message", 10, Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++)
                assertEquals(i % 2 == 0 ? shortText : longText, received.get(i).getString("text"));

            try (var late =
                    WsClient.connect(node.tlsWsUri(TestTokens.token(Unique.name("carol"))), http)) {
                assertEquals(
                        10,
                        late.join(room)
                                .getJsonArray("messages")
                                .size()); // a history frame over 64 KiB
            }
        }
        assertTrue(
                node.log()
                        .contains(
                                "written through Grizzly's connection, to the connection's filter chain"),
                "frames over TLS must take the filter chain (with its TLS filter); see the node's log");
    }

    /**
     * Accepts any certificate for any host name: an extended trust manager does the host name check
     * itself, so none is made.
     */
    private static final class TrustingAnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(
                X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(
                X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
