-- The warehouse of the example: two tables and the view the model reads, in schema analytics, and a role that may
-- only read them. Run it as the database's owner; it expects the role ebb_reader to exist
-- (CREATE ROLE ebb_reader LOGIN PASSWORD '…').
CREATE SCHEMA analytics;

CREATE TABLE analytics.customers (
    customer_id   int PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    first_name    text NOT NULL,
    last_name     text NOT NULL,
    plan          text NOT NULL,
    signed_up_at  timestamptz NOT NULL
);

CREATE TABLE analytics.scores (
    customer_id      int PRIMARY KEY REFERENCES analytics.customers,
    churn_risk_score numeric(4, 3) NOT NULL,
    lifetime_value   numeric(12, 2) NOT NULL,
    scored_at        timestamptz NOT NULL
);

INSERT INTO analytics.customers
SELECT g, 'customer' || g || '@example.com', 'First' || g, 'Last' || g,
       (ARRAY['free', 'starter', 'professional', 'enterprise'])[1 + g % 4],
       TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1 day'
FROM generate_series(1, 200) g;

INSERT INTO analytics.scores
SELECT g, round((g % 1000) / 1000.0, 3), round(g * 37.5, 2), TIMESTAMPTZ '2025-06-01 00:00:00+00'
FROM generate_series(1, 200) g;

CREATE VIEW analytics.customer_health AS
SELECT c.email AS customer_email, c.first_name, c.last_name, s.churn_risk_score, s.lifetime_value, c.plan
FROM analytics.customers c
JOIN analytics.scores s USING (customer_id);

GRANT USAGE ON SCHEMA analytics TO ebb_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO ebb_reader;
