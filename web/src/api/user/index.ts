import { request, requestPage } from '@/utils/request';
import type { User, UserForm, UserQuery, UserUpdate } from '@/api/types';

export function listUser(query: UserQuery) {
  return requestPage<User>({ url: '/users', params: { ...query } });
}

export function addUser(form: UserForm) {
  return request<User>({ url: '/users', method: 'POST', data: form });
}

export function updateUser(username: string, update: UserUpdate) {
  return request<User>({ url: `/users/${encodeURIComponent(username)}`, method: 'PUT', data: update });
}

export function resetUserPassword(username: string, password: string) {
  return request<null>({
    url: `/users/${encodeURIComponent(username)}/reset-password`,
    method: 'POST',
    data: { password },
  });
}

export function unlockUser(username: string) {
  return request<null>({ url: `/users/${encodeURIComponent(username)}/unlock`, method: 'POST' });
}
