-- The timed PostgreSQL job (bench/matching/run.sh): COPY the medical CSV into an unlogged table
-- (its CREATE TABLE, generated from the file's header, comes first on the command line), then
-- normalise the ID (only when it is not already 17 digits and a check character), upgrade
-- 15 → 18 digits, join persons, keep 18-character IDs whose check character is right, sum out-of-pocket (fen) of the 12 months (as_of - 365 days, as_of] per person and
-- keep sums above the threshold. Variables: medical_csv, as_of, oop_monitored, oop_others.
-- PostgreSQL 15 has no TRY_CAST: dates and amounts are guarded by patterns (the synthetic file
-- has only YYYY-MM-DD dates and amounts with at most two decimals).
COPY claims FROM :'medical_csv' WITH (FORMAT csv, HEADER true);
ANALYZE claims;
COPY (
  WITH norm AS (
    SELECT CASE WHEN "证件号码" ~ '^[0-9]{17}[0-9X]$' THEN "证件号码"
                ELSE upper(translate(regexp_replace(coalesce("证件号码", ''),
                   '[ \t\r\n\u000B\f\u00A0\u3000\u200B\uFEFF\u2010-\u2015\u2212\uFE63\uFF0D-]', '', 'g'),
                 '０１２３４５６７８９ｘＸ', '0123456789XX')) END AS id,
           CASE WHEN "结算日期" ~ '^\d{4}-\d{2}-\d{2}$' THEN "结算日期"::date END AS settled,
           CASE WHEN "个人自付" ~ '^-?\d+(\.\d{1,2})?$' THEN round("个人自付"::numeric * 100)::bigint END AS fen
    FROM claims
  ), keyed AS (
    SELECT CASE
             WHEN length(id) = 18 AND id ~ '^[0-9]{17}[0-9X]$' THEN id
             WHEN length(id) = 15 AND id ~ '^[0-9]{15}$'
               THEN substr(id, 1, 6) || '19' || substr(id, 7, 9)
                    || zx_check_char(substr(id, 1, 6) || '19' || substr(id, 7, 9))
           END AS id18,
           settled, fen
    FROM norm
    WHERE settled > DATE :'as_of' - 365 AND settled <= DATE :'as_of' AND fen IS NOT NULL
  ), sums AS (
    SELECT p.id_number, p.ex_poor, sum(k.fen) AS total
    FROM keyed k JOIN persons p ON p.id_number = k.id18
    WHERE zx_check_char(p.id_number) = substr(p.id_number, 18, 1)  -- after the join: few rows
    GROUP BY p.id_number, p.ex_poor
  )
  SELECT 'medical_out_of_pocket' AS kind, id_number, total AS value_fen
  FROM sums
  WHERE total > CASE WHEN ex_poor THEN :oop_monitored ELSE :oop_others END
  ORDER BY id_number
) TO STDOUT WITH (FORMAT csv, HEADER true);
