// Permission strings (module:entity:action) the web app checks; the server sends the user's list
// in user.permissions. "*:*:*" grants everything (RuoYi's administrator wildcard), and a "*" in any
// part matches that part.
export const PERMISSIONS = {
  dashboard: 'registry:dashboard:view',
  householdList: 'registry:household:list',
  householdQuery: 'registry:household:query',
  householdUnmask: 'registry:household:unmask',
  householdExport: 'registry:household:export',
  householdImport: 'registry:household:import',
  userList: 'system:user:list',
  userAdd: 'system:user:add',
  userEdit: 'system:user:edit',
  userResetPwd: 'system:user:resetPwd',
  userUnlock: 'system:user:unlock',
  caseList: 'workflow:case:list',
  caseQuery: 'workflow:case:query',
  caseAdd: 'workflow:case:add',
  caseAct: 'workflow:case:act',
  kpiView: 'workflow:kpi:view',
  qualityView: 'workflow:quality:view',
  noticeExport: 'workflow:notice:export',
} as const;

/// Whether `granted` (the user's list) contains `wanted`, honouring "*" parts.
export function permits(granted: readonly string[], wanted: string): boolean {
  const want = wanted.split(':');
  return granted.some((g) => {
    const parts = g.split(':');
    if (parts.length !== want.length) return false;
    return parts.every((p, i) => p === '*' || p === want[i]);
  });
}
