-- One row per customer with the scores customer success wants on each Salesforce contact.
SELECT customer_key,
       first_name,
       last_name,
       email,
       churn_risk_score,
       lifetime_value,
       plan
FROM read_csv_auto('data/customers.csv')
