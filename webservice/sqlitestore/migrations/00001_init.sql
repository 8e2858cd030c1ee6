-- +goose Up
-- Passes with the update tag of their current version. modified is unix
-- seconds (HTTP Last-Modified); every other time is unix microseconds.
CREATE TABLE passes (
    id            INTEGER PRIMARY KEY,
    pass_type_id  TEXT    NOT NULL,
    serial        TEXT    NOT NULL,
    auth_hash     BLOB    NOT NULL,
    data          BLOB    NOT NULL,
    app_data      BLOB    NOT NULL,
    tag           INTEGER NOT NULL,
    modified      INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    UNIQUE (pass_type_id, serial)
);

-- Devices keyed by deviceLibraryIdentifier; a new push token replaces the old.
CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    library_id  TEXT NOT NULL UNIQUE,
    push_token  TEXT NOT NULL
);
CREATE INDEX devices_push_token ON devices (push_token);

CREATE TABLE registrations (
    device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    pass_id     INTEGER NOT NULL REFERENCES passes (id) ON DELETE CASCADE,
    registered  INTEGER NOT NULL,
    PRIMARY KEY (device_id, pass_id)
) WITHOUT ROWID;
CREATE INDEX registrations_pass ON registrations (pass_id);

-- Pending APNs pushes, written in the transaction that changed the pass.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    pass_id       INTEGER NOT NULL REFERENCES passes (id) ON DELETE CASCADE,
    push_token    TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    created       INTEGER NOT NULL,
    next_attempt  INTEGER NOT NULL,
    lease_owner   TEXT    NOT NULL DEFAULT '',
    lease_until   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox (next_attempt);
CREATE INDEX outbox_pass ON outbox (pass_id);

-- The tag sequence: one row, bumped in every writing transaction that needs a tag.
CREATE TABLE tag_sequence (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  INTEGER NOT NULL
);
INSERT INTO tag_sequence (id, value) VALUES (1, 0);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  BLOB NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE settings;
DROP TABLE tag_sequence;
DROP TABLE outbox;
DROP TABLE registrations;
DROP TABLE devices;
DROP TABLE passes;
