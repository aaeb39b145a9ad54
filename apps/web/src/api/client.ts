import i18n, { currentLocale } from '../i18n/index.ts';

/** Shapes every list and command answer of the API has. */
export interface Items<T> {
  items: T[];
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export interface Ok {
  ok: true;
}

/** An error answered by the API (or a failure to reach it); `message` is ready to show to the user. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Listener = (error: ApiError, path: string) => void;
const listeners = new Set<Listener>();

/** Called for every API error, before the caller sees it (the session uses this to notice a 401). */
export function onApiError(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function fail(error: ApiError, path: string): ApiError {
  for (const listener of listeners) listener(error, path);
  return error;
}

function toApiError(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error } = body as { error: { code?: unknown; message?: unknown; details?: unknown } };
    if (typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiError(status, error.code, error.message, error.details);
    }
  }
  return new ApiError(status, `http.${status}`, i18n.t('errors.http', { status }));
}

type QueryParams = Record<string, string | number | null | undefined>;

function withQuery(path: string, params?: QueryParams): string {
  if (!params) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw fail(new ApiError(0, 'network', i18n.t('errors.network')), path);
  }
  const data: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw fail(toApiError(response.status, data), path);
  return data as T;
}

export const api = {
  get: <T>(path: string, params?: QueryParams, signal?: AbortSignal) => request<T>('GET', withQuery(path, params), undefined, signal),
  post: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('POST', path, body, signal),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** The message to show for any error a query or mutation ended with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return i18n.t('errors.network');
}
