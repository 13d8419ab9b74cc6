/**
 * A small pool of Node worker threads for row-parallel kernels over `SharedArrayBuffer` memory.
 *
 * Each package that runs kernels in parallel ships its own worker entry (a built file next to its
 * `index.js` / `index.cjs`) that calls {@link serveWorkerOps} with its kernels; the package's async
 * functions split the rows into fixed contiguous ranges ({@link rowRanges}), run the first range on
 * the calling thread and the others in the pool, and reduce any partial sums in row order on the
 * calling thread, so results are bit-identical to one thread whatever the thread count.
 *
 * Node only: `node:worker_threads` and `node:os` are loaded lazily (dynamic import), so importing
 * this module in a browser bundle costs nothing until a pool is asked for.
 *
 * @module
 */

import { InvalidArgumentError, JudgekitError, type JudgekitErrorOptions } from './errors.js';

/** A worker thread or its kernel failed; the message names the op and the worker's own error. */
export class WorkerFailedError extends JudgekitError {
  constructor(message: string, options?: JudgekitErrorOptions) {
    super('worker_failed', message, options);
  }
  static override isInstance(error: unknown): error is WorkerFailedError {
    return JudgekitError.isInstance(error) && error.code === 'worker_failed';
  }
}

/** One unit of work for one worker: the op's name (a key of its {@link serveWorkerOps} table) and its arguments. */
export interface WorkerTask {
  op: string;
  /** Structured-clonable arguments; typed arrays on a `SharedArrayBuffer` are shared, not copied. */
  args: Record<string, unknown>;
}

/** Where a package's worker entry lives and how to start it. */
export interface WorkerEntry {
  /** File URL of the worker script. */
  url: URL;
  /** Extra Node flags for the worker (e.g. a TypeScript loader when running from sources). */
  execArgv?: string[];
}

type WorkerThreads = typeof import('node:worker_threads');
type NodeWorker = import('node:worker_threads').Worker;

// Non-literal specifiers: browser bundlers leave them alone (the pool is Node only).
const WORKER_THREADS = 'node:worker_threads';
const NODE_OS = 'node:os';
const NODE_MODULE = 'node:module';
const NODE_URL = 'node:url';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  op: string;
}

interface Slot {
  worker: NodeWorker;
  pending: Map<number, Pending>;
}

/**
 * A fixed set of worker threads running one package's worker entry. Task `i` of {@link run} goes to
 * worker `i`; each worker answers its tasks in order. Idle workers do not keep the process alive.
 */
export class WorkerPool {
  private nextId = 1;
  private closed = false;
  private broken: Error | undefined;

  private constructor(private readonly slots: Slot[]) {}

  /** Start `size` workers running `entry`. */
  static async create(entry: WorkerEntry, size: number): Promise<WorkerPool> {
    if (!Number.isInteger(size) || size < 1) {
      throw new InvalidArgumentError('threads', `a worker pool needs a positive integer size, got ${size}`);
    }
    const { Worker } = (await import(WORKER_THREADS)) as WorkerThreads;
    const slots: Slot[] = [];
    const pool = new WorkerPool(slots);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.url, { execArgv: entry.execArgv ?? [] });
      const slot: Slot = { worker, pending: new Map() };
      worker.on(
        'message',
        (msg: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
          const p = slot.pending.get(msg.id);
          if (p === undefined) return;
          slot.pending.delete(msg.id);
          if (slot.pending.size === 0) worker.unref();
          if (msg.error !== undefined) {
            p.reject(
              new WorkerFailedError(`worker op \`${p.op}\` failed: ${msg.error.name}: ${msg.error.message}`),
            );
          } else {
            p.resolve(msg.result);
          }
        },
      );
      const fail = (error: Error) => {
        pool.broken ??= error;
        for (const p of slot.pending.values()) {
          p.reject(
            new WorkerFailedError(`worker thread ${i} stopped during \`${p.op}\`: ${error.message}`, {
              cause: error,
            }),
          );
        }
        slot.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!pool.closed) fail(new Error(`exited with code ${code}`));
      });
      worker.unref();
      slots.push(slot);
    }
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** False once a worker crashed or the pool was closed (make a new pool then). */
  get usable(): boolean {
    return !this.closed && this.broken === undefined;
  }

  /** Run `tasks[i]` on worker `i` (at most {@link size} tasks); resolves with their results in order. */
  run(tasks: WorkerTask[]): Promise<unknown[]> {
    if (!this.usable) {
      return Promise.reject(
        new WorkerFailedError(
          `the worker pool is ${this.closed ? 'closed' : `broken (${this.broken?.message})`}`,
        ),
      );
    }
    if (tasks.length > this.slots.length) {
      return Promise.reject(
        new InvalidArgumentError('tasks', `${tasks.length} tasks for a pool of ${this.slots.length} workers`),
      );
    }
    return Promise.all(
      tasks.map(
        (task, i) =>
          new Promise<unknown>((resolve, reject) => {
            const slot = this.slots[i]!;
            const id = this.nextId++;
            slot.pending.set(id, { resolve, reject, op: task.op });
            slot.worker.ref();
            slot.worker.postMessage({ id, op: task.op, args: task.args });
          }),
      ),
    );
  }

  /** Stop every worker (pending tasks reject). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** A kernel run by a worker: gets the task's `args`, returns a structured-clonable result. */
