package dev.switchboard.ops;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * JAX-RS lives under {@code /api}, so the web page, {@code /ws} and {@code /stats} keep their own
 * paths.
 */
@ApplicationPath("/api")
public class ApiApplication extends Application {}
