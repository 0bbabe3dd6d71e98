/**
 * GET with a deadline, answered as a value: either the body or one line saying what went wrong, worded for
 * an operator ("GET http://…/v1/models: connect ECONNREFUSED 127.0.0.1:8000"). Nothing here throws.
 */
export type Fetched<T> = { readonly ok: true; readonly value: T; readonly status: number; readonly headers: Headers } | { readonly ok: false; readonly error: string; readonly status?: number };

export interface GetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMilliseconds: number;
  /** Aborts every request of a stopping agent at once. */
  readonly signal?: AbortSignal;
}

/** The code or message of a fetch failure: undici puts the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  if (error.name === 'AbortError') return 'aborted';
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return cause.message !== undefined && cause.message.includes(cause.code) ? cause.message : `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? error.message;
}

function oneLine(text: string, limit = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * A pooled keep-alive connection the peer closed while idle fails the next request on it; that says nothing
 * about the peer now, so such a failure is retried at once. The pool may hold a stale connection for each
 * request that ran in parallel, hence a few retries.
 */
export const STALE_CONNECTION_RETRIES = 3;

export function failedOnStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && STALE_CONNECTION_CODES.has(code);
}

export async function getText(url: string, options: GetOptions): Promise<Fetched<string>> {
  let fetched = await getTextOnce(url, options);
  for (let retry = 0; retry < STALE_CONNECTION_RETRIES && !fetched.ok && fetched.staleConnection === true; retry += 1) {
    fetched = await getTextOnce(url, options);
  }
  return fetched;
}

async function getTextOnce(url: string, options: GetOptions): Promise<Fetched<string> & { staleConnection?: boolean }> {
  const timeout = AbortSignal.timeout(options.timeoutMilliseconds);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await fetch(url, { headers: options.headers, signal, redirect: 'follow' });
    const body = await response.text();
    if (response.status === 304) return { ok: true, value: body, status: 304, headers: response.headers };
    if (!response.ok) {
      const said = oneLine(body);
      return { ok: false, status: response.status, error: `GET ${url}: HTTP ${response.status}${said === '' ? '' : `: ${said}`}` };
    }
    return { ok: true, value: body, status: response.status, headers: response.headers };
  } catch (error) {
    const reason = timeout.aborted ? `timed out after ${options.timeoutMilliseconds / 1000} s` : describeFetchError(error);
    return { ok: false, error: `GET ${url}: ${reason}`, staleConnection: !timeout.aborted && failedOnStaleConnection(error) };
  }
}

export async function getJson(url: string, options: GetOptions): Promise<Fetched<unknown>> {
  const fetched = await getText(url, { ...options, headers: { accept: 'application/json', ...options.headers } });
  if (!fetched.ok) return fetched;
  try {
    return { ...fetched, value: JSON.parse(fetched.value) as unknown };
  } catch {
    return { ok: false, status: fetched.status, error: `GET ${url}: the answer is not JSON: ${oneLine(fetched.value, 100)}` };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
