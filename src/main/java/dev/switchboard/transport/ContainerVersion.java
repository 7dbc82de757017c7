package dev.switchboard.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.Set;

/**
 * The versions of the three parts of the container whose private fields this package reads and
 * writes, as their jars state them; a part that is not there is null. Only a combination this code
 * was read against and tested on ({@link #VERIFIED}) is trusted with them: a field of the same name
 * in another version may mean something else.
 */
record ContainerVersion(String payara, String tyrus, String grizzly) {
    /**
     * Payara Micro 6.2025.10 (pom.xml's payara.version). Add a line only after reading the fields'
     * code in that version and running the ITs on it.
     */
    static final Set<ContainerVersion> VERIFIED =
            Set.of(new ContainerVersion("6.2025.10", "2.1.5.payara-p2", "4.0.2.payara-p2"));

    /** Catalina's connector, Payara's build of Tomcat: WebConnectionImpl */
    private static final String PAYARA_WEB_CORE =
            "META-INF/maven/fish.payara.server.internal.web/web-core/pom.properties";

    /**
     * TyrusSession, TyrusRemoteEndpoint, TyrusWebSocket, ProtocolHandler; the servlet module ships
     * with it
     */
    private static final String TYRUS_CORE =
            "META-INF/maven/org.glassfish.tyrus/tyrus-core/pom.properties";

    /**
     * Grizzly's own version file (its Grizzly class reads it); Payara repackages Grizzly in one jar
     * of its own version
     */
    private static final String GRIZZLY = "org/glassfish/grizzly/version.properties";

    /**
     * @return the versions the container's jars state, each read through the loader of a class of
     *     that jar where {@code loader} sees one
     */
    static ContainerVersion found(ClassLoader loader) {
        return new ContainerVersion(
                read(
                        owner("org.apache.catalina.connector.WebConnectionImpl", loader),
                        PAYARA_WEB_CORE,
                        "version"),
                read(owner("org.glassfish.tyrus.core.TyrusSession", loader), TYRUS_CORE, "version"),
                read(owner("org.glassfish.grizzly.Grizzly", loader), GRIZZLY, "grizzly.version"));
    }

    /**
     * The loader that defined the class, which finds its jar's own files even where a server keeps
     * one loader per module; else {@code loader}
     */
    private static ClassLoader owner(String className, ClassLoader loader) {
        try {
            ClassLoader owner = Class.forName(className, false, loader).getClassLoader();
            return owner != null ? owner : loader;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return loader;
        }
    }

    boolean verified() {
        return VERIFIED.contains(this);
    }

    @Override
    public String toString() {
        return "Payara "
                + orNone(payara)
                + ", Tyrus "
                + orNone(tyrus)
                + ", Grizzly "
                + orNone(grizzly);
    }

    private static String orNone(String version) {
        return version == null ? "none" : version;
    }

    private static String read(ClassLoader loader, String resource, String key) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) return null;
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty(key);
            return version == null || version.isBlank() ? null : version.trim();
        } catch (IOException | RuntimeException e) {
            return null; // unreadable counts as unknown: the portable path
        }
    }
}
