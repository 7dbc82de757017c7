package dev.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerVersionTest {
    @TempDir Path jars;

    @Test
    void the_versions_are_read_from_the_files_the_containers_jars_carry() throws IOException {
        write(
                "META-INF/maven/fish.payara.server.internal.web/web-core/pom.properties",
                "groupId=fish.payara.server.internal.web\nartifactId=web-core\nversion=6.2025.10\n");
        write(
                "META-INF/maven/org.glassfish.tyrus/tyrus-core/pom.properties",
                "groupId=org.glassfish.tyrus\nartifactId=tyrus-core\nversion=2.1.5.payara-p2\n");
        write(
                "org/glassfish/grizzly/version.properties",
                "# Grizzly\ngrizzly.version=4.0.2.payara-p2\n");

        ContainerVersion found = ContainerVersion.found(loader());

        assertEquals(
                new ContainerVersion("6.2025.10", "2.1.5.payara-p2", "4.0.2.payara-p2"), found);
        assertTrue(found.verified(), "Payara Micro 6.2025.10 as in pom.xml");
    }

    @Test
    void a_container_without_those_files_is_not_verified_and_says_what_is_missing()
            throws IOException {
        ContainerVersion wildFly = ContainerVersion.found(loader());

        assertEquals(new ContainerVersion(null, null, null), wildFly);
        assertFalse(wildFly.verified());
        assertEquals("Payara none, Tyrus none, Grizzly none", wildFly.toString());
    }

    @Test
    void only_the_exact_combination_verified_counts() {
        assertTrue(
                new ContainerVersion("6.2025.10", "2.1.5.payara-p2", "4.0.2.payara-p2").verified());
        assertFalse(
                new ContainerVersion("6.2025.11", "2.1.5.payara-p2", "4.0.2.payara-p2").verified(),
                "a newer Payara");
        assertFalse(
                new ContainerVersion("6.2025.10", "2.1.5", "4.0.2.payara-p2").verified(),
                "upstream Tyrus, not Payara's build");
        assertFalse(
                new ContainerVersion("6.2025.10", "2.1.5.payara-p2", null).verified(),
                "Grizzly not found");
        assertFalse(
                new ContainerVersion(null, "2.1.5.payara-p2", "4.0.2.payara-p2").verified(),
                "Tyrus and Grizzly outside Payara");
    }

    @Test
    void the_real_jars_state_their_version_and_upstream_grizzly_is_not_payaras_build() {
        ContainerVersion testClassPath =
                ContainerVersion.found(
                        getClass().getClassLoader()); // Grizzly 4.0.2 from Maven Central, no Tyrus
        // core, no Payara
        assertEquals(new ContainerVersion(null, null, "4.0.2"), testClassPath);
        assertFalse(testClassPath.verified());
    }

    @Test
    void a_file_without_the_version_counts_as_unknown() throws IOException {
        write(
                "META-INF/maven/org.glassfish.tyrus/tyrus-core/pom.properties",
                "artifactId=tyrus-core\nversion=  \n");
        assertEquals(new ContainerVersion(null, null, null), ContainerVersion.found(loader()));
    }

    private void write(String resource, String text) throws IOException {
        Path file = jars.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Sees only the temporary directory: not the Grizzly on the test class path. */
    private ClassLoader loader() throws IOException {
        return new URLClassLoader(new URL[] {jars.toUri().toURL()}, null);
    }
}
