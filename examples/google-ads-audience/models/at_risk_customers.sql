-- Customers whose churn risk is high enough for the win-back audience, with every identifier Customer Match takes.
SELECT customer_id,
       email,
       phone,
       first_name,
       last_name,
       country,
       zip
FROM read_csv_auto('data/customers.csv', all_varchar = true)
WHERE CAST(churn_risk_score AS DOUBLE) >= 0.7
