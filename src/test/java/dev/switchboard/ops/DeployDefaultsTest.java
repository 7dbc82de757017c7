package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped nginx configuration keeps tokens ({@code /ws?token=}) out of its access log. */
class DeployDefaultsTest {
    private static final Path NGINX = Path.of("deploy", "nginx.conf");

    /** nginx variables that carry the query string, and with it a socket's token. */
    private static final List<String> WITH_QUERY =
            List.of(
                    "$request ",
                    "$request\"",
                    "$request'",
                    "$request_uri",
                    "$args",
                    "$query_string",
                    "$arg_");

    @Test
    void nginx_logs_every_request_through_a_format_without_the_query_string() throws IOException {
        String conf = Files.readString(NGINX);
        Matcher format =
                Pattern.compile("log_format\\s+(\\w+)((?:\\s*'[^']*')+)\\s*;").matcher(conf);
        assertTrue(format.find(), "no log_format in " + NGINX);
        String name = format.group(1), fields = format.group(2);
        for (String variable : WITH_QUERY)
            assertFalse(
                    fields.contains(variable), "log_format " + name + " logs " + variable.trim());
        Matcher access = Pattern.compile("access_log\\s+(\\S+)(\\s+(\\w+))?\\s*;").matcher(conf);
        assertTrue(
                access.find(),
                "no access_log in "
                        + NGINX
                        + ": nginx would log with its default format, query string included");
        do {
            assertTrue(
                    "off".equals(access.group(1)) || name.equals(access.group(3)),
                    "access_log " + access.group(1) + " does not use log_format " + name);
        } while (access.find());
    }
}
