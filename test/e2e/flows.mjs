#!/usr/bin/env node
// Browser end-to-end flows for the web app: headless Debian chromium driven by playwright-core
// (resolved from web/node_modules). Run through test/e2e/run.sh, which starts a real server; or
// directly against any running server:
//
//   node test/e2e/flows.mjs --base-url http://127.0.0.1:8080 --password 'Zx-Demo-2026!' \
//        [--import-file exported.csv] [--screenshots DIR] [--chromium /usr/bin/chromium]
//
// Flows: log in as admin (changing the password when forced), the dashboard draws its charts and
// the map, filter the household list, open a household, import a file with a bad ID and see the
// report, export, then log in as a village user and see only that village. A screenshot of each
// page goes to test/e2e/screenshots/. Prints "N passed, N failed" and exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';

import * as lib from './lib.mjs';

const { here, repo, parseArgs, check, step } = lib;

const args = parseArgs(process.argv.slice(2));
const baseUrl = (args['base-url'] ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const password = args.password ?? 'Zx-Demo-2026!';
const newPassword = args['new-password'] ?? 'Zx-E2e-Changed-2026';
const shots = args.screenshots ?? path.join(here, 'screenshots');
const chromiumPath = args.chromium ?? '/usr/bin/chromium';
fs.mkdirSync(shots, { recursive: true });

const { work, context, page, pageErrors: consoleErrors } = await lib.launch(chromiumPath, 'zx-e2e-');

const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const waitPainted = (selector, min) => lib.waitPainted(page, selector, min);
const pickSelect = (test, label) => lib.pickOption(page, test, label);

/// Fills the Element Plus input marked data-test=`test` (the attribute lands on the <input> itself).
async function fillInput(test, value) {
  const el = page.locator(`input[data-test="${test}"], [data-test="${test}"] input`).first();
  await el.fill(value);
}

const login = (username, pw) => lib.login(page, baseUrl, username, pw);

async function apiGet(pathAndQuery) {
  const response = await page.request.get(`${baseUrl}/api/v1${pathAndQuery}`);
  return response.json();
}

/// Writes a CSV with errors: the server's own export with one ID number's check digit broken,
/// or, without one, the template header and one row whose ID number is invalid.
function badImportFile() {
  const out = path.join(work, '导入测试-错误身份证.csv');
  const source = args['import-file'];
  if (source && fs.existsSync(source)) {
    const lines = fs.readFileSync(source, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
    const header = lines[0].split(',');
    const idCol = header.indexOf('证件号码');
    const cells = lines[1].split(',');
    const id = cells[idCol];
    const last = id.slice(-1);
    cells[idCol] = id.slice(0, -1) + (last === '0' ? '1' : last === 'X' ? '0' : String((Number(last) + 1) % 10));
    lines[1] = cells.join(',');
    fs.writeFileSync(out, '\uFEFF' + lines.slice(0, Math.min(lines.length, 12)).join('\n') + '\n');
  } else {
    const header = fs.readFileSync(path.join(repo, 'data/templates/households_template.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    const cols = header.split(',');
    const value = {
      户编号: 'E2E-0001', 所在村代码: '630121100201', 户类型: '一般农户', 脱贫年度: '', 兜底保障户: '否', 易地搬迁户: '否',
      住房安全等级: 'A级', 不愁吃穿: '是', 饮水水量达标: '是', 饮水水质达标: '是', 取水便利: '是', 供水保证率达标: '是',
      联系电话: '', 姓名: '测试', 证件号码: '63212319900101123A', 性别: '', 出生日期: '', 与户主关系: '户主', 民族: '藏族',
      文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 残疾等级: '无', 劳动技能: '普通劳动力', 务工月数: '0',
      参加基本医疗保险: '是', 享受低保: '否', 特困供养: '否', 是否死亡: '否',
    };
    const row = cols.map((c) => value[c] ?? '0');
    fs.writeFileSync(out, '\uFEFF' + header + '\n' + row.join(',') + '\n');
  }
  return out;
}

try {
  // 1. Admin logs in; a forced password change is done on the way.
  let adminPassword = password;
  await step('admin logs in', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.waitForSelector('input[name="username"]');
    await shot('01-login');
    await login('admin', password);
    if (new URL(page.url()).pathname === '/password') {
      await shot('02-password');
      await page.fill('input[name="old_password"]', password);
      await page.fill('input[name="new_password"]', newPassword);
      await page.fill('input[name="confirm_password"]', newPassword);
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/auth/password')),
        page.click('[data-test="password-submit"]'),
      ]);
      await page.waitForURL((u) => u.pathname === '/dashboard');
      adminPassword = newPassword;
      check('forced password change leads to the dashboard', true);
    }
    check('admin logs in', new URL(page.url()).pathname === '/dashboard', page.url());
  });

  // 2. Dashboard: cards, charts and the map are drawn.
  await step('dashboard', async () => {
    await page.waitForSelector('[data-test="card-households"]');
    const households = await page.textContent('[data-test="card-households"] .card-value');
    check('dashboard shows the household count', /\d/.test(households ?? ''), households ?? '');
    for (const chart of ['trend-chart', 'histogram-chart', 'type-chart', 'risk-chart']) {
      const n = await waitPainted(`[data-test="${chart}"]`);
      check(`dashboard draws ${chart}`, n >= 200, `${n} painted pixels`);
    }
    const mapPixels = await waitPainted('[data-test="map"]', 2000);
    check('dashboard draws the map', mapPixels >= 2000, `${mapPixels} painted pixels`);
    await page.waitForSelector('[data-test="dashboard-kpis"]');
    const kpis = await page.textContent('[data-test="dashboard-kpis"]');
    check('dashboard shows the workflow KPIs', /识别及时率/.test(kpis ?? '') && /风险消除率/.test(kpis ?? ''), kpis ?? '');
    await page.waitForTimeout(800); // let the chart animations settle for the screenshot
    await shot('03-dashboard');
  });

  // 3. Household list: filter by ex-poor and an income ceiling.
  let firstNumber = '';
  await step('household list', async () => {
    await page.goto(`${baseUrl}/registry/household`);
    await page.waitForSelector('[data-test="household-table"] .el-table__row');
    const totalText = async () => (await page.textContent('[data-test="total"]')) ?? '';
    const count = (s) => Number(s.replace(/[^\d]/g, ''));
    const before = count(await totalText());
    check('household list has rows', before > 0, `total ${before}`);
    await pickSelect('filter-ex-poor', '是');
    await fillInput('filter-income-max', '20000');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/households?') && r.url().includes('ex_poor=true')),
      page.click('[data-test="search"]'),
    ]);
    check('filter request carries ex_poor and income_max_yuan', response.url().includes('income_max_yuan=20000'), response.url());
    await page.waitForTimeout(300);
    const after = count(await totalText());
    check('filtered total is smaller', after > 0 && after < before, `${before} → ${after}`);
    const exPoorCells = await page.$$eval('[data-test="household-table"] .el-table__body tr td:nth-child(6)', (tds) => tds.map((td) => td.textContent?.trim()));
    check('every filtered row is ex-poor', exPoorCells.length > 0 && exPoorCells.every((c) => c === '是'), JSON.stringify(exPoorCells.slice(0, 5)));
    firstNumber = ((await page.textContent('[data-test="household-table"] .el-table__row a')) ?? '').trim();
    await shot('04-households');

    // Export with these filters.
    await page.click('[data-test="export"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="export-csv"]:visible').click(),
    ]);
    const file = path.join(work, download.suggestedFilename());
    await download.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    check('export downloads a CSV', text.split('\n').length > 1, `${download.suggestedFilename()} ${text.length} chars`);
    check('export keeps ID numbers masked', !/\b\d{17}[\dX]\b/.test(text), 'an unmasked ID number is in the export');
  });

  // 4. Household detail.
  await step('household detail', async () => {
    await page.click(`[data-test="household-table"] .el-table__row a`);
    await page.waitForSelector('[data-test="members-table"] .el-table__row');
    const title = (await page.textContent('[data-test="detail-title"]')) ?? '';
    check('detail opens the chosen household', title.includes(firstNumber), `${title} / ${firstNumber}`);
    const members = await page.locator('[data-test="members-table"] .el-table__body tr').count();
    check('detail lists members', members > 0, `${members}`);
    const incomeRows = await page.locator('[data-test="income-table"] .el-table__body tr').count();
    check('detail lists income years', incomeRows > 0, `${incomeRows}`);
    const n = await waitPainted('[data-test="income-chart"]');
    check('detail draws the income chart', n >= 200, `${n}`);
    await page.waitForTimeout(600);
    await shot('05-household-detail');
  });

  // 5. Import a file with a bad ID number: the report lists it, the marked-up file downloads.
  await step('import with errors', async () => {
    await page.goto(`${baseUrl}/import/household`);
    const file = badImportFile();
    await page.setInputFiles('[data-test="upload"] input[type="file"]', file);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/imports/households')),
      page.click('[data-test="do-upload"]'),
    ]);
    const sentName = response.request().headers()['x-file-name'] ?? '';
    check('upload sends X-File-Name', decodeURIComponent(sentName).endsWith('.csv'), sentName);
    await page.waitForSelector('[data-test="import-errors"] .el-table__row');
    const rows = await page.$$eval('[data-test="import-errors"] .el-table__body tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    check('import report lists errors', rows.length > 0, `${rows.length}`);
    check('import report names the ID column', rows.some((r) => r.includes('证件号码') || r.includes('身份证')), rows[0] ?? '');
    check('import is rejected', (await page.locator('[data-test="import-rejected"]').count()) === 1);
    await shot('06-import-report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="download-report"]')]);
    const saved = path.join(work, download.suggestedFilename());
    await download.saveAs(saved);
    check('marked-up report downloads', fs.statSync(saved).size > 0, download.suggestedFilename());
  });

  // 6. User management page renders and lists users.
  let villageUser = args['village-user'];
  await step('user management', async () => {
    await page.goto(`${baseUrl}/system/user`);
    await page.waitForSelector('[data-test="user-table"] .el-table__row');
    const users = await page.locator('[data-test="user-table"] .el-table__body tr').count();
    check('user list has rows', users > 0, `${users}`);
    await shot('07-users');
    if (!villageUser) {
      const list = await apiGet('/users?page_size=200');
      villageUser = (list.rows ?? []).find((u) => u.role === 'village')?.username;
    }
  });

  // 7. A village user sees only its village.
  await step('village user', async () => {
    check('a village demo account exists', Boolean(villageUser), 'no user with role village');
    if (!villageUser) return;
    await page.goto(`${baseUrl}/dashboard`);
    await page.click('[data-test="user-menu"]');
    await page.locator('.el-dropdown-menu__item:visible', { hasText: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await login(villageUser, password);
    if (new URL(page.url()).pathname === '/password') {
      await page.fill('input[name="old_password"]', password);
      await page.fill('input[name="new_password"]', newPassword);
      await page.fill('input[name="confirm_password"]', newPassword);
      await page.click('[data-test="password-submit"]');
      await page.waitForURL((u) => u.pathname === '/dashboard');
    }
    const me = await apiGet('/auth/me');
    const village = me.data?.user?.division_code ?? '';
    await page.waitForSelector('[data-test="card-households"]');
    await waitPainted('[data-test="type-chart"]');
    await page.waitForTimeout(600);
    await shot('08-village-dashboard');
    await page.goto(`${baseUrl}/registry/household`);
    await page.waitForSelector('[data-test="household-table"] .el-table__row');
    const list = await apiGet('/households?page_size=200');
    const outside = (list.rows ?? []).filter((r) => r.village_code !== village);
    check('village user sees only its village', (list.rows ?? []).length > 0 && outside.length === 0, `${outside.length} rows outside ${village}`);
    const places = await page.$$eval('[data-test="household-table"] .el-table__body tr td:nth-child(4)', (tds) => new Set(tds.map((td) => td.textContent?.trim())).size);
    check('village list shows one place', places === 1, `${places} places`);
    await shot('09-village-households');
  });

  check('no uncaught page errors', consoleErrors.length === 0, consoleErrors.join(' | '));
  if (adminPassword !== password) console.log(`note: admin password is now ${adminPassword}`);
} finally {
  await context.close();
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`screenshots: ${shots}`);
lib.finish();
