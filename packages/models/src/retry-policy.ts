import { AbortedError } from '@judgekit/core';

/** Back-off settings of a retrying backend. */
export interface RetryPolicy {
  /** First back-off in ms (default 500). */
  initialDelayMs: number;
  /** Cap of one back-off in ms (default 8000). */
  maxDelayMs: number;
  /** Cap of a server-requested `Retry-After` wait in ms (default 60000). */
  maxRetryAfterMs: number;
  /** Uniform source in [0, 1) for jitter. */
  random: () => number;
}

/**
 * Back-off before retry number `retry` (0-based): `min(initial · 2^retry, max) · (1 − 0.25·u)`,
 * u ~ U[0, 1) — the schedule of openai/openai-node `calculateDefaultRetryTimeoutMillis`
 * (src/client.ts, v5), with the jitter drawn from an injectable (seedable) source.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  const base = Math.min(policy.initialDelayMs * 2 ** retry, policy.maxDelayMs);
  return base * (1 - 0.25 * policy.random());
}

/**
 * Milliseconds a response asks us to wait, from `retry-after-ms` (OpenAI) or `Retry-After`
 * (seconds, fractions accepted, or an HTTP date). `undefined` when absent or unparsable.
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Wait `ms` milliseconds; rejects with core `AbortedError` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('model call', { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('model call', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
