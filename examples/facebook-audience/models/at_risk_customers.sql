-- Customers whose churn risk is worth a win-back ad, with the identifiers Meta matches people by.
SELECT email,
       phone,
       first_name,
       last_name,
       zip,
       country
FROM read_csv_auto('data/customers.csv', all_varchar = true)
