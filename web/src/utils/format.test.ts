import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent, formatYuan } from './format';

describe('formatYuan', () => {
  it('groups thousands and keeps two decimals without float rounding', () => {
    expect(formatYuan('5820.00')).toBe('5,820.00');
    expect(formatYuan('1234567.5')).toBe('1,234,567.50');
    expect(formatYuan('90071992547409.99')).toBe('90,071,992,547,409.99');
    expect(formatYuan('-300')).toBe('-300.00');
    expect(formatYuan(7800)).toBe('7,800.00');
  });
  it('shows a dash for missing or malformed values', () => {
    expect(formatYuan('')).toBe('—');
    expect(formatYuan(null)).toBe('—');
    expect(formatYuan('12a')).toBe('—');
  });
});

describe('formatCount / formatPercent', () => {
  it('formats counts and shares', () => {
    expect(formatCount(600000)).toBe('600,000');
    expect(formatPercent(1, 3)).toBe('33.3%');
    expect(formatPercent(1, 0)).toBe('—');
  });
});
