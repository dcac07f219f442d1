-- Plan changes from billing: only customers who are already leads in Marketo should be touched.
SELECT email,
       plan
FROM read_csv_auto('data/plan_changes.csv')
