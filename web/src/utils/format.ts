// Number formatting for Chinese readers: thousands separators, money as yuan with two decimals.
// Money arrives from the API as decimal strings ("5820.00"); it is formatted without going
// through a float where possible so nothing rounds.

/// "1234567.5" / 1234567.5 → "1,234,567.50". Empty or invalid input → "—".
export function formatYuan(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'number' ? value.toFixed(2) : String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return '—';
  const [, sign, whole, frac = ''] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${(frac + '00').slice(0, 2)}`;
}

/// Integer counts with thousands separators: 1234567 → "1,234,567".
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Math.round(value).toLocaleString('zh-CN');
}

/// Share as a percentage with one decimal: (1, 3) → "33.3%".
export function formatPercent(part: number, whole: number): string {
  if (!whole) return '—';
  return `${((part * 100) / whole).toFixed(1)}%`;
}

/// Yuan string → number for charts (never used to compute money shown as text).
export function yuanToNumber(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
