-- One row per customer: what the warehouse knows about each contact.
SELECT customer_email,
       first_name,
       last_name,
       job_title,
       churn_risk_score,
       lifetime_value,
       lead_source,
       signup_cohort
FROM read_csv_auto('data/customers.csv')
