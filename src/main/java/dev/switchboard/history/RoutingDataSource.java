package dev.switchboard.history;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A datasource that picks its driver from the JDBC URL: H2 for {@code jdbc:h2:} (the embedded
 * default, shipped with the server), PostgreSQL for {@code jdbc:postgresql:}. The server's pool
 * calls the bean setters, then asks for connections; the delegate is built on the first one.
 */
public class RoutingDataSource implements DataSource {
    private String url;
    private String user;
    private String password;
    private volatile DataSource delegate;
    private PrintWriter logWriter;
    private int loginTimeout;

    public void setUrl(String url) {
        this.url = url;
    }

    public void setURL(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getUser() {
        return user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate().getConnection();
    }

    /**
     * The server's pool sets user and password as properties and also passes them here. Only the
     * properties are resolved on every server: WildFly hands this method the annotation's {@code
     * ${MPCONFIG=...}} text as it is (docs/DEPLOYMENT.md, "WildFly"). Once the properties are set,
     * they are the credentials; on Payara both carry the same values.
     */
    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        return user != null ? delegate().getConnection() : delegate().getConnection(username, pass);
    }

    private DataSource delegate() throws SQLException {
        DataSource ds = delegate;
        if (ds == null) {
            synchronized (this) {
                if (delegate == null) delegate = build();
                ds = delegate;
            }
        }
        return ds;
    }

    private DataSource build() throws SQLException {
        if (url == null || url.isBlank()) throw new SQLException("switchboard.db.url is not set");
        String className;
        String effectiveUrl = url;
        if (url.startsWith("jdbc:h2:")) {
            className = "org.h2.jdbcx.JdbcDataSource";
            effectiveUrl = absoluteH2Path(url);
        } else if (url.startsWith("jdbc:postgresql:")) {
            className = "org.postgresql.ds.PGSimpleDataSource";
        } else {
            throw new SQLException(
                    "switchboard.db.url must start with jdbc:postgresql: or jdbc:h2:, is "
                            + url.split(";")[0]);
        }
        try {
            DataSource ds =
                    (DataSource)
                            Class.forName(className, true, RoutingDataSource.class.getClassLoader())
                                    .getDeclaredConstructor()
                                    .newInstance();
            invoke(ds, "setURL", effectiveUrl);
            invoke(ds, "setUser", user);
            invoke(ds, "setPassword", password == null ? "" : password);
            return ds;
        } catch (ReflectiveOperationException e) {
            throw new SQLException(
                    "cannot load the JDBC driver for " + url.split(";")[0] + ": " + e, e);
        }
    }

    /**
     * H2 refuses implicitly relative paths; a relative data directory means relative to the working
     * directory.
     */
    static String absoluteH2Path(String url) {
        String rest = url.substring("jdbc:h2:".length());
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        if (rest.startsWith("mem:")
                || rest.startsWith("tcp:")
                || rest.startsWith("ssl:")
                || rest.startsWith("~")) return url;
        int semi = rest.indexOf(';');
        String path = semi < 0 ? rest : rest.substring(0, semi);
        String options = semi < 0 ? "" : rest.substring(semi);
        return "jdbc:h2:" + Path.of(path).toAbsolutePath().normalize() + options;
    }

    private static void invoke(Object target, String setter, String value)
            throws ReflectiveOperationException {
        Method method = target.getClass().getMethod(setter, String.class);
        method.invoke(target, value);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        return delegate().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate().isWrapperFor(iface);
    }
}
