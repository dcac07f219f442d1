-- One row per customer with the scores marketing wants on each lead.
SELECT email,
       first_name,
       last_name,
       churn_risk_score,
       lifetime_value
FROM read_csv_auto('data/customers.csv')
