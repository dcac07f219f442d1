-- One row per customer with the scores the application shows on each account page.
SELECT customer_id,
       email,
       full_name,
       churn_risk,
       plan,
       signed_up,
       last_seen_at
FROM read_csv_auto('data/customers.csv')
