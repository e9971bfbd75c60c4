// Monitoring cases, work queue, overdue list, notices, KPIs and quality checks (docs/formats/api.md "Cases").
import { request, requestFile, requestPage, type Query } from '@/utils/request';

export type CaseStageCode =
  | 'verification'
  | 'comparison'
  | 'appraisal'
  | 'notice'
  | 'township_review'
  | 'county_approval'
  | 'monitored'
  | 'elimination_appraisal'
  | 'elimination_notice'
  | 'elimination_township_review'
  | 'elimination_approval'
  | 'eliminated'
  | 'rejected';

export type CaseActionCode =
  | 'verify'
  | 'compare'
  | 'appraise'
  | 'raise_objection'
  | 'resolve_objection'
  | 'close_notice'
  | 'review'
  | 'approve'
  | 'reject'
  | 'send_back'
  | 'add_measure'
  | 'record_visit'
  | 'propose_elimination';

export type CaseSourceCode = 'self_application' | 'cadre_visit' | 'department_alert' | 'rule_alert';

export interface CaseMeasure {
  id: number;
  category_code: string;
  description: string;
  responsible_cadre: string;
  amount_yuan: string;
  start_date: string;
  end_date: string;
  recorded_at: number;
  recorded_by: string;
}

export interface CaseVisit {
  id: number;
  visit_date: string;
  per_capita_income_yuan: string;
  guarantees_secured: boolean;
  note: string;
  visited_by: string;
}

export interface CaseObjection {
  id: number;
  raised_at: number;
  summary: string;
  resolved: boolean;
  upheld: boolean;
  resolution: string;
  resolved_by: string;
  resolved_at: number;
}

export interface CaseRecord {
  id: number;
  household_number: string;
  village_code: string;
  village_name: string;
  township_name: string;
  county_name: string;
  source: CaseSourceCode;
  source_name: string;
  source_detail: string;
  stage: CaseStageCode;
  stage_name: string;
  open: boolean;
  version: number;
  opened_at: number;
  due_at: number;
  decided_at: number;
  authorization_signed: boolean;
  verification_note: string;
  comparison_note: string;
  appraisal_for: number;
  appraisal_against: number;
  notice_started_at: number;
  notice_ends_at: number;
  monitoring_type: string;
  risk_codes: string[];
  monitored_since: number;
  elimination_kind: 'none' | 'assisted' | 'natural';
  elimination_kind_name: string;
  elimination_proposed_at: number;
  closed_at: number;
  closed_reason: string;
  measures: CaseMeasure[];
  visits: CaseVisit[];
  objections: CaseObjection[];
  updated_at: number;
  updated_by: string;
}

export interface ActionRef {
  code: CaseActionCode;
  name: string;
}

export interface CaseRow extends Omit<CaseRecord, 'measures' | 'visits' | 'objections'> {
  head_name: string;
  overdue: boolean;
  days_left: number;
  measure_count: number;
  visit_count: number;
  actions?: ActionRef[];
}

export interface CaseEvent {
  seq: number;
  case_id: number;
  at: number;
  actor: string;
  actor_role: string;
  actor_role_name: string;
  action: CaseActionCode | 'open';
  action_name: string;
  from_stage: CaseStageCode;
  from_stage_name: string;
  to_stage: CaseStageCode;
  to_stage_name: string;
  case_version: number;
  reason: string;
  detail: Record<string, unknown> | string;
  hash: string;
}

export interface Precondition {
  code: string;
  label: string;
  met: boolean;
  detail: string;
}

export interface CaseHousehold {
  household_number: string;
  head_name: string;
  head_id_number: string;
  size: number;
  members_with_labour: number;
  ex_poor: boolean;
  safety_net: boolean;
  relocated: boolean;
  housing: string;
  food_clothing_secure: boolean;
  water_secure: boolean;
  incomes: { year: number; per_capita_net_income_yuan: string | null; line_yuan: string | null }[];
}

export interface ScreeningFinding {
  year: number;
  monitoring_type: string;
  monitoring_type_name: string;
  risks: { code: string; name: string }[];
  deprivations: string[];
  per_capita_net_income_yuan: string;
  explanations: string[];
}

export interface DepartmentSignal {
  category: 'alert' | 'review';
  kind: string;
  id_number: string;
  value_yuan: string;
  threshold_yuan: string;
  detail: string;
}

export interface CaseDetail {
  case: CaseRecord;
  events: CaseEvent[];
  household: CaseHousehold | null;
  screening: ScreeningFinding[];
  signals: DepartmentSignal[];
  allowed_actions: ActionRef[];
  elimination_preconditions: Partial<Record<'assisted' | 'natural', Precondition[]>>;
  other_cases: { id: number; stage: CaseStageCode; stage_name: string; opened_at: number; closed_at: number }[];
  deadline: { due_at: number; overdue: boolean; days_left: number };
  notice_over: boolean;
  now: number;
}

export interface CaseQuery {
  division?: string;
  stage?: string;
  open?: 'true' | '';
  overdue?: 'true' | '';
  household_number?: string;
  page?: number;
  page_size?: number;
}

