// Page-wide choices: the year shown (2021–2025, default 2025), the code tables, and the household
// list's current filters (the import page exports with them).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { getCodeTables } from '@/api/division';
import type { CodeTables, HouseholdQuery } from '@/api/types';

export const YEARS = [2021, 2022, 2023, 2024, 2025] as const;
export const DEFAULT_YEAR = 2025;

export const useAppStore = defineStore('app', () => {
  const year = ref<number>(DEFAULT_YEAR);
  const codeTables = ref<CodeTables | null>(null);
  const householdFilters = ref<HouseholdQuery | null>(null);
  let loading: Promise<CodeTables> | null = null;

  function setYear(next: number) {
    if ((YEARS as readonly number[]).includes(next)) year.value = next;
  }

  /// Loads the code tables once; concurrent callers share one request.
  async function loadCodeTables(): Promise<CodeTables> {
    if (codeTables.value) return codeTables.value;
    loading ??= getCodeTables().then(
      (tables) => {
        codeTables.value = tables;
        return tables;
      },
      (err) => {
        loading = null;
        throw err;
      },
    );
    return loading;
  }

  function riskName(code: string): string {
    return codeTables.value?.risks.find((r) => r.code === code)?.name ?? code;
  }

  function rememberFilters(filters: HouseholdQuery) {
    householdFilters.value = { ...filters };
  }

  return { year, codeTables, householdFilters, setYear, loadCodeTables, riskName, rememberFilters };
});
