-- The table the sync writes (create it once, as the table's owner). Ebb matches rows on email, so email needs a
-- unique constraint (or a primary key); columns the sync does not map keep their defaults.
CREATE TYPE plan AS ENUM ('free', 'pro', 'enterprise');

CREATE TABLE customer_health (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL UNIQUE,
    customer_id  text NOT NULL,
    full_name    text,
    churn_risk   numeric(4, 3) CHECK (churn_risk BETWEEN 0 AND 1),
    plan         plan,
    signed_up    date,
    last_seen_at timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
