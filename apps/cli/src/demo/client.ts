import { randomUUID } from 'node:crypto';

/**
 * A small HTTP client over the apps' public APIs (the demo and the cross-app tests use nothing else):
 * JSON in and out, a bearer token per call, an Idempotency-Key on writes that take one, and a retry
 * on a lost connection or a 503 for requests that are safe to repeat.
 */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { pointer: string; detail: string }[];
  readonly [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly problem: Problem | string,
  ) {
    super(
      `${method} ${url} -> ${status}: ${typeof problem === 'string' ? problem.slice(0, 300) : `${problem.code ?? ''} ${problem.detail ?? ''} ${JSON.stringify(problem.errors ?? [])}`}`,
    );
    this.name = 'ApiError';
  }
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly token?: string | undefined;
  readonly body?: unknown;
  /** Statuses that are answers rather than errors (default: any 2xx). */
  readonly accept?: readonly number[];
  /** Sends an Idempotency-Key (a fresh one unless given), which also makes the call safe to retry. */
  readonly idempotencyKey?: string | true;
  /** The request may be repeated as it is (reads, replay-safe batches): retried on network errors and 503. */
  readonly retry?: boolean;
  readonly headers?: Record<string, string>;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey)
      headers['idempotency-key'] = options.idempotencyKey === true ? randomUUID() : options.idempotencyKey;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const repeatable = method === 'GET' || options.retry === true || options.idempotencyKey !== undefined;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
      } catch (err) {
        if (!repeatable || attempt >= 4) throw err;
        await pause(attempt);
        continue;
      }
      const text = await res.text();
      const type = res.headers.get('content-type') ?? '';
      const parsed: unknown = type.includes('json') && text.length > 0 ? JSON.parse(text) : text;
      if (res.status === 503 && repeatable && attempt < 4) {
        await pause(attempt);
        continue;
      }
      const accepted = options.accept
        ? options.accept.includes(res.status)
        : res.status >= 200 && res.status < 300;
      if (!accepted) throw new ApiError(method, url, res.status, parsed as Problem | string);
      return { status: res.status, body: parsed as T, headers: res.headers };
    }
  }

  get<T = unknown>(path: string, options: CallOptions = {}) {
    return this.call<T>('GET', path, options);
  }

  post<T = unknown>(path: string, body: unknown, options: CallOptions = {}) {
    return this.call<T>('POST', path, { ...options, body });
  }

  /** Every item of a cursor-paginated list (`{ items, nextCursor }`). */
  async all<T>(path: string, options: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: ApiResponse<{ items: T[]; nextCursor: string | null }> = await this.get(
        cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`,
        options,
      );
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    return items;
  }
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, 200 * attempt));

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}
