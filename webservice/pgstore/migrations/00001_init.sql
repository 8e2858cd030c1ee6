-- The schema of the PostgreSQL store of the Wallet web service. Every name starts with passforge_ so the
-- tables can share a schema with the application's own; a dedicated schema (search_path) works as well.

-- +goose Up
-- Update tags: strictly increasing across all passes, taken from this sequence (never the wall clock).
CREATE SEQUENCE passforge_tags AS bigint;

CREATE TABLE passforge_passes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pass_type_id    text        NOT NULL,
    serial_number   text        NOT NULL,
    auth_token_hash bytea       NOT NULL,
    data            bytea       NOT NULL,
    app_data        bytea       NOT NULL,
    tag             bigint      NOT NULL,
    modified        timestamptz NOT NULL,
    created         timestamptz NOT NULL,
    UNIQUE (pass_type_id, serial_number)
);

CREATE TABLE passforge_devices (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_library_id text NOT NULL UNIQUE,
    push_token        text NOT NULL
);
CREATE INDEX passforge_devices_push_token ON passforge_devices (push_token);

CREATE TABLE passforge_registrations (
    device_id  bigint      NOT NULL REFERENCES passforge_devices (id) ON DELETE CASCADE,
    pass_id    bigint      NOT NULL REFERENCES passforge_passes (id) ON DELETE CASCADE,
    registered timestamptz NOT NULL,
    PRIMARY KEY (device_id, pass_id)
);
CREATE INDEX passforge_registrations_pass ON passforge_registrations (pass_id);

CREATE TABLE passforge_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pass_id      bigint      NOT NULL REFERENCES passforge_passes (id) ON DELETE CASCADE,
    push_token   text        NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text        NOT NULL DEFAULT '',
    created      timestamptz NOT NULL,
    next_attempt timestamptz NOT NULL,
    lease_owner  text        NOT NULL DEFAULT '',
    lease_until  timestamptz
);
CREATE INDEX passforge_outbox_pass ON passforge_outbox (pass_id);
CREATE INDEX passforge_outbox_next_attempt ON passforge_outbox (next_attempt);

CREATE TABLE passforge_settings (
    key   text  PRIMARY KEY,
    value bytea NOT NULL
);

-- +goose Down
DROP TABLE passforge_settings;
DROP TABLE passforge_outbox;
DROP TABLE passforge_registrations;
DROP TABLE passforge_devices;
DROP TABLE passforge_passes;
DROP SEQUENCE passforge_tags;
