package dev.switchboard.node;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This node's id ({@code switchboard.node.id}, default host name plus a short random suffix) and
 * start time.
 */
@ApplicationScoped
public class NodeIdentity {
    @Inject
    @ConfigProperty(name = "switchboard.node.id")
    Optional<String> configured;

    private String id;
    private final Instant startedAt = Instant.now();

    @PostConstruct
    void init() {
        id = configured.filter(s -> !s.isBlank()).orElseGet(NodeIdentity::generated);
        if (!id.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalStateException(
                    "switchboard.node.id must match [A-Za-z0-9_.-]{1,128}, is " + id);
        }
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "");
        } catch (UnknownHostException e) {
            host = "node";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return (host.isEmpty() ? "node" : host.length() > 100 ? host.substring(0, 100) : host)
                + "-"
                + HexFormat.of().formatHex(suffix);
    }

    public String id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
