"""The store's schema as numbered migrations.

A migration is never edited once released: a change is a new numbered step, so every
existing database reaches the same schema. The tests check that a database migrated
step by step equals one created fresh, and that migrating twice changes nothing.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

# -- name: 0001_initial
_INITIAL = """
CREATE TABLE messages (
    id            TEXT PRIMARY KEY,             -- time-sortable, shown to operators
    direction     TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    partner       TEXT NOT NULL,
    transport     TEXT NOT NULL,                -- as2 | sftp | http | manual | internal
    transport_id  TEXT,                         -- AS2 Message-ID, SFTP path, HTTP request id
    status        TEXT NOT NULL,
    format        TEXT,                         -- x12 | edifact | xml
    kinds         TEXT NOT NULL DEFAULT '',     -- comma list of canonical document kinds
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,                -- archive key of the payload
    errors        TEXT,                         -- JSON list of located issues
    related_id    TEXT REFERENCES messages (id),-- inbound message an ack answers, ...
    actor         TEXT,                         -- operator for manual receipts
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX messages_by_partner ON messages (partner, received_at);
CREATE INDEX messages_by_status ON messages (status, received_at);
CREATE INDEX messages_by_transport_id ON messages (partner, transport, transport_id);
CREATE INDEX messages_by_related ON messages (related_id);

CREATE TABLE documents (
    message_id           TEXT NOT NULL REFERENCES messages (id),
    seq                  INTEGER NOT NULL,
    kind                 TEXT NOT NULL,
    number               TEXT,
    interchange_control  TEXT,
    group_control        TEXT,
    message_control      TEXT,
    body                 TEXT NOT NULL,         -- canonical JSON
    PRIMARY KEY (message_id, seq)
);
CREATE INDEX documents_by_number ON documents (number);
CREATE INDEX documents_by_control ON documents (interchange_control);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    message_id       TEXT REFERENCES messages (id),
    payload          TEXT NOT NULL DEFAULT '{}',
    priority         INTEGER NOT NULL DEFAULT 100,  -- lower runs first
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'done', 'dead')),
    run_at           REAL NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    idempotency_key  TEXT UNIQUE,
    lease_owner      TEXT,
    lease_expires    REAL,
    last_error       TEXT,
    created_at       REAL NOT NULL,
    updated_at       REAL NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, priority, run_at);
CREATE INDEX jobs_by_message ON jobs (message_id);

CREATE TABLE counters (
    partner  TEXT NOT NULL,
    purpose  TEXT NOT NULL,                     -- x12:isa, x12:gs, x12:st, edifact:unb ...
    value    INTEGER NOT NULL,
    PRIMARY KEY (partner, purpose)
);

CREATE TABLE duplicates (
    partner     TEXT NOT NULL,
    key         TEXT NOT NULL,                  -- "x12:ZZ:ACME:000000123", "as2:<msg-id>"
    message_id  TEXT NOT NULL REFERENCES messages (id),
    PRIMARY KEY (partner, key)
);

CREATE TABLE expected_acks (
    message_id     TEXT NOT NULL REFERENCES messages (id),   -- our outbound message
    partner        TEXT NOT NULL,
    syntax         TEXT NOT NULL,
    group_control  TEXT NOT NULL,               -- GS06 / UNB 0020 the ack must name
    deadline       REAL NOT NULL,
    status         TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting', 'accepted', 'accepted_with_errors',
                                     'rejected', 'overdue')),
    ack_message_id TEXT REFERENCES messages (id),
    PRIMARY KEY (partner, syntax, group_control)
);
CREATE INDEX expected_acks_waiting ON expected_acks (status, deadline);

CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    message_id  TEXT,
    job_id      INTEGER,
    details     TEXT NOT NULL,                  -- canonical JSON
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_by_message ON audit (message_id);
"""

# -- name: 0002_claim_tokens
# A token per claim (not per worker process): a job reaped and claimed again by the same
# process must not accept the stale run's completion.
_CLAIM_TOKENS = """
ALTER TABLE jobs ADD COLUMN lease_token TEXT;
"""

#: (version, name, sql) in order; the database's user_version is the last one applied.
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "initial", _INITIAL),
    (2, "claim_tokens", _CLAIM_TOKENS),
)
