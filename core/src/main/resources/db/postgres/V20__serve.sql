-- ebb serve: its API tokens (only their SHA-256, never the token) and the audit log of actions taken through it.
CREATE TABLE api_tokens (
    name       text        PRIMARY KEY,
    role       text        NOT NULL,
    hash       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE TABLE audit_log (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    acted_at timestamptz NOT NULL,
    actor    text        NOT NULL,
    action   text        NOT NULL,
    sync     text,
    run_id   bigint,
    detail   text
);
CREATE INDEX audit_log_by_sync ON audit_log (sync, id DESC);
