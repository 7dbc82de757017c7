package dev.switchboard.ops;

import com.rabbitmq.client.ShutdownSignalException;
import jakarta.persistence.EntityExistsException;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.NoResultException;
import jakarta.persistence.NonUniqueResultException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Which dependency, if any, an unexpected failure says is down, judged by the exception types in
 * its cause chain: such a request is answered 503 with Retry-After (try again soon), not 500 (a
 * fault of ours). A failure of the query itself (a duplicate key, a missing row) is no outage.
 */
enum DependencyOutage {
    DATABASE("database"),
    REDIS("Redis"),
    RABBITMQ("RabbitMQ");

    private static final int MAX_CAUSES = 20;

    final String label;

    DependencyOutage(String label) {
        this.label = label;
    }

    static Optional<DependencyOutage> of(Throwable failure) {
        boolean persistence = false;
        int depth = 0;
        for (Throwable t = failure;
                t != null && depth++ < MAX_CAUSES;
                t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql)
                return isConnectionTrouble(sql) ? Optional.of(DATABASE) : Optional.empty();
            if (t instanceof JedisConnectionException) return Optional.of(REDIS);
            if (t instanceof ShutdownSignalException || isFromBroker(t))
                return Optional.of(RABBITMQ);
            persistence |= t instanceof PersistenceException && !isAboutTheQuery(t);
        }
        return persistence ? Optional.of(DATABASE) : Optional.empty();
    }

    /**
     * Connection classes of SQLSTATE (08 connection, 53 resources, 57 operator intervention), or
     * the pool's own, stateless, refusal.
     */
    private static boolean isConnectionTrouble(SQLException e) {
        if (e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) return true;
        String state = e.getSQLState();
        return state == null
                || state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57");
    }

    private static boolean isAboutTheQuery(Throwable e) {
        return e instanceof NoResultException
                || e instanceof NonUniqueResultException
                || e instanceof EntityNotFoundException
                || e instanceof EntityExistsException
                || e instanceof OptimisticLockException;
    }

    /** An I/O failure raised inside the RabbitMQ client (a closed channel, a lost connection). */
    private static boolean isFromBroker(Throwable e) {
        if (!(e instanceof IOException))
            return e.getClass().getName().startsWith("com.rabbitmq.client.");
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("com.rabbitmq.client.")) return true;
        }
        return false;
    }
}
