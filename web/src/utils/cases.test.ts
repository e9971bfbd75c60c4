import { describe, expect, it } from 'vitest';
import {
  actionFields,
  buildActionBody,
  deadlineText,
  emptyActionForm,
  formatDate,
  formatDateTime,
  isConflict,
  stageTagType,
} from './cases';
import { ApiError } from './request';

describe('Beijing time formatting', () => {
  it('formats Unix seconds in UTC+8', () => {
    // 2025-03-01T16:30:00Z is 2025-03-02 00:30 in Beijing.
    const t = Date.UTC(2025, 2, 1, 16, 30) / 1000;
    expect(formatDate(t)).toBe('2025-03-02');
    expect(formatDateTime(t)).toBe('2025-03-02 00:30');
    expect(formatDate(0)).toBe('');
    expect(formatDateTime(0)).toBe('');
  });
});

describe('deadlineText', () => {
  it('says how many days are left or overdue', () => {
    expect(deadlineText(3, false)).toBe('剩 3 天');
    expect(deadlineText(0, false)).toBe('今天到期');
    expect(deadlineText(-2, true)).toBe('超期 2 天');
    expect(deadlineText(0, true)).toBe('超期 1 天');
  });
});

describe('stageTagType', () => {
  it('colours closed, monitored and notice stages', () => {
    expect(stageTagType('eliminated')).toBe('success');
    expect(stageTagType('rejected')).toBe('info');
    expect(stageTagType('notice')).toBe('warning');
    expect(stageTagType('verification')).toBe('danger');
  });
});

describe('actionFields', () => {
  it('asks for type and risks only at identification approval', () => {
    expect(actionFields('approve', 'county_approval')).toEqual(['monitoringType', 'riskCodes', 'note']);
    expect(actionFields('approve', 'elimination_approval')).toEqual(['note']);
    expect(actionFields('reject', 'comparison')).toEqual(['reason']);
    expect(actionFields('propose_elimination', 'monitored')).toEqual(['eliminationKind', 'reason']);
  });
});

describe('buildActionBody', () => {
  const form = () => emptyActionForm('2025-03-01');

  it('requires the signed authorisation to verify', () => {
    const f = form();
    expect(buildActionBody('verify', 'verification', 1, f)).toEqual({ error: '入户核实须先由农户签署授权书' });
    f.authorization_signed = true;
    f.note = ' 已核实 ';
    expect(buildActionBody('verify', 'verification', 1, f)).toEqual({
      body: { action: 'verify', expected_version: 1, authorization_signed: true, note: '已核实' },
    });
  });

  it('requires a reason for reject and send back', () => {
    const f = form();
    expect('error' in buildActionBody('reject', 'comparison', 2, f)).toBe(true);
    f.reason = '材料不全';
    expect(buildActionBody('send_back', 'comparison', 2, f)).toEqual({
      body: { action: 'send_back', expected_version: 2, reason: '材料不全' },
    });
  });

  it('checks votes and the five-day minimum notice', () => {
    const f = form();
    expect('error' in buildActionBody('appraise', 'appraisal', 3, f)).toBe(true);
    f.appraisal_for = 12;
    f.notice_days = 4;
    expect(buildActionBody('appraise', 'appraisal', 3, f)).toEqual({ error: '公示不少于 5 天' });
    f.notice_days = 7;
    expect(buildActionBody('appraise', 'appraisal', 3, f)).toEqual({
      body: { action: 'appraise', expected_version: 3, appraisal_for: 12, appraisal_against: 0, notice_days: 7 },
    });
  });

  it('allows one to five risk codes at approval', () => {
    const f = form();
    f.monitoring_type = '100A03002';
    expect(buildActionBody('approve', 'county_approval', 6, f)).toEqual({ error: '请选择 1 至 5 项风险类型' });
    f.risk_codes = ['01', '02', '03', '04', '05', '06'];
    expect('error' in buildActionBody('approve', 'county_approval', 6, f)).toBe(true);
    f.risk_codes = ['01', '04'];
    const built = buildActionBody('approve', 'county_approval', 6, f);
    expect(built).toEqual({
      body: { action: 'approve', expected_version: 6, monitoring_type: '100A03002', risk_codes: ['01', '04'] },
    });
  });

  it('validates measure amounts and dates', () => {
    const f = form();
    f.measure = { category_code: '100A39', description: '', responsible_cadre: '张三', amount_yuan: '12.345', start_date: '2025-03-01', end_date: '' };
    expect(buildActionBody('add_measure', 'monitored', 9, f)).toEqual({ error: '帮扶金额应为元，最多两位小数' });
    f.measure.amount_yuan = '5000.5';
    f.measure.end_date = '2025-02-01';
    expect(buildActionBody('add_measure', 'monitored', 9, f)).toEqual({ error: '结束日期不能早于开始日期' });
    f.measure.end_date = '2025-12-31';
    const built = buildActionBody('add_measure', 'monitored', 9, f);
    expect('body' in built && built.body.measure?.amount_yuan).toBe('5000.5');
  });

  it('needs income at a visit and a kind to propose elimination', () => {
    const f = form();
    expect(buildActionBody('record_visit', 'monitored', 9, f)).toEqual({ error: '人均纯收入应为元，最多两位小数' });
    f.visit.per_capita_income_yuan = '18000';
    expect('body' in buildActionBody('record_visit', 'monitored', 9, f)).toBe(true);
    f.reason = '收入稳定';
    expect(buildActionBody('propose_elimination', 'monitored', 9, f)).toEqual({ error: '请选择风险消除方式' });
    f.elimination_kind = 'assisted';
    expect(buildActionBody('propose_elimination', 'monitored', 9, f)).toEqual({
      body: { action: 'propose_elimination', expected_version: 9, elimination_kind: 'assisted', reason: '收入稳定' },
    });
  });
});

describe('isConflict', () => {
  it('recognises only the 409 conflict', () => {
    expect(isConflict(new ApiError(409, '案件已被他人修改，请刷新后重试'))).toBe(true);
    expect(isConflict(new ApiError(409, '公示期未满'))).toBe(false);
    expect(isConflict(new ApiError(403, '已被他人修改'))).toBe(false);
    expect(isConflict(new Error('x'))).toBe(false);
  });
});
