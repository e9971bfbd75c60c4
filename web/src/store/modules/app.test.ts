import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

vi.mock('element-plus', () => ({ ElMessage: { error: vi.fn(), warning: vi.fn(), success: vi.fn() } }));
const api = vi.hoisted(() => ({ getCodeTables: vi.fn(), listDivisionChildren: vi.fn() }));
vi.mock('@/api/division', () => api);

import { DEFAULT_YEAR, useAppStore } from './app';

const tables = {
  monitoring_types: [{ code: '100A03001', name: '脱贫不稳定户' }],
  risks: [{ code: 'R01', name: '因病' }],
  deprivations: [],
  roles: [],
};

beforeEach(() => {
  setActivePinia(createPinia());
  api.getCodeTables.mockReset();
});

describe('app store', () => {
  it('defaults to 2025 and accepts only 2021–2025', () => {
    const store = useAppStore();
    expect(store.year).toBe(DEFAULT_YEAR);
    expect(DEFAULT_YEAR).toBe(2025);
    store.setYear(2021);
    expect(store.year).toBe(2021);
    store.setYear(2019);
    store.setYear(2026);
    expect(store.year).toBe(2021);
  });

  it('loads code tables once for concurrent callers and names risks', async () => {
    api.getCodeTables.mockResolvedValue(tables);
    const store = useAppStore();
    const [a, b] = await Promise.all([store.loadCodeTables(), store.loadCodeTables()]);
    expect(a).toBe(b);
    await store.loadCodeTables();
    expect(api.getCodeTables).toHaveBeenCalledTimes(1);
    expect(store.riskName('R01')).toBe('因病');
    expect(store.riskName('R99')).toBe('R99');
  });

  it('retries code tables after a failure', async () => {
    api.getCodeTables.mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(tables);
    const store = useAppStore();
    await expect(store.loadCodeTables()).rejects.toThrow('boom');
    await expect(store.loadCodeTables()).resolves.toEqual(tables);
  });

  it('remembers a copy of the list filters', () => {
    const store = useAppStore();
    const filters = { ex_poor: 'true' as const, page: 3 };
    store.rememberFilters(filters);
    filters.page = 9;
    expect(store.householdFilters).toEqual({ ex_poor: 'true', page: 3 });
  });
});
