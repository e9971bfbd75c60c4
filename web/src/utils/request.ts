// The one request module (RuoYi convention): every call to /api/v1 goes through here.
// - sends the session cookie (credentials) and, on every non-GET/HEAD request, X-CSRF-Token;
// - unwraps the envelope {code,msg,data} / {code,msg,rows,total};
// - on failure shows the server's Chinese msg (ElMessage) and rejects with an ApiError;
// - 401 → the session is gone: clears it and goes to the login page (hook set by main.ts);
// - 403 "请先修改初始密码" → the forced password change page.
import { ElMessage } from 'element-plus';
import { t } from '@/locales';

export const API_BASE = '/api/v1';
export const MUST_CHANGE_PASSWORD_MSG = '请先修改初始密码';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  params?: Query;
  /// JSON body (objects) or a raw body (File/Blob, sent as is).
  data?: unknown;
  headers?: Record<string, string>;
  /// Do not show an error message (the caller handles it).
  silent?: boolean;
  /// Do not redirect on 401 (login itself, the initial session probe).
  noAuthRedirect?: boolean;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

/// A failed call: `code` is the envelope code (= HTTP status), 0 for a network failure.
export class ApiError extends Error {
  readonly code: number;
  constructor(code: number, msg: string) {
    super(msg);
    this.name = 'ApiError';
    this.code = code;
  }
}

export interface RequestHooks {
  /// The session is gone (401).
  onUnauthorized: () => void;
  /// The user must change the initial password first (403 请先修改初始密码).
  onMustChangePassword: () => void;
}

let csrfToken = '';
let hooks: RequestHooks = { onUnauthorized: () => {}, onMustChangePassword: () => {} };

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function getCsrfToken(): string {
  return csrfToken;
}
export function setRequestHooks(next: Partial<RequestHooks>): void {
  hooks = { ...hooks, ...next };
}

/// "/households" + {page:1, keyword:''} → "/api/v1/households?page=1" (empty values dropped).
export function buildUrl(url: string, params?: Query): string {
  const base = url.startsWith('/api/') ? url : `${API_BASE}${url}`;
  if (!params) return base;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.append(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${base}?${qs}` : base;
}

function isRawBody(data: unknown): data is Blob | ArrayBuffer | Uint8Array {
  return (
    (typeof Blob !== 'undefined' && data instanceof Blob) ||
    data instanceof ArrayBuffer ||
    data instanceof Uint8Array
  );
}

function buildInit(opts: RequestOptions): RequestInit {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (opts.data !== undefined) {
    if (isRawBody(opts.data)) {
      body = opts.data as BodyInit;
      headers['Content-Type'] ??= 'application/octet-stream';
    } else {
      body = JSON.stringify(opts.data);
      headers['Content-Type'] = 'application/json';
    }
  }
  return { method, headers, body, credentials: 'include' };
}

interface Envelope {
  code: number;
  msg: string;
  data?: unknown;
  rows?: unknown[];
  total?: number;
}

function fail(opts: RequestOptions, code: number, msg: string): never {
  if (code === 401 && !opts.noAuthRedirect) {
    hooks.onUnauthorized();
    if (!opts.silent) ElMessage.error(msg || t('request.sessionExpired'));
  } else if (code === 403 && msg === MUST_CHANGE_PASSWORD_MSG) {
    hooks.onMustChangePassword();
    if (!opts.silent) ElMessage.warning(msg);
  } else if (!opts.silent) {
    ElMessage.error(msg);
  }
  throw new ApiError(code, msg);
}

async function send(opts: RequestOptions): Promise<Response> {
  try {
    return await fetch(buildUrl(opts.url, opts.params), buildInit(opts));
  } catch {
    return fail(opts, 0, t('request.network'));
  }
}

async function envelope(opts: RequestOptions, response: Response): Promise<Envelope> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object' || typeof (body as Envelope).code !== 'number') {
    const code = response.ok ? 500 : response.status;
    return fail(opts, code, t('request.badResponse', { status: response.status }));
  }
  const env = body as Envelope;
  if (env.code !== 0 || !response.ok) {
    const code = env.code !== 0 ? env.code : response.status;
    return fail(opts, code, env.msg || t('request.badResponse', { status: response.status }));
  }
  return env;
}

/// A call answering {code,msg,data}: resolves to `data`.
export async function request<T>(opts: RequestOptions): Promise<T> {
  const env = await envelope(opts, await send(opts));
  return (env.data ?? null) as T;
}

/// A paged call answering {code,msg,rows,total}.
export async function requestPage<T>(opts: RequestOptions): Promise<Page<T>> {
  const env = await envelope(opts, await send(opts));
  return { rows: (env.rows ?? []) as T[], total: env.total ?? 0 };
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/// File name from Content-Disposition (RFC 5987 filename* first), else `fallback`.
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : fallback;
}

/// A call answering a file (export, error report). An error still comes as an envelope.
export async function requestFile(opts: RequestOptions, fallbackName: string): Promise<DownloadedFile> {
  const response = await send({ ...opts, headers: { Accept: '*/*', ...opts.headers } });
  const type = response.headers.get('Content-Type') ?? '';
  if (!response.ok || type.includes('application/json')) {
    await envelope(opts, response);
    return fail(opts, response.status || 500, t('request.badResponse', { status: response.status }));
  }
  const blob = await response.blob();
  return { blob, fileName: fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName) };
}

/// Hands a downloaded file to the browser as a download.
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
