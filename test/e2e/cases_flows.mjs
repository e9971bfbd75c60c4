#!/usr/bin/env node
// Browser end-to-end flow of the identification and assistance workflow (issue 6): one case from
// lead to risk elimination across the village, township and county demo logins, moving the server's
// test clock (`zhenxing serve --test-clock-file`) past notice periods and six months of visits.
// Run by test/e2e/run.sh after flows.mjs; or directly against a server started with a clock file:
//
//   node test/e2e/cases_flows.mjs --base-url http://127.0.0.1:8080 --password 'Zx-Demo-2026!' \
//        --clock-file /tmp/clock [--screenshots DIR] [--chromium /usr/bin/chromium]
//
// Screenshots of every new page go to test/e2e/screenshots/1x-*.png / 2x-*.png.
// Prints "N passed, N failed" and exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';

import * as lib from './lib.mjs';

const { here, parseArgs, check } = lib;

const args = parseArgs(process.argv.slice(2));
const baseUrl = (args['base-url'] ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const password = args.password ?? 'Zx-Demo-2026!';
const clockFile = args['clock-file'];
const shots = args.screenshots ?? path.join(here, 'screenshots');
const chromiumPath = args.chromium ?? '/usr/bin/chromium';
fs.mkdirSync(shots, { recursive: true });
const DAY = 86400;

if (!clockFile) {
  console.log('FAIL cases_flows.mjs needs --clock-file (the server must run with --test-clock-file)');
  process.exit(1);
}
let offset = 0;
function advance(seconds) {
  offset += seconds;
  fs.writeFileSync(clockFile, `${offset}\n`);
}
advance(0);

const { work, context, page, pageErrors } = await lib.launch(chromiumPath, 'zx-e2e-cases-');

const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const waitPainted = (selector, min) => lib.waitPainted(page, selector, min);

async function login(username) {
  await context.clearCookies();
  await lib.login(page, baseUrl, username, password);
}

async function api(method, pathAndQuery, data) {
  const me = await page.request.get(`${baseUrl}/api/v1/auth/me`);
  const csrf = (await me.json()).data?.csrf_token ?? '';
  const response = await page.request.fetch(`${baseUrl}/api/v1${pathAndQuery}`, {
    method,
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    data: data === undefined ? undefined : JSON.stringify(data),
  });
  return { status: response.status(), body: await response.json() };
}

async function openCasePage(id) {
  await page.goto(`${baseUrl}/cases/${id}`);
  await page.waitForSelector('[data-test="case-stage"]');
}

async function stageText() {
  return ((await page.textContent('[data-test="case-stage"]')) ?? '').trim();
}

/// Clicks the action button, lets `fill` fill the dialog, submits, and waits for the new stage.
async function doAction(code, fill, expectStage) {
  await page.click(`[data-test="action-${code}"]`);
  await page.waitForSelector('[data-test="action-submit"]', { state: 'visible' });
  if (fill) await fill();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/actions') && r.request().method() === 'POST'),
    page.click('[data-test="action-submit"]'),
  ]);
  const body = await response.json().catch(() => ({}));
  check(`${code} succeeds`, response.status() === 200, `${response.status()} ${body.msg ?? ''}`);
  if (expectStage) {
    await page.waitForFunction(
      (want) => document.querySelector('[data-test="case-stage"]')?.textContent?.trim() === want,
      expectStage,
      { timeout: 15_000 },
    ).catch(() => undefined);
    check(`after ${code} the stage is ${expectStage}`, (await stageText()) === expectStage, await stageText());
  }
}

const pickOption = (test, label) => lib.pickOption(page, test, label);

async function fillIn(test, value) {
  await page.locator(`[data-test="${test}"] input, input[data-test="${test}"], textarea[data-test="${test}"], [data-test="${test}"] textarea`).first().fill(value);
}

function fitForElimination(h) {
  if (['C级', 'D级'].includes(h.housing) || !h.food_clothing_secure) return false;
  if (!Object.values(h.water).every(Boolean)) return false;
  let labour = false;
  for (const m of h.members) {
    if (m.deceased === true) continue;
    if (m.medical_insurance === false) return false;
    if (m.age >= 6 && m.age <= 16 && ['辍学', '非在校生'].includes(m.schooling)) return false;
    if (['技能劳动力', '普通劳动力', '弱劳动力或半劳动力'].includes(m.labour_skill)) labour = true;
  }
  return labour;
}

