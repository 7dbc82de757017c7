package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.persistence.NoResultException;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class DependencyOutageTest {
    @Test
    void database_down_is_an_outage_a_bad_query_is_not() {
        assertEquals(
                Optional.of(DependencyOutage.DATABASE),
                DependencyOutage.of(
                        new PersistenceException(
                                "tx",
                                new SQLException(
                                        "Connection to 127.0.0.1:5432 refused", "08001"))));
        assertEquals(
                Optional.of(DependencyOutage.DATABASE),
                DependencyOutage.of(
                        new RuntimeException(
                                new SQLException("Error in allocating a connection"))));
        assertEquals(
                Optional.of(DependencyOutage.DATABASE),
                DependencyOutage.of(new PersistenceException("no connection")));
        assertEquals(
                Optional.empty(),
                DependencyOutage.of(
                        new PersistenceException(new SQLException("duplicate key", "23505"))));
        assertEquals(Optional.empty(), DependencyOutage.of(new NoResultException("none")));
    }

    @Test
    void redis_and_broker_failures_are_outages() {
        assertEquals(
                Optional.of(DependencyOutage.REDIS),
                DependencyOutage.of(
                        new IllegalStateException(new JedisConnectionException("refused"))));
        var closed =
                new AlreadyClosedException(new ShutdownSignalException(true, false, null, null));
        assertEquals(
                Optional.of(DependencyOutage.RABBITMQ),
                DependencyOutage.of(new RuntimeException(closed)));
        assertEquals(
                Optional.of(DependencyOutage.RABBITMQ),
                DependencyOutage.of(new IOException(closed)));
    }

    @Test
    void anything_else_is_ours() {
        assertEquals(Optional.empty(), DependencyOutage.of(new NullPointerException()));
        assertEquals(Optional.empty(), DependencyOutage.of(new IOException("Broken pipe")));
    }
}
