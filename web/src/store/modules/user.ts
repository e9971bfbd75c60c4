// The signed-in user: session probe, login/logout, password change, permission checks.
// Keeps the request module's CSRF token in step with the session.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import type { Role, Session, User } from '@/api/types';
import { setCsrfToken } from '@/utils/request';
import { permits } from '@/utils/permission';

export const useUserStore = defineStore('user', () => {
  const user = ref<User | null>(null);
  const csrfToken = ref('');
  /// Whether the start-up probe (GET /auth/me) has run.
  const probed = ref(false);

  const loggedIn = computed(() => user.value !== null);
  const mustChangePassword = computed(() => user.value?.must_change_password === true);
  const permissions = computed(() => user.value?.permissions ?? []);
  const role = computed<Role | null>(() => user.value?.role ?? null);

  function apply(session: Session) {
    user.value = session.user;
    csrfToken.value = session.csrf_token;
    setCsrfToken(session.csrf_token);
  }

  function clear() {
    user.value = null;
    csrfToken.value = '';
    setCsrfToken('');
  }

  async function login(username: string, password: string) {
    apply(await authApi.login(username.trim(), password));
    probed.value = true;
    return user.value as User;
  }

  /// Restores the session from the cookie; resolves to false when there is none.
  async function probe(): Promise<boolean> {
    try {
      apply(await authApi.getMe());
      return true;
    } catch {
      clear();
      return false;
    } finally {
      probed.value = true;
    }
  }

  async function logout() {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  async function changePassword(oldPassword: string, newPassword: string) {
    await authApi.changePassword(oldPassword, newPassword);
    // The server clears must_change_password (and may rotate the CSRF token): re-read the session.
    apply(await authApi.getMe());
  }

  function can(permission: string): boolean {
    return permits(permissions.value, permission);
  }

  return {
    user,
    csrfToken,
    probed,
    loggedIn,
    mustChangePassword,
    permissions,
    role,
    login,
    probe,
    logout,
    changePassword,
    clear,
    can,
  };
});
