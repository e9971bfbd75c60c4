import { request } from '@/utils/request';
import type { CodeTables, Division } from '@/api/types';

/// Children of `parent`; without it, the user's own division's children.
export function listDivisionChildren(parent?: string) {
  return request<Division[]>({ url: '/divisions/children', params: { parent } });
}

export function getCodeTables() {
  return request<CodeTables>({ url: '/code-tables' });
}
