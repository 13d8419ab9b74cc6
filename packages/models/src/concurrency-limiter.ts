import { AbortedError, InvalidArgumentError } from '@judgekit/core';

/** A counting semaphore that bounds how many async tasks run at once. */
export interface ConcurrencyLimiter {
  /** Maximum number of tasks running at once. */
  readonly limit: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
  /**
   * Run `task` once a slot is free, releasing the slot when it settles. Waiters are served in FIFO
   * order. If `signal` aborts while waiting, the promise rejects with core `AbortedError` and the
   * task is never started.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * Create a FIFO concurrency limiter allowing `n` tasks in flight (`n` ≥ 1, integer or `Infinity`).
 * Share one limiter between several models to bound the total load on one server.
 */
export function createConcurrencyLimiter(n: number): ConcurrencyLimiter {
  if (!(n === Number.POSITIVE_INFINITY || (Number.isInteger(n) && n >= 1))) {
    throw new InvalidArgumentError('n', `must be an integer >= 1 or Infinity, got ${n}`);
  }
  let active = 0;
  const queue: Array<{ start: () => void }> = [];

  const release = (): void => {
    active--;
    const next = queue.shift();
    if (next) next.start();
  };

  return {
    limit: n,
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(new AbortedError('model call'));
      const exec = (): Promise<T> => {
        active++;
        let p: Promise<T>;
        try {
          p = Promise.resolve(task());
        } catch (error) {
          p = Promise.reject(error);
        }
        return p.finally(release);
      };
      if (active < n) return exec();
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            exec().then(resolve, reject);
          },
        };
        const onAbort = (): void => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(new AbortedError('model call', { cause: signal?.reason }));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
  };
}