try {
  let lifeNumber = '';
  let raceNumber = '';
  let caseId = 0;
  let raceId = 0;

  await login('village');
  const list = await (await page.request.get(`${baseUrl}/api/v1/households?page_size=200`)).json();
  const numbers = (list.rows ?? []).map((r) => r.household_number);
  for (const number of numbers) {
    const detail = await (await page.request.get(`${baseUrl}/api/v1/households/${number}`)).json();
    if (detail.data && fitForElimination(detail.data)) {
      lifeNumber = number;
      break;
    }
  }
  raceNumber = numbers.find((n) => n !== lifeNumber) ?? '';
  check('the village has a household fit for elimination and another one', Boolean(lifeNumber && raceNumber), `${numbers.length} households`);

  // 1. The village cadre opens a case from the case list.
  await page.goto(`${baseUrl}/cases/list`);
  await page.waitForSelector('[data-test="case-table"]');
  await page.click('[data-test="open-case"]');
  await fillIn('open-household', lifeNumber);
  await fillIn('open-detail', '农户到村委会口头申请，因病支出较大');
  await shot('10-case-open-dialog');
  await Promise.all([page.waitForURL(/\/cases\/\d+$/), page.click('[data-test="open-submit"]')]);
  caseId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.waitForSelector('[data-test="case-stage"]');
  check('opening leads to the case page at 待入户核实', (await stageText()) === '待入户核实', await stageText());
  check('the detail shows the household summary', (await page.locator('[data-test="household-summary"]').count()) === 1);
  await shot('11-case-detail-verification');

  // A second case for the conflict and overdue checks, opened through the API.
  const opened = await api('POST', '/cases', { household_number: raceNumber, source: 'cadre_visit' });
  raceId = opened.body.data?.id ?? 0;
  check('a second case opens', opened.status === 200, opened.body.msg);

  // 2. Verify with the signed authorisation.
  await doAction('verify', async () => {
    await page.click('[data-test="action-submit"]'); // refused by the form: authorisation not ticked
    await page.waitForSelector('.el-message--warning');
    await page.locator('[data-test="f-authorization"]').click();
    await fillIn('f-note', '已入户核实，授权书已签');
  }, '待信息比对');

  // Conflict: someone else verifies the second case while this page shows version 1.
  await openCasePage(raceId);
  const other = await api('POST', `/cases/${raceId}/actions`, { action: 'verify', expected_version: 1, authorization_signed: true });
  check('the other verify succeeds', other.status === 200, other.body.msg);
  await page.click('[data-test="action-verify"]');
  await page.locator('[data-test="f-authorization"]').click();
  await page.click('[data-test="action-submit"]');
  await page.waitForSelector('[data-test="conflict"]');
  const conflictText = (await page.textContent('[data-test="conflict"]')) ?? '';
  check('a 409 shows 已被他人修改，请刷新', conflictText.includes('已被他人修改，请刷新'), conflictText);
  check('the page reloads to the new stage', (await stageText()) === '待信息比对', await stageText());
  await shot('12-case-conflict');

  // 3. The county compares (the comparison panel shows screening findings and signals).
  await login('county');
  await openCasePage(caseId);
  check('the county sees the comparison panel', (await page.locator('[data-test="comparison"]').count()) === 1);
  await shot('13-case-comparison-county');
  await doAction('compare', () => fillIn('f-note', '已比对医保、民政、残联数据，情况属实'), '待民主评议');

  // 4. The village appraises: the notice starts.
  await login('village');
  await openCasePage(caseId);
  await doAction('appraise', async () => {
    await fillIn('f-votes-for', '15');
    await fillIn('f-votes-against', '1');
  }, '公示中');
  await page.goto(`${baseUrl}/cases/notice`);
  await page.waitForSelector('[data-test="notice-frame"]');
  const frame = page.frameLocator('[data-test="notice-frame"]');
  await frame.locator('h1').waitFor();
  const noticeText = (await frame.locator('body').textContent()) ?? '';
  check('the notice preview lists the household', noticeText.includes(lifeNumber) && noticeText.includes('监测对象识别的公示'), noticeText.slice(0, 80));
  check('the notice preview has no ID number', !/\d{17}[\dXx]/.test(noticeText));
  await page.waitForTimeout(300);
  await shot('14-notice');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.click('[data-test="notice-pdf"]')]);
  const pdfPath = path.join(work, download.suggestedFilename());
  await download.saveAs(pdfPath);
  check('the PDF button downloads a PDF', fs.readFileSync(pdfPath).subarray(0, 5).toString() === '%PDF-', download.suggestedFilename());

  // 5. Five days later the village closes the notice.
  advance(5 * DAY + 3600);
  await login('village');
  await openCasePage(caseId);
  await doAction('close_notice', null, '待乡镇审核');

  // 6. The township reviews.
  await login('township');
  await openCasePage(caseId);
  await doAction('review', () => fillIn('f-note', '乡镇审核通过'), '待县级审定');

  // 7. The county approves with a type and risk codes, then adds a measure.
  await login('county');
  await openCasePage(caseId);
  await doAction('approve', async () => {
    await pickOption('f-type', '边缘易致贫户');
    await page.waitForTimeout(400); // let the type dropdown finish closing
    for (const risk of ['因病', '缺劳动力']) {
      for (let attempt = 0; attempt < 3; attempt++) {
        if ((await page.locator(`[data-test="f-risks"] .el-tag`, { hasText: risk }).count()) > 0) break;
        if ((await page.locator('.el-select-dropdown__item:visible', { hasText: risk }).count()) === 0) {
          await page.click('[data-test="f-risks"]');
        }
        const item = page.locator('.el-select-dropdown__item:visible', { hasText: risk }).first();
        await item.waitFor();
        await page.waitForTimeout(200);
        await item.click();
        await page.waitForTimeout(200);
      }
    }
    await page.keyboard.press('Escape');
    const tags = await page.locator('[data-test="f-risks"] .el-tag').count();
    check('two risk types are chosen', tags === 2, `${tags}`);
    await shot('15-case-approve-dialog');
  }, '监测帮扶中');
  const riskTags = await page.locator('.el-descriptions .el-tag', { hasText: /因病|缺劳动力/ }).count();
  check('the case shows both risk types', riskTags === 2, `${riskTags}`);
  await doAction('add_measure', async () => {
    await pickOption('f-measure-category', '就业');
    await fillIn('f-measure-description', '安排村级公益性岗位');
    await fillIn('f-measure-cadre', '李明');
    await fillIn('f-measure-amount', '6000');
  }, '监测帮扶中');
  check('the plan lists the measure', (await page.locator('[data-test="measure-table"] .el-table__body tr').count()) === 1);

  // 8. The village records visits over more than six months with income above the line.
  await login('village');
  await openCasePage(caseId);
  for (let month = 0; month <= 6; month++) {
    if (month > 0) {
      advance(31 * DAY);
      await login('village');
      await openCasePage(caseId);
    }
    await doAction('record_visit', async () => {
      await fillIn('f-visit-income', String(18000 + month * 150));
      await page.locator('[data-test="f-visit-guarantees"]').click();
      await fillIn('f-visit-note', `第 ${month + 1} 次回访：务工收入稳定`);
    }, '监测帮扶中');
  }
  const unmet = await page.locator('[data-test="preconditions-assisted"] li.unmet').count();
  check('after six months every elimination precondition is met', unmet === 0, `${unmet} unmet`);
  await shot('16-case-monitored-visits');

  // 9. The village proposes assisted elimination (the checklist is shown in the dialog).
  await doAction('propose_elimination', async () => {
    await page.locator('[data-test="f-kind-assisted"]').click();
    await page.waitForSelector('[data-test="dialog-preconditions"]');
    const bad = await page.locator('[data-test="dialog-preconditions"] li.unmet').count();
    check('the dialog checklist shows all preconditions met', bad === 0, `${bad} unmet`);
    await fillIn('f-reason', '家庭人均纯收入连续 6 个月以上稳定高于监测范围');
    await shot('17-propose-elimination');
  }, '风险消除：待民主评议');
  await doAction('appraise', async () => {
    await fillIn('f-votes-for', '14');
  }, '风险消除：公示中');
  advance(5 * DAY + 3600);
  await login('village');
  await openCasePage(caseId);
  await doAction('close_notice', null, '风险消除：待乡镇审核');
  await login('township');
  await openCasePage(caseId);
  await doAction('review', null, '风险消除：待县级审定');
  await login('county');
  await openCasePage(caseId);
  await doAction('approve', () => fillIn('f-note', '同意风险消除'), '已消除风险');
  const events = await page.locator('[data-test="timeline"] .el-timeline-item').count();
  check('the timeline shows every step', events >= 20, `${events} events`);
  await shot('18-case-eliminated');

  // 10. Work queue, overdue, KPIs, quality.
  await page.goto(`${baseUrl}/cases/overdue`);
  await page.waitForSelector('[data-test="overdue-summary"]');
  const overduePixels = await waitPainted('[data-test="overdue-chart"]');
  check('the overdue page draws its chart', overduePixels >= 200, `${overduePixels}`);
  check('the second case is overdue', ((await page.textContent('[data-test="overdue-summary"]')) ?? '').match(/已超期 [1-9]/) !== null);
  await page.waitForTimeout(600);
  await shot('20-overdue');

  await page.goto(`${baseUrl}/cases/kpi`);
  await page.waitForSelector('[data-test="kpi-table"] .el-table__row');
  const monthPixels = await waitPainted('[data-test="kpi-month-chart"]');
  const divisionPixels = await waitPainted('[data-test="kpi-division-chart"]');
  check('the KPI page draws both charts', monthPixels >= 200 && divisionPixels >= 200, `${monthPixels} ${divisionPixels}`);
  await page.waitForTimeout(600);
  await shot('21-kpi');

  await page.goto(`${baseUrl}/cases/quality`);
  await page.waitForSelector('[data-test="quality-table"] .el-table__row');
  const checks = await page.locator('[data-test="quality-table"] .el-table__body tr').count();
  check('the quality page lists every check', checks >= 6, `${checks}`);
  const summary = (await page.textContent('[data-test="quality-summary"]')) ?? '';
  if (/发现 0 个问题/.test(summary)) {
    check('a clean quality report says so', (await page.locator('[data-test="quality-clean"]').count()) === 1, summary);
  } else {
    const n = await waitPainted('[data-test="quality-chart"]', 50);
    check('the quality page draws its chart', n >= 50, `${n}`);
  }
  await page.waitForTimeout(600);
  await shot('22-quality');

  await page.goto(`${baseUrl}/cases/list`);
  await page.waitForSelector('[data-test="case-table"] .el-table__row');
  await page.waitForTimeout(800);
  await shot('23-case-list');

  // The county's queue holds the second case (waiting for comparison, overdue by now).
  await page.goto(`${baseUrl}/cases/queue`);
  await page.waitForSelector('[data-test="queue-table"]');
  await page.waitForSelector('[data-test="queue-badge"]');
  const badge = ((await page.textContent('[data-test="queue-badge"]')) ?? '').trim();
  check('the nav shows the work-queue badge', /\d/.test(badge), badge);
  const queueRows = await page.locator('[data-test="queue-table"] .el-table__body tr').count();
  check('the queue lists the waiting case', queueRows >= 1, `${queueRows}`);
  const overdueCell = ((await page.textContent('[data-test="queue-table"] .el-table__body')) ?? '');
  check('the queue marks it overdue', overdueCell.includes('超期'), overdueCell.slice(0, 80));
  await page.waitForTimeout(800); // tag transitions
  await shot('19-queue');

  check('no uncaught page errors', pageErrors.length === 0, pageErrors.join(' | '));
} catch (e) {
  check('cases flow ran to the end', false, e instanceof Error ? e.message.split('\n')[0] : String(e));
  await shot('99-cases-failure').catch(() => undefined);
} finally {
  await context.close();
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`screenshots: ${shots}`);
lib.finish();
