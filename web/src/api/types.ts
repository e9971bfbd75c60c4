// Shapes of the /api/v1 payloads (docs/formats/api.md). Money fields (*_yuan) are decimal strings.

export type Role = 'province' | 'prefecture' | 'county' | 'township' | 'village' | 'department' | 'auditor';

export interface User {
  username: string;
  display_name: string;
  role: Role;
  division_code: string;
  division_name: string;
  must_change_password: boolean;
  disabled: boolean;
  locked: boolean;
  permissions: string[];
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface Division {
  code: string;
  name: string;
  level: number;
  rural: boolean;
  has_children: boolean;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface CodeTables {
  monitoring_types: CodeName[];
  risks: CodeName[];
  /// Assistance measure categories (一户一策), sent by the server since issue 6's pages use them.
  measures?: CodeName[];
  deprivations: { id: string; name: string }[];
  roles: CodeName[];
}

export interface DashboardChild {
  code: string;
  name: string;
  households: number;
  monitored_households: number;
  below_line_households: number;
}

export interface TrendPoint {
  year: number;
  line_yuan: string;
  /// Optional: whether that year's line is an example value (示例值).
  line_is_example?: boolean;
  below_line_households: number;
  monitored_households: number;
  mean_per_capita_yuan: string;
}

export interface Dashboard {
  division: { code: string; name: string; level: number };
  year: number;
  line_yuan: string;
  line_is_example: boolean;
  households: number;
  persons: number;
  ex_poor_households: number;
  ex_poor_persons: number;
  monitored_households: number;
  by_type: { code: string; name: string; households: number }[];
  by_risk: { code: string; name: string; households: number }[];
  income_histogram: { from_yuan: string; to_yuan: string; households: number }[];
  trend: TrendPoint[];
  children: DashboardChild[];
}

export interface HouseholdQuery {
  division?: string;
  year?: number;
  monitoring_type?: string;
  risk?: string;
  income_min_yuan?: string;
  income_max_yuan?: string;
  ex_poor?: 'true' | 'false' | '';
  keyword?: string;
  page?: number;
  page_size?: number;
  sort?: 'household_number' | 'per_capita_net_income' | 'size' | '';
  order?: 'asc' | 'desc' | '';
}

export interface HouseholdRow {
  household_number: string;
  village_code: string;
  village_name: string;
  township_name: string;
  county_name: string;
  head_name: string;
  head_id_number: string;
  size: number;
  ex_poor: boolean;
  per_capita_net_income_yuan: string;
  monitoring_type: string;
  risk_codes: string[];
  row_version: number;
}

export interface Member {
  ordinal: number;
  name: string;
  id_number: string;
  sex: string;
  birth_date: string;
  age: number;
  relation: string;
  ethnicity: string;
  education: string;
  schooling: string;
  health: string;
  disability_grade: string;
  labour_skill: string;
  migrant_work_months: number;
  medical_insurance: boolean | string;
  minimum_living_allowance: boolean | string;
  extreme_hardship: boolean | string;
  deceased: boolean | string;
}

export interface IncomeYear {
  year: number;
  wage_yuan: string;
  business_yuan: string;
  property_yuan: string;
  transfer_yuan: string;
  production_cost_yuan: string;
  compliant_oop_yuan: string;
  net_income_yuan: string;
  per_capita_net_income_yuan: string;
  line_yuan: string;
}

export interface Explanation {
  code?: string;
  name?: string;
  text?: string;
  [key: string]: unknown;
}

export interface Screening {
  year: number;
  monitoring_type: string;
  risk_codes: string[];
  deprivations: string[];
  explanations: (string | Explanation)[];
}

export interface HouseholdDetail extends HouseholdRow {
  phone: string;
  safety_net: boolean | string;
  relocated: boolean | string;
  housing: string;
  water: Record<string, unknown>;
  food_clothing_secure: boolean | string;
  members: Member[];
  years: IncomeYear[];
  screening: Screening | null;
}

export interface ImportError {
  row: number;
  column: string;
  field: string;
  message: string;
}

export interface ImportResult {
  accepted: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  rows: number;
  errors: ImportError[];
  error_count: number;
  report_id: string;
}

export interface UserQuery {
  page?: number;
  page_size?: number;
  keyword?: string;
}

export interface UserForm {
  username: string;
  display_name: string;
  role: Role | '';
  division_code: string;
  password: string;
}

export interface UserUpdate {
  display_name?: string;
  role?: Role;
  division_code?: string;
  disabled?: boolean;
}
