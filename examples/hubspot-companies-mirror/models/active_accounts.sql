-- Paying accounts only: an account that churns leaves the model, and the mirror archives its company.
SELECT account_id, name, domain, seats, arr
FROM read_csv_auto('data/accounts.csv')
WHERE status = 'active'
