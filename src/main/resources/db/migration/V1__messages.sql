-- Room and direct messages. Ids are made by the application (time-ordered UUIDs), so a retried
-- write finds its row instead of adding a second one. Portable SQL: PostgreSQL and H2 2.x.
CREATE TABLE IF NOT EXISTS room_message (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    room        VARCHAR(64)  NOT NULL,
    seq         BIGINT       NOT NULL,
    sender      VARCHAR(64)  NOT NULL,
    sender_name VARCHAR(100) NOT NULL,
    body        VARCHAR      NOT NULL,
    ts_ms       BIGINT       NOT NULL,
    node        VARCHAR(128) NOT NULL,
    -- serves room history and recovery: WHERE room = ? AND seq < / > ? ORDER BY seq
    CONSTRAINT room_message_room_seq UNIQUE (room, seq)
);

CREATE TABLE IF NOT EXISTS direct_message (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    conversation VARCHAR(129) NOT NULL,
    sender       VARCHAR(64)  NOT NULL,
    sender_name  VARCHAR(100) NOT NULL,
    recipient    VARCHAR(64)  NOT NULL,
    body         VARCHAR      NOT NULL,
    ts_ms        BIGINT       NOT NULL,
    node         VARCHAR(128) NOT NULL
);

-- serves conversation history: WHERE conversation = ? AND id < ? ORDER BY id (ids sort by time)
CREATE INDEX IF NOT EXISTS direct_message_conversation ON direct_message (conversation, id);
