-- One row per customer, from the warehouse's view (analytics.customer_health, see warehouse.sql).
SELECT customer_email,
       first_name,
       last_name,
       churn_risk_score,
       lifetime_value,
       plan
FROM customer_health
