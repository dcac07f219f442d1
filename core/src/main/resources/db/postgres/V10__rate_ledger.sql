-- The calls granted to each destination account, shared by every worker on this state store, so that workers
-- writing to one account together stay inside its rate limit (PostgresRateLedger books them).

-- One row per account: booking a call locks it, so bookings of one account are serialised across workers.
CREATE TABLE rate_accounts (
    account      text PRIMARY KEY,
    -- No worker calls before this instant: the vendor throttled one of them (NULL: never paused).
    paused_until timestamptz,
    -- The latest grant booked: calls are granted in the order they are booked (NULL: none yet).
    last_grant   timestamptz
);

-- The instants calls were granted, on the database's clock; kept for the account's longest window.
CREATE TABLE rate_grants (
    account    text        NOT NULL REFERENCES rate_accounts (account) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL
);
CREATE INDEX rate_grants_by_account ON rate_grants (account, granted_at);
