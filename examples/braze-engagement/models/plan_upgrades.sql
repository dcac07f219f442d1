-- One row per plan upgrade, from billing; each becomes one custom event on the customer's profile.
SELECT upgrade_id, customer_id, CAST(upgraded_at AS TIMESTAMP) AS upgraded_at, new_plan, seats
FROM read_csv_auto('data/upgrades.csv', types = {'upgraded_at': 'VARCHAR'})
