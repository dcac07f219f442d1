-- People the upstream propensity model scores as likely to buy winter boots, with the identifiers both ad
-- platforms match people by. The scores land as Parquet; every file under data/ is read.
SELECT person_id,
       email,
       phone
FROM read_parquet('data/*.parquet')
WHERE propensity >= 0.7
