package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The per-socket and per-user bounds default to the contract's numbers (PROTOCOL.md section 4), in
 * both places a default lives.
 */
class ChatSettingsTest {
    @Test
    void the_bounds_default_to_the_contracts_numbers() throws Exception {
        Properties defaults = new Properties();
        try (InputStream in =
                ChatSettings.class.getResourceAsStream(
                        "/META-INF/microprofile-config.properties")) {
            defaults.load(in);
        }
        assertDefault(defaults, "maxRooms", "switchboard.ws.max-rooms", "100");
        assertDefault(defaults, "maxSocketsPerUser", "switchboard.ws.max-sockets-per-user", "20");
        assertDefault(defaults, "controlRate", "switchboard.ws.control-rate", "100");
    }

    private static void assertDefault(
            Properties defaults, String field, String key, String expected)
            throws NoSuchFieldException, IOException {
        ConfigProperty property =
                ChatSettings.class.getDeclaredField(field).getAnnotation(ConfigProperty.class);
        assertEquals(key, property.name());
        assertEquals(expected, property.defaultValue(), key + " in ChatSettings");
        assertEquals(
                expected, defaults.getProperty(key), key + " in microprofile-config.properties");
    }

    @Test
    void the_checked_settings_accept_the_defaults_and_refuse_nonsense() {
        var settings = new ChatSettings();
        settings.maxText = 4000;
        settings.maxBacklog = 1000;
        settings.maxRooms = 100;
        settings.maxSocketsPerUser = 20;
        settings.controlRate = 100;
        settings.check();
        settings.controlRate = 0;
        settings.check();
        settings.maxRooms = 0;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, settings::check);
        settings.maxRooms = 1;
        settings.maxSocketsPerUser = 0;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, settings::check);
        settings.maxSocketsPerUser = 1;
        settings.controlRate = -1;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, settings::check);
    }
}
