import { request, requestFile, requestPage, type Query } from '@/utils/request';
import type { Dashboard, HouseholdDetail, HouseholdQuery, HouseholdRow } from '@/api/types';

export function getDashboard(division: string | undefined, year: number) {
  return request<Dashboard>({ url: '/dashboard', params: { division, year } });
}

export function listHousehold(query: HouseholdQuery) {
  return requestPage<HouseholdRow>({ url: '/households', params: query as Query });
}

export function getHousehold(householdNumber: string, year: number) {
  return request<HouseholdDetail>({ url: `/households/${encodeURIComponent(householdNumber)}`, params: { year } });
}

/// Reveals one masked field; the server audits each call.
export function unmaskHousehold(householdNumber: string, field: 'id_number' | 'phone', ordinal?: number) {
  return request<{ value: string }>({
    url: `/households/${encodeURIComponent(householdNumber)}/unmask`,
    method: 'POST',
    data: ordinal === undefined ? { field } : { field, ordinal },
  });
}

/// The household list with the list's filters (no paging) as a file.
export function exportHousehold(query: HouseholdQuery, format: 'xlsx' | 'csv') {
  const { page: _page, page_size: _size, ...filters } = query;
  void _page;
  void _size;
  return requestFile({ url: '/exports/households', params: { ...(filters as Query), format } }, `households.${format}`);
}
