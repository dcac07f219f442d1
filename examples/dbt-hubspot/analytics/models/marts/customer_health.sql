-- One row per customer with the scores customer success wants on each contact.
select customer_email, churn_risk_score, plan
from {{ ref('customers') }}
where customer_email is not null
