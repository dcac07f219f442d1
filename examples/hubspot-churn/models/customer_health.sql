-- One row per customer with the scores customer success wants on each contact.
SELECT customer_email,
       first_name,
       last_name,
       churn_risk_score,
       lifetime_value,
       plan
FROM read_csv_auto('data/customers.csv')
