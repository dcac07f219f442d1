-- One row per customer: the attributes marketing segments on in Braze.
SELECT customer_id, email, first_name, churn_risk_score, plan
FROM read_csv_auto('data/customers.csv')
