-- Stands in for the upstream propensity model: scores 2,000 people and lands them as Parquet in the lakehouse.
-- Run it from the project folder: duckdb < upstream/scores.sql
COPY (
    SELECT printf('P%05d', i)                 AS person_id,
           printf('person%d@example.com', i)  AS email,
           printf('+1 650-253-%04d', i)       AS phone,
           ((i * 37) % 100) / 100.0           AS propensity
    FROM range(2000) AS people(i)
) TO 'data/scores.parquet' (FORMAT parquet);
