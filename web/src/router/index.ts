import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import Layout from '@/layout/index.vue';
import { PERMISSIONS } from '@/utils/permission';
import { useUserStore } from '@/store/modules/user';
import { pinia } from '@/store';
import { ElMessage } from 'element-plus';
import { t } from '@/locales';

declare module 'vue-router' {
  interface RouteMeta {
    /// Locale key of the page title (menu entry).
    title?: string;
    /// Reachable without a session.
    public?: boolean;
    /// Permission needed (module:entity:action).
    permission?: string;
    /// Element Plus icon name shown in the menu.
    icon?: string;
    /// Listed in the side menu.
    menu?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'Login', component: () => import('@/views/login/index.vue'), meta: { public: true } },
  { path: '/password', name: 'Password', component: () => import('@/views/password/index.vue') },
  {
    path: '/',
    component: Layout,
    redirect: '/dashboard',
    children: [
      {
        path: 'dashboard',
        name: 'Dashboard',
        component: () => import('@/views/dashboard/index.vue'),
        meta: { title: 'menu.dashboard', icon: 'DataAnalysis', menu: true },
      },
      {
        path: 'registry/household',
        name: 'Household',
        component: () => import('@/views/registry/household/index.vue'),
        meta: { title: 'menu.households', icon: 'House', menu: true, permission: PERMISSIONS.householdList },
      },
      {
        path: 'registry/household/:number',
        name: 'HouseholdDetail',
        component: () => import('@/views/registry/detail/index.vue'),
        meta: { title: 'menu.householdDetail', permission: PERMISSIONS.householdQuery },
      },
      {
        path: 'cases/queue',
        name: 'CaseQueue',
        component: () => import('@/views/cases/queue/index.vue'),
        meta: { title: 'menu.queue', icon: 'Bell', menu: true, permission: PERMISSIONS.caseList },
      },
      {
        path: 'cases/list',
        name: 'CaseList',
        component: () => import('@/views/cases/list/index.vue'),
        meta: { title: 'menu.cases', icon: 'Tickets', menu: true, permission: PERMISSIONS.caseList },
      },
      {
        path: 'cases/:id(\\d+)',
        name: 'CaseDetail',
        component: () => import('@/views/cases/detail/index.vue'),
        meta: { title: 'menu.caseDetail', permission: PERMISSIONS.caseQuery },
      },
      {
        path: 'cases/notice',
        name: 'CaseNotice',
        component: () => import('@/views/cases/notice/index.vue'),
        meta: { title: 'menu.notice', icon: 'Document', menu: true, permission: PERMISSIONS.noticeExport },
      },
      {
        path: 'cases/overdue',
        name: 'CaseOverdue',
        component: () => import('@/views/cases/overdue/index.vue'),
        meta: { title: 'menu.overdue', icon: 'AlarmClock', menu: true, permission: PERMISSIONS.caseList },
      },
      {
        path: 'cases/kpi',
        name: 'CaseKpi',
        component: () => import('@/views/cases/kpi/index.vue'),
        meta: { title: 'menu.kpi', icon: 'TrendCharts', menu: true, permission: PERMISSIONS.kpiView },
      },
      {
        path: 'cases/quality',
        name: 'CaseQuality',
        component: () => import('@/views/cases/quality/index.vue'),
        meta: { title: 'menu.quality', icon: 'CircleCheck', menu: true, permission: PERMISSIONS.qualityView },
      },
      {
        path: 'import/household',
        name: 'Import',
        component: () => import('@/views/import/household/index.vue'),
        meta: { title: 'menu.import', icon: 'Upload', menu: true, permission: PERMISSIONS.householdImport },
      },
      {
        path: 'system/user',
        name: 'User',
        component: () => import('@/views/system/user/index.vue'),
        meta: { title: 'menu.users', icon: 'User', menu: true, permission: PERMISSIONS.userList },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const userStore = useUserStore(pinia);
  if (!userStore.probed) await userStore.probe();
  if (to.meta.public) {
    return userStore.loggedIn && to.name === 'Login' ? { path: '/' } : true;
  }
  if (!userStore.loggedIn) return { name: 'Login', query: { redirect: to.fullPath } };
  if (userStore.mustChangePassword && to.name !== 'Password') return { name: 'Password' };
  if (to.meta.permission && !userStore.can(to.meta.permission)) {
    ElMessage.error(t('app.noPermission'));
    return to.name === 'Dashboard' ? false : { name: 'Dashboard' };
  }
  return true;
});
