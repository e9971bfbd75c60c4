import { request } from '@/utils/request';
import type { Session } from '@/api/types';

/// POST /auth/login — wrong credentials answer 401/429 with a message; no redirect.
export function login(username: string, password: string): Promise<Session> {
  return request<Session>({ url: '/auth/login', method: 'POST', data: { username, password }, noAuthRedirect: true });
}

export function logout(): Promise<null> {
  return request<null>({ url: '/auth/logout', method: 'POST', noAuthRedirect: true, silent: true });
}

/// GET /auth/me — the session probe at start-up: silent, no redirect.
export function getMe(): Promise<Session> {
  return request<Session>({ url: '/auth/me', silent: true, noAuthRedirect: true });
}

export function changePassword(old_password: string, new_password: string): Promise<null> {
  return request<null>({ url: '/auth/password', method: 'POST', data: { old_password, new_password } });
}
