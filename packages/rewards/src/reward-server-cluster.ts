/**
 * The multi-process reward server (`--workers N`): a primary process forks N workers with
 * `node:cluster`; every worker runs the same command line and serves the same port (the primary
 * hands out connections round-robin). The primary prints the URL once every worker listens,
 * restarts a worker that crashes (logging which one and why), and on SIGTERM / SIGINT asks every
 * worker to finish its in-flight requests and exit.
 *
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { InvalidArgumentError } from '@judgekit/core';
import type { RewardServerLogger } from './reward-server.js';

/** Environment variable that marks a process forked as a reward-server worker. */
export const REWARD_WORKER_ENV = 'JUDGEKIT_REWARD_SERVER_WORKER';

/** Messages between the primary and its workers. */
type WorkerMessage =
  | { judgekitRewardServer: 'startup-error'; message: string }
  | { judgekitRewardServer: 'shutdown' };

/** A running multi-process reward server, as seen from its primary process. */
export interface RewardServerCluster {
  /** Base URL every worker serves, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** How many worker processes serve it. */
  readonly workers: number;
  /** Process ids of the live workers. */
  workerPids(): number[];
  /** Ask every worker to finish its in-flight requests and exit; resolves once all have. Idempotent. */
  close(): Promise<void>;
}

/** Whether this process is a worker forked by {@link startRewardServerCluster}. */
export function isRewardServerWorker(): boolean {
  return cluster.isWorker && process.env[REWARD_WORKER_ENV] === '1';
}

/** In a worker: tell the primary why it could not start (the primary reports it and exits); resolves once sent. */
export function reportWorkerStartupError(message: string): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(
      { judgekitRewardServer: 'startup-error', message } satisfies WorkerMessage,
      undefined,
      {},
      () => resolve(),
    );
  });
}

/** In a worker: run `onShutdown` when the primary asks the workers to stop. */
export function onWorkerShutdownRequest(onShutdown: () => void): void {
  process.on('message', (m: unknown) => {
    if ((m as WorkerMessage | null)?.judgekitRewardServer === 'shutdown') onShutdown();
  });
}

/** Options of {@link startRewardServerCluster}. */
export interface RewardServerClusterOptions {
  /** Worker processes (≥ 1). */
  workers: number;
  /** Host the workers bind (for the printed URL). */
  host: string;
  /** Logger of the primary (worker starts, crashes, restarts, shutdown). */
  logger: RewardServerLogger;
  /** How long `close()` waits for workers to finish before killing them, in ms. */
  shutdownTimeoutMs: number;
  /**
   * Restarts allowed within `crashWindowMs` before the primary gives up (stops every worker and
   * rejects / exits 1): a worker that crashes at once after every restart is a bug, not bad luck.
   * Default 10.
   */
  maxRestarts?: number;
  /** The window of `maxRestarts`, in ms (default 60 000). */
  crashWindowMs?: number;
  /** Called when the primary gives up restarting (default: exit the process with code 1). */
  onGiveUp?: () => void;
}

/**
 * Fork `workers` processes that re-run this process's command line (`process.argv`) as reward
 * server workers, and resolve once all listen. Rejects with `InvalidArgumentError` (`--port`) when
 * a worker cannot start (e.g. the port is taken). Call it only from a program's entry point (the
 * `judgekit serve-reward` and `judgekit-reward-server` commands do): the workers run its script.
 */
export function startRewardServerCluster(options: RewardServerClusterOptions): Promise<RewardServerCluster> {
  const { workers, host, logger, shutdownTimeoutMs, maxRestarts = 10, crashWindowMs = 60_000 } = options;
  if (!Number.isInteger(workers) || workers < 1)
    throw new InvalidArgumentError('workers', 'must be a positive integer');
  if (!cluster.isPrimary) throw new InvalidArgumentError('workers', 'a cluster worker cannot fork workers');
  const live = new Map<number, Worker>();
  const startupErrors = new Map<number, string>();
  const listening = new Set<number>();
  const restarts: number[] = [];
  let started = false;
  let stopping = false;
  let closed: Promise<void> | undefined;
  let port = 0;

  const fork = (): Worker => {
    const worker = cluster.fork({ [REWARD_WORKER_ENV]: '1' });
    live.set(worker.id, worker);
    worker.on('message', (m: WorkerMessage) => {
      if (m?.judgekitRewardServer === 'startup-error') startupErrors.set(worker.id, m.message);
    });
    return worker;
  };

  const stopAll = (): Promise<void> => {
    if (closed) return closed;
    stopping = true;
    logger.info('reward server shutting down', { workers: live.size });
    closed = new Promise<void>((resolve) => {
      const done = () => {
        if (live.size === 0) {
          clearTimeout(force);
          resolve();
        }
      };
      const force = setTimeout(() => {
        logger.warn('shutdown timeout: killing remaining workers', { workers: live.size });
        for (const w of live.values()) w.process.kill('SIGKILL');
      }, shutdownTimeoutMs);
      force.unref?.();
      cluster.on('exit', done);
      for (const w of live.values()) {
        if (w.isConnected()) w.send({ judgekitRewardServer: 'shutdown' } satisfies WorkerMessage);
        else w.process.kill('SIGTERM');
      }
      done();
    }).then(() => logger.info('reward server closed', {}));
    return closed;
  };

  return new Promise<RewardServerCluster>((resolve, reject) => {
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      port = address.port;
      logger.info('reward server worker listening', { worker: worker.id, pid: worker.process.pid });
      if (!started && listening.size === workers) {
        started = true;
        const urlHost = host.includes(':') ? `[${host}]` : host;
        resolve({
          url: `http://${urlHost}:${port}`,
          port,
          workers,
          workerPids: () => [...live.values()].map((w) => w.process.pid!).filter((p) => p !== undefined),
          close: stopAll,
        });
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      live.delete(worker.id);
      const wasListening = listening.delete(worker.id);
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!started) {
        // A worker that fails before listening fails the whole start (its reason, e.g. EADDRINUSE).
        const message =
          startupErrors.get(worker.id) ?? `worker ${worker.id} exited with ${how} before listening`;
        const named = /^Invalid argument `([^`]+)`: (.*)$/s.exec(message);
        void stopAll().then(() =>
          reject(
            named
              ? new InvalidArgumentError(named[1]!, named[2]!)
              : new InvalidArgumentError('--port', message),
          ),
        );
        return;
      }
      if (code === 0 && !signal) {
        logger.warn('reward server worker exited; not restarted', {
          worker: worker.id,
          pid: worker.process.pid,
          workers: live.size,
        });
        if (live.size === 0) void stopAll();
        return;
      }
      const now = performance.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - crashWindowMs) restarts.shift();
      if (restarts.length > maxRestarts) {
        logger.error('reward server workers keep crashing; giving up', {
          worker: worker.id,
          exit: how,
          restarts: restarts.length,
          ...(startupErrors.has(worker.id) ? { reason: startupErrors.get(worker.id) } : {}),
        });
        void stopAll().then(options.onGiveUp ?? (() => process.exit(1)));
        return;
      }
      const next = fork();
      const reason = startupErrors.get(worker.id);
      startupErrors.delete(worker.id);
      logger.error('reward server worker crashed; restarting it', {
        worker: worker.id,
        pid: worker.process.pid,
        exit: how,
        wasListening,
        ...(reason === undefined ? {} : { reason }),
        replacement: next.id,
      });
    });
    for (let i = 0; i < workers; i++) fork();
  });
}
