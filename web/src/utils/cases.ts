// Case helpers shared by the workflow pages: Beijing-time formatting of Unix seconds, deadline text,
// which form fields each action needs, and turning the action form into the API body with the same
// checks the server makes (so the user sees the problem before sending; the server checks again).
import type { ActionBody, CaseActionCode, CaseStageCode } from '@/api/cases';
import { ApiError } from '@/utils/request';

const BEIJING_OFFSET = 8 * 3600;
export const MIN_NOTICE_DAYS = 5;
export const MAX_RISK_CODES = 5;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/// Unix seconds → "2025-03-02" in Beijing time; 0 → "".
export function formatDate(seconds: number): string {
  if (!seconds) return '';
  const d = new Date((seconds + BEIJING_OFFSET) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/// Unix seconds → "2025-03-02 14:05" in Beijing time; 0 → "".
export function formatDateTime(seconds: number): string {
  if (!seconds) return '';
  const d = new Date((seconds + BEIJING_OFFSET) * 1000);
  return `${formatDate(seconds)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/// Deadline wording: "剩 3 天", "今天到期", "超期 2 天".
export function deadlineText(daysLeft: number, overdue: boolean): string {
  if (overdue) return `超期 ${Math.max(1, -daysLeft)} 天`;
  if (daysLeft <= 0) return '今天到期';
  return `剩 ${daysLeft} 天`;
}

/// Stage → tag colour of Element Plus.
export function stageTagType(stage: CaseStageCode): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  if (stage === 'eliminated') return 'success';
  if (stage === 'rejected') return 'info';
  if (stage === 'monitored') return 'primary';
  if (stage === 'notice' || stage === 'elimination_notice') return 'warning';
  return 'danger';
}

/// Identification stages for the list filter, in procedure order.
export const STAGES: CaseStageCode[] = [
  'verification',
  'comparison',
  'appraisal',
  'notice',
  'township_review',
  'county_approval',
  'monitored',
  'elimination_appraisal',
  'elimination_notice',
  'elimination_township_review',
  'elimination_approval',
  'eliminated',
  'rejected',
];

/// Actions that must say why.
export const REASON_REQUIRED: ReadonlySet<CaseActionCode> = new Set<CaseActionCode>([
  'reject',
  'send_back',
  'raise_objection',
  'resolve_objection',
  'propose_elimination',
]);

export type ActionField =
  | 'authorization'
  | 'note'
  | 'votes'
  | 'noticeDays'
  | 'monitoringType'
  | 'riskCodes'
  | 'objection'
  | 'measure'
  | 'visit'
  | 'eliminationKind'
  | 'reason';

/// The form fields an action needs (approve asks for type and risks only at identification).
export function actionFields(action: CaseActionCode, stage: CaseStageCode): ActionField[] {
  const fields: ActionField[] = [];
  switch (action) {
    case 'verify':
      fields.push('authorization', 'note');
      break;
    case 'compare':
    case 'review':
      fields.push('note');
      break;
    case 'appraise':
      fields.push('votes', 'noticeDays');
      break;
    case 'approve':
      if (stage === 'county_approval') fields.push('monitoringType', 'riskCodes');
      fields.push('note');
      break;
    case 'resolve_objection':
      fields.push('objection');
      break;
    case 'add_measure':
      fields.push('measure');
      break;
    case 'record_visit':
      fields.push('visit');
      break;
    case 'propose_elimination':
      fields.push('eliminationKind');
      break;
    default:
      break;
  }
  if (REASON_REQUIRED.has(action)) fields.push('reason');
  return fields;
}

/// Everything the action dialog can hold.
export interface ActionForm {
  reason: string;
  note: string;
  authorization_signed: boolean;
  appraisal_for: number;
  appraisal_against: number;
  notice_days: number;
  monitoring_type: string;
  risk_codes: string[];
  objection_id: number | null;
  upheld: boolean;
  elimination_kind: 'assisted' | 'natural' | '';
  measure: { category_code: string; description: string; responsible_cadre: string; amount_yuan: string; start_date: string; end_date: string };
  visit: { visit_date: string; per_capita_income_yuan: string; guarantees_secured: boolean; note: string };
}

export function emptyActionForm(today: string): ActionForm {
  return {
    reason: '',
    note: '',
    authorization_signed: false,
    appraisal_for: 0,
    appraisal_against: 0,
    notice_days: MIN_NOTICE_DAYS,
    monitoring_type: '',
    risk_codes: [],
    objection_id: null,
    upheld: false,
    elimination_kind: '',
    measure: { category_code: '', description: '', responsible_cadre: '', amount_yuan: '', start_date: today, end_date: '' },
    visit: { visit_date: today, per_capita_income_yuan: '', guarantees_secured: false, note: '' },
  };
}

const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

/// The API body for `action`, or the first problem (Chinese) with the form.
export function buildActionBody(
  action: CaseActionCode,
  stage: CaseStageCode,
  version: number,
  form: ActionForm,
): { body: ActionBody } | { error: string } {
  const fields = actionFields(action, stage);
  const body: ActionBody = { action, expected_version: version };
  if (fields.includes('reason')) {
    if (!form.reason.trim()) return { error: '请填写理由' };
    body.reason = form.reason.trim();
  }
  if (fields.includes('note') && form.note.trim()) body.note = form.note.trim();
  if (fields.includes('authorization')) {
    if (!form.authorization_signed) return { error: '入户核实须先由农户签署授权书' };
    body.authorization_signed = true;
  }
  if (fields.includes('votes')) {
    if (form.appraisal_for < 0 || form.appraisal_against < 0 || form.appraisal_for + form.appraisal_against === 0) {
      return { error: '请填写民主评议的赞成和反对票数' };
    }
    body.appraisal_for = form.appraisal_for;
    body.appraisal_against = form.appraisal_against;
  }
  if (fields.includes('noticeDays')) {
    if (form.notice_days < MIN_NOTICE_DAYS) return { error: `公示不少于 ${MIN_NOTICE_DAYS} 天` };
    body.notice_days = form.notice_days;
  }
  if (fields.includes('monitoringType')) {
    if (!form.monitoring_type) return { error: '请选择监测类型' };
    body.monitoring_type = form.monitoring_type;
  }
  if (fields.includes('riskCodes')) {
    if (form.risk_codes.length < 1 || form.risk_codes.length > MAX_RISK_CODES) {
      return { error: `请选择 1 至 ${MAX_RISK_CODES} 项风险类型` };
    }
    body.risk_codes = [...form.risk_codes];
  }
  if (fields.includes('objection')) {
    if (!form.objection_id) return { error: '请选择要处理的异议' };
    body.objection_id = form.objection_id;
    body.upheld = form.upheld;
  }
  if (fields.includes('measure')) {
    const m = form.measure;
    if (!m.category_code) return { error: '请选择帮扶措施类别' };
    if (!m.responsible_cadre.trim()) return { error: '请填写帮扶责任人' };
    if (!MONEY.test(m.amount_yuan.trim())) return { error: '帮扶金额应为元，最多两位小数' };
    if (!m.start_date) return { error: '请填写开始日期' };
    if (m.end_date && m.end_date < m.start_date) return { error: '结束日期不能早于开始日期' };
    body.measure = { ...m, responsible_cadre: m.responsible_cadre.trim(), amount_yuan: m.amount_yuan.trim() };
  }
  if (fields.includes('visit')) {
    const v = form.visit;
    if (!v.visit_date) return { error: '请填写回访日期' };
    if (!MONEY.test(v.per_capita_income_yuan.trim())) return { error: '人均纯收入应为元，最多两位小数' };
    body.visit = { ...v, per_capita_income_yuan: v.per_capita_income_yuan.trim() };
  }
  if (fields.includes('eliminationKind')) {
    if (!form.elimination_kind) return { error: '请选择风险消除方式' };
    body.elimination_kind = form.elimination_kind;
  }
  return { body };
}

/// Whether a failed call is the optimistic-concurrency conflict (someone else changed the case).
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 409 && error.message.includes('已被他人修改');
}
