import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const messages = vi.hoisted(() => ({ error: vi.fn(), warning: vi.fn(), success: vi.fn() }));
vi.mock('element-plus', () => ({ ElMessage: messages }));

import {
  ApiError,
  buildUrl,
  fileNameFromDisposition,
  request,
  requestFile,
  requestPage,
  setCsrfToken,
  setRequestHooks,
} from './request';

type FetchArgs = [string, RequestInit];
const fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>();

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  messages.error.mockReset();
  messages.warning.mockReset();
  setCsrfToken('');
  setRequestHooks({ onUnauthorized: () => {}, onMustChangePassword: () => {} });
});
afterEach(() => vi.unstubAllGlobals());

describe('buildUrl', () => {
  it('prefixes /api/v1 and drops empty parameters', () => {
    expect(buildUrl('/households', { page: 1, keyword: '', risk: undefined, ex_poor: false, division: null })).toBe(
      '/api/v1/households?page=1&ex_poor=false',
    );
    expect(buildUrl('/dashboard')).toBe('/api/v1/dashboard');
  });
  it('encodes Chinese keywords', () => {
    expect(buildUrl('/households', { keyword: '扎西' })).toBe('/api/v1/households?keyword=%E6%89%8E%E8%A5%BF');
  });
});

describe('request', () => {
  it('unwraps {code,msg,data}', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { code: 0, msg: '成功', data: { households: 3 } }));
    await expect(request({ url: '/dashboard' })).resolves.toEqual({ households: 3 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/dashboard');
    expect(init.credentials).toBe('include');
  });

  it('unwraps {code,msg,rows,total}', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { code: 0, msg: '成功', rows: [{ a: 1 }, { a: 2 }], total: 57 }));
    await expect(requestPage({ url: '/households' })).resolves.toEqual({ rows: [{ a: 1 }, { a: 2 }], total: 57 });
  });

  it('sends X-CSRF-Token on POST and PUT but not on GET', async () => {
    setCsrfToken('tok-123');
    fetchMock.mockImplementation(async () => jsonResponse(200, { code: 0, msg: '成功', data: null }));
    await request({ url: '/users/a', method: 'PUT', data: { role: 'county' } });
    await request({ url: '/auth/logout', method: 'POST' });
    await request({ url: '/auth/me' });
    const headers = fetchMock.mock.calls.map(([, init]) => init.headers as Record<string, string>);
    expect(headers[0]['X-CSRF-Token']).toBe('tok-123');
    expect(headers[0]['Content-Type']).toBe('application/json');
    expect(fetchMock.mock.calls[0][1].body).toBe('{"role":"county"}');
    expect(headers[1]['X-CSRF-Token']).toBe('tok-123');
    expect(headers[2]['X-CSRF-Token']).toBeUndefined();
  });

  it('sends a File as the raw body with its own headers', async () => {
    setCsrfToken('t');
    fetchMock.mockResolvedValue(jsonResponse(200, { code: 0, msg: '成功', data: {} }));
    const blob = new Blob(['a,b\n1,2\n']);
    await request({ url: '/imports/households', method: 'POST', data: blob, headers: { 'X-File-Name': 'x.csv' } });
    const init = fetchMock.mock.calls[0][1];
    expect(init.body).toBe(blob);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/octet-stream');
    expect((init.headers as Record<string, string>)['X-File-Name']).toBe('x.csv');
  });

  it('shows msg and rejects with the code on an error envelope', async () => {
    fetchMock.mockResolvedValue(jsonResponse(422, { code: 422, msg: '第 3 行 O 列“证件号码”校验位错误' }));
    const err = await request({ url: '/x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect(messages.error).toHaveBeenCalledWith('第 3 行 O 列“证件号码”校验位错误');
  });

  it('treats code != 0 with HTTP 200 as an error too', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { code: 409, msg: '用户名已存在' }));
    await expect(request({ url: '/users', method: 'POST', data: {} })).rejects.toMatchObject({ code: 409 });
  });

  it('on 401 calls the unauthorized hook (login page)', async () => {
    const onUnauthorized = vi.fn();
    setRequestHooks({ onUnauthorized });
    fetchMock.mockResolvedValue(jsonResponse(401, { code: 401, msg: '登录已过期' }));
    await expect(request({ url: '/households' })).rejects.toMatchObject({ code: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not redirect on 401 when told not to (login, session probe)', async () => {
    const onUnauthorized = vi.fn();
    setRequestHooks({ onUnauthorized });
    fetchMock.mockResolvedValue(jsonResponse(401, { code: 401, msg: '用户名或密码错误' }));
    await expect(request({ url: '/auth/login', method: 'POST', data: {}, noAuthRedirect: true })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(messages.error).toHaveBeenCalledWith('用户名或密码错误');
  });

  it('on 403 请先修改初始密码 goes to the password page', async () => {
    const onMustChangePassword = vi.fn();
    const onUnauthorized = vi.fn();
    setRequestHooks({ onMustChangePassword, onUnauthorized });
    fetchMock.mockResolvedValue(jsonResponse(403, { code: 403, msg: '请先修改初始密码' }));
    await expect(request({ url: '/dashboard' })).rejects.toMatchObject({ code: 403 });
    expect(onMustChangePassword).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('a plain 403 only shows the message', async () => {
    const onMustChangePassword = vi.fn();
    setRequestHooks({ onMustChangePassword });
    fetchMock.mockResolvedValue(jsonResponse(403, { code: 403, msg: '缺少或错误的 CSRF 令牌' }));
    await expect(request({ url: '/x', method: 'POST' })).rejects.toMatchObject({ code: 403 });
    expect(onMustChangePassword).not.toHaveBeenCalled();
    expect(messages.error).toHaveBeenCalledWith('缺少或错误的 CSRF 令牌');
  });

  it('silent calls show nothing', async () => {
    fetchMock.mockResolvedValue(jsonResponse(500, { code: 500, msg: '内部错误' }));
    await expect(request({ url: '/x', silent: true })).rejects.toMatchObject({ code: 500 });
    expect(messages.error).not.toHaveBeenCalled();
  });

  it('reports a network failure and a non-JSON answer in Chinese', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(request({ url: '/x' })).rejects.toMatchObject({ code: 0 });
    expect(messages.error).toHaveBeenLastCalledWith('无法连接服务器，请检查网络后重试');
    fetchMock.mockResolvedValueOnce(new Response('<html>502</html>', { status: 502 }));
    await expect(request({ url: '/x' })).rejects.toMatchObject({ code: 502 });
    expect(messages.error).toHaveBeenLastCalledWith('服务器返回了无法识别的内容（HTTP 502）');
  });
});

describe('requestFile', () => {
  it('returns the blob and the UTF-8 file name', async () => {
    fetchMock.mockResolvedValue(
      new Response('a,b', {
        status: 200,
        headers: {
          'Content-Type': 'text/csv',
          'Content-Disposition': `attachment; filename="x.csv"; filename*=UTF-8''${encodeURIComponent('农户.csv')}`,
        },
      }),
    );
    const file = await requestFile({ url: '/exports/households', params: { format: 'csv' } }, 'fallback.csv');
    expect(file.fileName).toBe('农户.csv');
    expect(await file.blob.text()).toBe('a,b');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/exports/households?format=csv');
  });

  it('turns a JSON error answer into an ApiError', async () => {
    fetchMock.mockResolvedValue(jsonResponse(404, { code: 404, msg: '报告不存在' }));
    await expect(requestFile({ url: '/imports/x/report' }, 'r.xlsx')).rejects.toMatchObject({ code: 404 });
    expect(messages.error).toHaveBeenCalledWith('报告不存在');
  });

  it('parses plain and missing Content-Disposition', () => {
    expect(fileNameFromDisposition('attachment; filename="report.xlsx"', 'f')).toBe('report.xlsx');
    expect(fileNameFromDisposition(null, 'f.csv')).toBe('f.csv');
  });
});
