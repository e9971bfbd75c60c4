import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

vi.mock('element-plus', () => ({ ElMessage: { error: vi.fn(), warning: vi.fn(), success: vi.fn() } }));
const api = vi.hoisted(() => ({ login: vi.fn(), logout: vi.fn(), getMe: vi.fn(), changePassword: vi.fn() }));
vi.mock('@/api/auth', () => api);

import { useUserStore } from './user';
import { getCsrfToken } from '@/utils/request';
import type { User } from '@/api/types';

function user(over: Partial<User> = {}): User {
  return {
    username: 'admin',
    display_name: '省级管理员',
    role: 'province',
    division_code: '630000000000',
    division_name: '青海省',
    must_change_password: false,
    disabled: false,
    locked: false,
    permissions: ['registry:household:list', 'system:user:*'],
    ...over,
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  for (const fn of Object.values(api)) fn.mockReset();
});

describe('user store', () => {
  it('login stores the user and hands the CSRF token to the request module', async () => {
    api.login.mockResolvedValue({ user: user(), csrf_token: 'csrf-1' });
    const store = useUserStore();
    await store.login(' admin ', 'pw');
    expect(api.login).toHaveBeenCalledWith('admin', 'pw');
    expect(store.loggedIn).toBe(true);
    expect(store.csrfToken).toBe('csrf-1');
    expect(getCsrfToken()).toBe('csrf-1');
    expect(store.probed).toBe(true);
  });

  it('checks permissions with wildcards', async () => {
    api.login.mockResolvedValue({ user: user(), csrf_token: 'c' });
    const store = useUserStore();
    await store.login('admin', 'pw');
    expect(store.can('registry:household:list')).toBe(true);
    expect(store.can('registry:household:export')).toBe(false);
    expect(store.can('system:user:resetPwd')).toBe(true);
    expect(store.can('system:user')).toBe(false);
  });

  it('the administrator wildcard grants everything', async () => {
    api.login.mockResolvedValue({ user: user({ permissions: ['*:*:*'] }), csrf_token: 'c' });
    const store = useUserStore();
    await store.login('admin', 'pw');
    expect(store.can('registry:household:unmask')).toBe(true);
  });

  it('probe restores a session, or clears on failure', async () => {
    const store = useUserStore();
    api.getMe.mockResolvedValueOnce({ user: user({ must_change_password: true }), csrf_token: 'c2' });
    expect(await store.probe()).toBe(true);
    expect(store.mustChangePassword).toBe(true);
    api.getMe.mockRejectedValueOnce(new Error('401'));
    expect(await store.probe()).toBe(false);
    expect(store.user).toBeNull();
    expect(getCsrfToken()).toBe('');
  });

  it('changePassword re-reads the session so the flag clears', async () => {
    const store = useUserStore();
    api.login.mockResolvedValue({ user: user({ must_change_password: true }), csrf_token: 'a' });
    await store.login('admin', 'old');
    api.changePassword.mockResolvedValue(null);
    api.getMe.mockResolvedValue({ user: user(), csrf_token: 'b' });
    await store.changePassword('old', 'new-Password-1');
    expect(api.changePassword).toHaveBeenCalledWith('old', 'new-Password-1');
    expect(store.mustChangePassword).toBe(false);
    expect(getCsrfToken()).toBe('b');
  });

  it('logout clears the session even when the call fails', async () => {
    const store = useUserStore();
    api.login.mockResolvedValue({ user: user(), csrf_token: 'a' });
    await store.login('admin', 'pw');
    api.logout.mockRejectedValue(new Error('network'));
    await expect(store.logout()).rejects.toThrow('network');
    expect(store.user).toBeNull();
    expect(getCsrfToken()).toBe('');
  });
});
