// DuckDB baseline of the department-feed benchmark (bench/matching/run.sh).
//
//   node duckdb.mjs load REGISTRY.csv DB.duckdb
//       the registry export → table persons (id_number, ex_poor) in DB (setup, timed apart)
//   node duckdb.mjs job DB.duckdb MEDICAL.csv AS_OF OOP_MONITORED OOP_OTHERS OUT.csv
//       the timed job: read the medical CSV, normalise the ID (ignorable spaces and hyphens removed,
//       full-width digits and x, upper case), upgrade 15 → 18 digits with the check character computed
//       in SQL, keep 18-character IDs whose check character is right, join persons, sum out-of-pocket
//       (fen) of the 12 months (AS_OF - 365 days, AS_OF] per person, keep sums above the threshold
//       (OOP_MONITORED for ex-poor households, OOP_OTHERS otherwise); writes kind,id_number,value_fen
//   node duckdb.mjs job-csv REGISTRY.csv MEDICAL.csv AS_OF OOP_MONITORED OOP_OTHERS OUT.csv
//       the same job with the registry read from its CSV inside the timed run
//
// No checksum repair and no probabilistic linking: rows whose ID is missing or damaged are not
// linked (zhenxing runs with --id-only for the comparison). Threads: DUCKDB_THREADS (default 2).
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, ...args] = process.argv.slice(2);
const threads = process.env.DUCKDB_THREADS ?? '2';

// Check character of the first 17 digits of s (GB 11643).
const checkCharSql = (s) => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const terms = weights.map((w, i) => `(ascii(substr(${s}, ${i + 1}, 1)) - 48) * ${w}`).join(' + ');
  return `substr('10X98765432', ((${terms}) % 11)::INTEGER + 1, 1)`;
};

const personsFromCsv = (path) =>
  `SELECT "证件号码" AS id_number, "户类型" = '脱贫户' AS ex_poor
   FROM read_csv(${quote(path)}, header = true, all_varchar = true)`;

function quote(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}

// Constants are checked, then written into the SQL (as psql -v variables are in the PostgreSQL run).
function constants(asOf, oopMonitored, oopOthers) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !/^\d+$/.test(oopMonitored) || !/^\d+$/.test(oopOthers)) {
    console.error(`参数无效：as_of=${asOf} oop_monitored=${oopMonitored} oop_others=${oopOthers}`);
    process.exit(2);
  }
  return { asOf: `DATE '${asOf}'`, oopMonitored, oopOthers };
}

function jobSql(personsSource, medical, out, { asOf, oopMonitored, oopOthers }) {
  // Characters NormalizeResidentId ignores (src/domain/resident_id.cc IsIgnorable).
  const ignorable = "[ \\t\\r\\n\\x0B\\f\\x{00A0}\\x{3000}\\x{200B}\\x{FEFF}\\x{2010}-\\x{2015}\\x{2212}\\x{FE63}\\x{FF0D}-]";
  return `
COPY (
  WITH raw AS (
    SELECT "证件号码" AS raw_id, "结算日期" AS settled, "个人自付" AS amount
    FROM read_csv(${quote(medical)}, header = true, all_varchar = true)
  ), norm AS (
    SELECT CASE WHEN regexp_full_match(raw_id, '[0-9]{17}[0-9X]') THEN raw_id
                ELSE upper(translate(regexp_replace(coalesce(raw_id, ''), '${ignorable}', '', 'g'),
                                     '０１２３４５６７８９ｘＸ', '0123456789XX')) END AS id,
           TRY_CAST(settled AS DATE) AS settled,
           CAST(round(TRY_CAST(amount AS DECIMAL(18, 2)) * 100) AS BIGINT) AS fen
    FROM raw
  ), keyed AS (
    SELECT CASE
             WHEN length(id) = 18 AND regexp_full_match(id, '[0-9]{17}[0-9X]') THEN id
             WHEN length(id) = 15 AND regexp_full_match(id, '[0-9]{15}')
               THEN substr(id, 1, 6) || '19' || substr(id, 7, 9)
                    || ${checkCharSql("(substr(id, 1, 6) || '19' || substr(id, 7, 9))")}
           END AS id18,
           settled, fen
    FROM norm
    WHERE settled > ${asOf} - 365 AND settled <= ${asOf} AND fen IS NOT NULL
  ), sums AS (
    SELECT p.id_number, p.ex_poor, sum(k.fen) AS total
    FROM keyed k JOIN ${personsSource} p ON p.id_number = k.id18
    -- the check character, tested after the join (on the few rows that joined)
    WHERE ${checkCharSql('p.id_number')} = substr(p.id_number, 18, 1)
    GROUP BY p.id_number, p.ex_poor
  )
  SELECT 'medical_out_of_pocket' AS kind, id_number, total AS value_fen
  FROM sums
  WHERE total > CASE WHEN ex_poor THEN ${oopMonitored} ELSE ${oopOthers} END
  ORDER BY id_number
) TO ${quote(out)} (HEADER, DELIMITER ',');
`;
}

async function main() {
  if (mode === 'load') {
    const [registry, db] = args;
    const instance = await DuckDBInstance.create(db, { threads });
    const connection = await instance.connect();
    await connection.run(`CREATE OR REPLACE TABLE persons AS ${personsFromCsv(registry)}`);
    const reader = await connection.runAndReadAll('SELECT count(*)::VARCHAR FROM persons');
    console.log(`persons ${reader.getRows()[0][0]}`);
    return;
  }
  if (mode === 'job' || mode === 'job-csv') {
    const [source, medical, asOf, oopMonitored, oopOthers, out] = args;
    const instance = await DuckDBInstance.create(mode === 'job' ? source : ':memory:', {
      threads,
      access_mode: mode === 'job' ? 'READ_ONLY' : 'AUTOMATIC',
    });
    const connection = await instance.connect();
    const persons = mode === 'job' ? 'persons' : `(${personsFromCsv(source)})`;
    await connection.run(jobSql(persons, medical, out, constants(asOf, oopMonitored, oopOthers)));
    return;
  }
  console.error('用法：node duckdb.mjs load|job|job-csv ...（见文件开头的说明）');
  process.exit(2);
}

await main();
