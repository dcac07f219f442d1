-- Customers whose churn risk is above 0.8: the ones the customer-success team is alerted about.
SELECT email, first_name, churn_risk_score, lifetime_value
FROM read_csv_auto('data/customers.csv')
WHERE churn_risk_score > 0.8
