package dev.switchboard.history;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The store's datasource, from {@code switchboard.db.*}. One URL picks the database: {@link
 * RoutingDataSource} reads it and loads the matching driver, so switching to PostgreSQL is one
 * setting. Payara resolves {@code ${MPCONFIG=...}}; other servers declare the datasource in their
 * own configuration (see docs/DEPLOYMENT.md).
 */
@DataSourceDefinition(
        name = "java:app/jdbc/switchboard",
        className = "dev.switchboard.history.RoutingDataSource",
        url = "${MPCONFIG=switchboard.db.url}",
        user = "${MPCONFIG=switchboard.db.user}",
        password = "${MPCONFIG=switchboard.db.password}",
        maxPoolSize = 32,
        minPoolSize = 2,
        properties = {
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=auto-commit"
        })
@ApplicationScoped
public class DataSourceConfig {}
