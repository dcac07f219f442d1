-- One row per customer with the scores support agents want on each Zendesk user.
SELECT customer_id,
       email,
       full_name,
       churn_risk,
       plan
FROM read_csv_auto('data/customers.csv')
