-- Orders, their items and the outbox of their events. Ids are application-made time-ordered UUIDs,
-- so "newest first" is ORDER BY id DESC. Amounts are exact decimals. Portable SQL: PostgreSQL and H2 2.x.
CREATE TABLE IF NOT EXISTS orders (
    id         VARCHAR(36)    NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64)    NOT NULL,
    total      NUMERIC(19, 4) NOT NULL,
    status     VARCHAR(16)    NOT NULL,
    created_ms BIGINT         NOT NULL,
    updated_ms BIGINT         NOT NULL,
    version    BIGINT         NOT NULL
);

-- serves GET /api/orders?userId=: WHERE user_id = ? ORDER BY id DESC
CREATE INDEX IF NOT EXISTS orders_user ON orders (user_id, id);
-- serves the orders-by-status metric and the standalone restart scan for pending orders
CREATE INDEX IF NOT EXISTS orders_status ON orders (status);

CREATE TABLE IF NOT EXISTS order_item (
    order_id VARCHAR(36)    NOT NULL REFERENCES orders (id),
    line     INT            NOT NULL,
    sku      VARCHAR(64)    NOT NULL,
    qty      INT            NOT NULL,
    price    NUMERIC(19, 4) NOT NULL,
    PRIMARY KEY (order_id, line)
);

-- Events written in the same transaction as the order change they describe; a relay publishes
-- them to the broker and deletes them (transactional outbox: no event for a rolled-back change,
-- none lost for a committed one).
CREATE TABLE IF NOT EXISTS order_outbox (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    event      VARCHAR(32) NOT NULL,
    order_id   VARCHAR(36) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    payload    VARCHAR     NOT NULL,
    created_ms BIGINT      NOT NULL
);