export type WorkerOp = (args: Record<string, unknown>) => unknown;

/**
 * Call from a package's worker entry: answer every task posted by {@link WorkerPool.run} with the
 * op of that name from `ops`. A thrown error goes back to the caller as a {@link WorkerFailedError}.
 */
export async function serveWorkerOps(ops: Record<string, WorkerOp>): Promise<void> {
  const { parentPort } = (await import(WORKER_THREADS)) as WorkerThreads;
  if (parentPort === null) throw new WorkerFailedError('serveWorkerOps must run inside a worker thread');
  parentPort.on('message', (msg: { id: number; op: string; args: Record<string, unknown> }) => {
    try {
      const op = ops[msg.op];
      if (op === undefined) throw new Error(`unknown op ${msg.op}`);
      parentPort.postMessage({ id: msg.id, result: op(msg.args) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      parentPort.postMessage({ id: msg.id, error: { name: err.name, message: err.message } });
    }
  });
}

/**
 * The worker entry named `baseName` next to the module at `moduleUrl` (pass `import.meta.url`):
 * `baseName.cjs` beside a CJS build, `baseName.js` beside an ESM build, and, when running from
 * TypeScript sources (tests, benches), `baseName.ts` started through tsx's loader (a dev dependency
 * of this repository; Node 20 workers do not inherit `--import` hooks) with the
 * `@judgekit/source` condition.
 */
export async function workerEntryBeside(moduleUrl: string, baseName: string): Promise<WorkerEntry> {
  if (moduleUrl.endsWith('.ts')) {
    const { createRequire } = (await import(NODE_MODULE)) as typeof import('node:module');
    const { pathToFileURL } = (await import(NODE_URL)) as typeof import('node:url');
    // the ESM build of tsx's API (`require.resolve` finds the CJS one, whose `register()` fails
    // when the calling thread already runs under tsx)
    const cjsApi = createRequire(moduleUrl).resolve('tsx/esm/api');
    const tsxApi = pathToFileURL(cjsApi.replace(/\.cjs$/, '.mjs')).href;
    const target = new URL(`./${baseName}.ts`, moduleUrl).href;
    const code = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target)});`;
    return {
      url: new URL(`data:text/javascript,${encodeURIComponent(code)}`),
      execArgv: ['--conditions=@judgekit/source'],
    };
  }
  return { url: new URL(`./${baseName}${moduleUrl.endsWith('.cjs') ? '.cjs' : '.js'}`, moduleUrl) };
}

let threadsCache: number | undefined;

/** Number of logical cores Node may use (`os.availableParallelism()`), looked up once. */
export async function availableThreads(): Promise<number> {
  if (threadsCache === undefined) {
    const os = (await import(NODE_OS)) as typeof import('node:os');
    threadsCache =
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return threadsCache;
}

/**
 * Split `rows` into at most `parts` contiguous ranges `[start, end)` of near-equal size (the first
 * `rows mod parts` ranges one row longer), in row order; a fixed function of (rows, parts), so a
 * given thread count always splits the same way. Empty ranges are left out.
 */
export function rowRanges(rows: number, parts: number): Array<[number, number]> {
  const p = Math.max(1, Math.min(parts, rows));
  const base = Math.floor(rows / p);
  const extra = rows % p;
  const out: Array<[number, number]> = [];
  let s = 0;
  for (let i = 0; i < p; i++) {
    const e = s + base + (i < extra ? 1 : 0);
    if (e > s) out.push([s, e]);
    s = e;
  }
  return out;
}

/** Typed arrays the pool can share. */
export type ShareableArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** True when `a` lives on a `SharedArrayBuffer` (workers then read and write it in place). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** A zeroed Float64Array of length `n` on a `SharedArrayBuffer`. */
export function sharedFloat64Array(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

/** A zeroed Float32Array of length `n` on a `SharedArrayBuffer`. */
export function sharedFloat32Array(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4));
}

/**
 * `a` itself when it is already shared; otherwise a shared copy of the same type and length where
 * only the element ranges `copy` (default: all) are filled (the calling thread's own range need not
 * be copied, it reads the original).
 */
export function shareArray<T extends ShareableArray>(a: T, copy?: Array<[number, number]>): T {
  if (isShared(a)) return a;
  const Ctor = a.constructor as new (buf: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.length * a.BYTES_PER_ELEMENT));
  if (copy === undefined) out.set(a);
  else for (const [s, e] of copy) out.set(a.subarray(s, e), s);
  return out;
}

/**
 * Numeric array-likes as shareable typed arrays: typed arrays are shared via {@link shareArray},
 * anything else (plain arrays) is copied into a shared Float64Array.
 */
export function shareNumbers(a: ArrayLike<number>, copy?: Array<[number, number]>): ShareableArray {
  if (
    ArrayBuffer.isView(a) &&
    !(a instanceof DataView) &&
    !(a instanceof BigInt64Array) &&
    !(a instanceof BigUint64Array)
  ) {
    if (a instanceof Uint8ClampedArray) return shareArray(Uint8Array.from(a), copy);
    return shareArray(a as unknown as ShareableArray, copy);
  }
  const out = sharedFloat64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] as number;
  return out;
}

/**
 * The `threads` option of row-parallel `…Async` functions, checked: `undefined` → the available
 * cores; otherwise a positive integer (else `InvalidArgumentError`).
 */
export async function resolveThreads(threads: number | undefined): Promise<number> {
  if (threads === undefined) return availableThreads();
  if (!Number.isInteger(threads) || threads < 1)
    throw new InvalidArgumentError('threads', `must be a positive integer, got ${threads}`);
  return threads;
}

/**
 * A shared stand-in for the output buffer `out` (itself when it is already on a
 * `SharedArrayBuffer`) and a function that copies the workers' ranges back into `out`.
 */
export function sharedOutput(
  out: Float64Array,
  workerRanges: Array<[number, number]>,
): [Float64Array, () => void] {
  if (isShared(out)) return [out, () => {}];
  const tmp = shareArray(out, []);
  return [
    tmp,
    () => {
      for (const [s, e] of workerRanges) out.set(tmp.subarray(s, e), s);
    },
  ];
}

/** One package's worker pool, started on first use and grown when more workers are asked for. */
export interface LazyWorkerPool {
  /**
   * Run `ranges[0]` on the calling thread (via `local`) and `ranges[1…]` in the pool (via `task`),
   * resolving when all are done.
   */
  runSplit(
    ranges: Array<[number, number]>,
    local: (r0: number, r1: number) => void,
    task: (r0: number, r1: number) => WorkerTask,
  ): Promise<void>;
  /** Stop the workers (a later `runSplit` starts new ones). */
  close(): Promise<void>;
}

/**
 * A {@link LazyWorkerPool} whose workers run the entry `baseName` beside `moduleUrl` (pass
 * `import.meta.url`; see {@link workerEntryBeside}).
 */
export function lazyWorkerPool(moduleUrl: string, baseName: string): LazyWorkerPool {
  let pool: Promise<WorkerPool> | undefined;
  const get = async (workers: number): Promise<WorkerPool> => {
    if (pool !== undefined) {
      const p = await pool.catch(() => undefined);
      if (p?.usable && p.size >= workers) return p;
      if (p !== undefined) await p.close();
    }
    pool = workerEntryBeside(moduleUrl, baseName).then((entry) => WorkerPool.create(entry, workers));
    return pool;
  };
  return {
    async runSplit(ranges, local, task) {
      const p = await get(ranges.length - 1);
      const pending = p.run(ranges.slice(1).map(([s, e]) => task(s, e)));
      try {
        local(ranges[0]![0], ranges[0]![1]);
      } finally {
        await pending;
      }
    },
    async close() {
      const p = pool;
      pool = undefined;
      if (p !== undefined) await (await p.catch(() => undefined))?.close();
    },
  };
}