/// The body of POST /cases/{id}/actions (only the fields of the action are read).
export interface ActionBody {
  action: CaseActionCode;
  expected_version: number;
  reason?: string;
  note?: string;
  authorization_signed?: boolean;
  appraisal_for?: number;
  appraisal_against?: number;
  notice_days?: number;
  monitoring_type?: string;
  risk_codes?: string[];
  objection_id?: number;
  upheld?: boolean;
  elimination_kind?: 'assisted' | 'natural';
  measure?: {
    category_code: string;
    description: string;
    responsible_cadre: string;
    amount_yuan: string;
    start_date: string;
    end_date: string;
  };
  visit?: { visit_date: string; per_capita_income_yuan: string; guarantees_secured: boolean; note: string };
}

export interface WorkQueue {
  rows: CaseRow[];
  total: number;
  overdue: number;
  now: number;
}

export interface OverdueCounty {
  county_code: string;
  county_name: string;
  open_identification: number;
  overdue: number;
  cases: CaseRow[];
}

export interface OverdueReport {
  division: { code: string; name: string };
  counties: OverdueCounty[];
  open_identification: number;
  overdue: number;
  now: number;
}

export interface NoticeVillage {
  village_code: string;
  village_name: string;
  township_name: string;
  county_name: string;
  identification: number;
  elimination: number;
}

export interface KpiFigures {
  month?: number;
  label?: string;
  cases_opened: number;
  identification_decisions: number;
  identified: number;
  rejected: number;
  median_decision_days: number | null;
  mean_decision_days: number | null;
  decided_within_limit: number;
  share_within_limit: number | null;
  overdue_open_identification: number;
  newly_monitored: number;
  re_entries: number;
  monitored_at_end: number;
  monitored_with_measure: number;
  measure_coverage: number | null;
  eliminated_assisted: number;
  eliminated_natural: number;
  ever_monitored: number;
  eliminated_to_date: number;
  elimination_rate: number | null;
  measure_amount_yuan: string;
  industry_amount_yuan: string;
  industry_share: number | null;
  measures_started: number;
}

export interface IncomeGrowth {
  available: boolean;
  households: number;
  persons: number;
  per_capita_previous_yuan: string;
  per_capita_current_yuan: string;
  growth: number | null;
}

export interface KpiRow {
  division_code: string;
  division_name: string;
  is_total: boolean;
  year: KpiFigures;
  months: KpiFigures[];
  ex_poor_income: IncomeGrowth;
  rural_income: IncomeGrowth;
}

export interface KpiReport {
  division: { code: string; name: string };
  year: number;
  computed_at: number;
  identification_days_limit: number;
  rows: KpiRow[];
  notes: string[];
}

export interface QualityFinding {
  household_number: string;
  village_code: string;
  village_name: string;
  township_name: string;
  case_id: number;
  detail: string;
}

export interface QualityCheck {
  code: string;
  label: string;
  count: number;
  truncated: boolean;
  findings: QualityFinding[];
}

export interface QualityReport {
  division: { code: string; name: string };
  computed_at: number;
  cases_checked: number;
  total_findings: number;
  checks: QualityCheck[];
}

export function listCases(query: CaseQuery) {
  return requestPage<CaseRow>({ url: '/cases', params: query as Query });
}

export function getCase(id: number | string) {
  return request<CaseDetail>({ url: `/cases/${id}` });
}

export function openCase(householdNumber: string, source: CaseSourceCode, sourceDetail: string) {
  return request<CaseRecord>({
    url: '/cases',
    method: 'POST',
    data: { household_number: householdNumber, source, source_detail: sourceDetail },
  });
}

/// One action; a 409 "已被他人修改" is left to the caller (silent) so the page can offer a refresh.
export function actOnCase(id: number, body: ActionBody) {
  return request<{ case: CaseRecord; allowed_actions: ActionRef[] }>({
    url: `/cases/${id}/actions`,
    method: 'POST',
    data: body,
    silent: true,
  });
}

export function getWorkQueue(silent = false) {
  return request<WorkQueue>({ url: '/work-queue', silent });
}

export function getOverdue(division?: string) {
  return request<OverdueReport>({ url: '/overdue', params: { division } });
}

export function listNoticeVillages(division?: string) {
  return request<NoticeVillage[]>({ url: '/notices', params: { division } });
}

/// URL of the printable notice page (same origin; the session cookie authorises it).
export function noticeUrl(villageCode: string, stage: 'identification' | 'elimination', pdf = false): string {
  return `/api/v1/notices/${encodeURIComponent(villageCode)}${pdf ? '.pdf' : ''}?stage=${stage}`;
}

export function downloadNoticePdf(villageCode: string, stage: 'identification' | 'elimination') {
  return requestFile({ url: noticeUrl(villageCode, stage, true) }, `公示-${villageCode}.pdf`);
}

export function getKpis(division: string | undefined, year?: number) {
  return request<KpiReport>({ url: '/kpis', params: { division, year } });
}

export function getQuality(division?: string) {
  return request<QualityReport>({ url: '/quality', params: { division } });
}

export function exportQuality(division?: string) {
  return requestFile({ url: '/exports/quality', params: { division } }, '数据质量检查.xlsx');
}
