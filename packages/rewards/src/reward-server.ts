/**
 * A reward HTTP server (node:http) that speaks OpenRLHF's remote reward protocol, so a trainer can
 * call it with `--reward.remote_url http://127.0.0.1:5000/get_reward` (formerly `--remote_rm_url`):
 * POST `{query, prompts, labels}` → `{rewards, scores, extra_logs}`. OpenRLHF retries 5 times with a
 * 180 s timeout (openrlhf/utils/remote_rm_utils.py `request_api_wrapper`).
 *
 * Security: binds to 127.0.0.1 unless told otherwise; an optional bearer token (from an environment
 * variable by default) is compared in constant time; request bodies and tokens never reach the logs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { createRewardRoutes } from './reward-server-routes.js';
import type { RewardFunction } from './reward-function.js';

/** Structured log fields. Never contains request bodies, labels, model text or tokens. */
export type RewardServerLogFields = Record<string, string | number | boolean | undefined>;

/** Where the server logs; inject one to capture or silence logs. */
export interface RewardServerLogger {
  /** Routine events (listening, each request's status and duration). */
  info(message: string, fields?: RewardServerLogFields): void;
  /** Client errors and shutdown notices. */
  warn(message: string, fields?: RewardServerLogFields): void;
  /** Server-side failures. */
  error(message: string, fields?: RewardServerLogFields): void;
}

/** A logger that writes one JSON line per event to stderr. The default. */
export function createStderrLogger(): RewardServerLogger {
  const write = (level: string, message: string, fields?: RewardServerLogFields) => {
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
    );
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: RewardServerLogger = Object.freeze({ info() {}, warn() {}, error() {} });

/** Options of `createRewardServer`. */
export interface RewardServerOptions {
  /** The reward to serve (e.g. `createJudgeLrmReward()`). */
  reward: RewardFunction;
  /** Interface to bind (default `'127.0.0.1'`; pass `'0.0.0.0'` deliberately to expose it). */
  host?: string;
  /** TCP port (default 0 = an ephemeral port; read the chosen one from `url`). */
  port?: number;
  /** Largest accepted request body in bytes (default 64 MiB); larger gets 413. */
  maxBodyBytes?: number;
  /** Time allowed for receiving and answering one request in ms (default 120 000); past it, 408. */
  requestTimeoutMs?: number;
  /** Bearer token clients must send. Takes precedence over `tokenEnv`. */
  token?: string;
  /** Environment variable holding the bearer token (default `'JUDGEKIT_REWARD_TOKEN'`); unset or empty = no auth. */
  tokenEnv?: string;
  /** Padded response width in tokens; with a request's `response_lengths` it enables the length terms. */
  maxResponseLength?: number;
  /** Logger (default: JSON lines on stderr). */
  logger?: RewardServerLogger;
  /** How long `close()` waits for in-flight requests before cutting connections, in ms (default `requestTimeoutMs`). */
  shutdownTimeoutMs?: number;
}

/** A running reward server. */
export interface RewardServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. POST to `${url}/get_reward` (or `/`); GET `${url}/health`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The underlying node:http server. */
  readonly server: Server;
  /** Graceful shutdown: stop accepting, finish in-flight requests, close idle connections. Idempotent. */
  close(): Promise<void>;
}

/** Paths that accept reward requests: `/get_reward` is what OpenRLHF's own `serve_rm` exposes. */
export const REWARD_PATHS: readonly string[] = ['/', '/get_reward', '/reward'];

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Start a reward server. Resolves once it listens. Throws `InvalidArgumentError` for bad options.
 */
export async function createRewardServer(options: RewardServerOptions): Promise<RewardServer> {
  const {
    reward,
    host = '127.0.0.1',
    port = 0,
    maxBodyBytes = 64 * 1024 * 1024,
    requestTimeoutMs = 120_000,
    tokenEnv = 'JUDGEKIT_REWARD_TOKEN',
    maxResponseLength,
    logger = createStderrLogger(),
  } = options;
  if (!reward || typeof reward.score !== 'function')
    throw new InvalidArgumentError('reward', 'must be a RewardFunction');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('port', 'must be an integer in [0, 65535]');
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0)
    throw new InvalidArgumentError('maxBodyBytes', 'must be a positive integer');
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new InvalidArgumentError('requestTimeoutMs', 'must be a positive number of milliseconds');
  }
  if (maxResponseLength !== undefined && !(Number.isFinite(maxResponseLength) && maxResponseLength > 0)) {
    throw new InvalidArgumentError('maxResponseLength', 'must be a positive number of tokens');
  }
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? requestTimeoutMs;
  const token = options.token ?? (process.env[tokenEnv] || undefined);
  if (token !== undefined && token.length === 0) throw new ConfigError('the bearer token is empty');
  const tokenDigest = token === undefined ? undefined : digest(token);

  let inFlight = 0;
  let closing = false;
  let served = 0;
  const idleWaiters: (() => void)[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const routes = createRewardRoutes({
    reward,
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    onMissingHeader: (f) =>
      logger.warn('WARNING: sequences without the response header; they score as format failures', f),
  });

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ) => {
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      ...extraHeaders,
    };
    if (closing) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(text);
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (tokenDigest === undefined) return true;
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer /i.test(header)) return false;
    return timingSafeEqual(digest(header.slice(7).trim()), tokenDigest);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBodyBytes) {
        reject(
          new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${maxBodyBytes} bytes`),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > maxBodyBytes) {
          done = true;
          chunks.length = 0;
          reject(new HttpError(413, `request body exceeds the limit of ${maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (done) return;
        done = true;
        resolve(Buffer.concat(chunks, size));
      });
      req.on('error', (err) => {
        if (done) return;
        done = true;
        reject(err);
      });
      req.on('aborted', () => {
        if (done) return;
        done = true;
        reject(new HttpError(400, 'request aborted by the client'));
      });
    });

  const handleReward = async (req: IncomingMessage, res: ServerResponse, started: number, path: string) => {
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      throw new HttpError(415, 'content-type must be application/json');
    }
    const raw = await readBody(req);
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      throw new HttpError(400, 'request body is not valid UTF-8');
    }
    if (text.trim().length === 0)
      throw new HttpError(400, 'request body is empty; send a JSON object with `query` and `labels`');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'malformed JSON body: it does not parse as JSON');
    }
    const result = routes.handle(path, body);
    if (!result.ok) throw new HttpError(result.status, result.error);
    send(res, 200, result.response);
    logger.info('reward request', {
      method: 'POST',
      path: req.url?.split('?')[0],
      status: 200,
      samples: result.samples,
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    inFlight++;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      inFlight--;
      served++;
      if (inFlight === 0) for (const w of idleWaiters.splice(0)) w();
    };
    res.on('close', finish);
    res.on('finish', finish);
    const timer = setTimeout(() => {
      logger.warn('request timed out', { path, status: 408, timeoutMs: requestTimeoutMs });
      if (res.headersSent) {
        req.destroy();
        return;
      }
      res.on('finish', () => req.destroy());
      send(
        res,
        408,
        { error: `request not completed within ${requestTimeoutMs} ms` },
        { connection: 'close' },
      );
    }, requestTimeoutMs);
    timer.unref?.();

    const fail = (err: unknown) => {
      if (err instanceof HttpError) {
        logger.warn('request rejected', { method: req.method, path, status: err.status });
        // Stop reading an oversized body and drop the connection afterwards.
        const headers: Record<string, string> = err.status === 413 ? { connection: 'close' } : {};
        if (err.status === 401) headers['www-authenticate'] = 'Bearer';
        send(res, err.status, { error: err.message }, headers);
        if (err.status === 413) res.on('finish', () => req.destroy());
        return;
      }
      // Server-side failure (for example a custom reward threw): log the kind only, never the text.
      logger.error('reward request failed', {
        method: req.method,
        path,
        status: 500,
        errorName: err instanceof Error ? err.name : typeof err,
      });
      send(res, 500, { error: 'internal error while scoring the request' });
    };

    try {
      if (path === '/health' || path === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET on /health');
        send(res, closing ? 503 : 200, {
          status: closing ? 'closing' : 'ok',
          reward: reward.name,
          in_flight: inFlight - 1,
          served,
          max_response_length: maxResponseLength ?? null,
          ...routes.health(),
        });
        req.resume();
        return;
      }
      if (!REWARD_PATHS.includes(path) && !routes.accepts(path))
        throw new HttpError(404, `no such endpoint ${path}; POST to /get_reward`);
      if (req.method !== 'POST') throw new HttpError(405, `use POST on ${path}`);
      if (!authorized(req)) throw new HttpError(401, 'missing or wrong bearer token');
      if (closing) throw new HttpError(503, 'server is shutting down');
      handleReward(req, res, started, path).catch((err) => {
        req.resume();
        fail(err);
      });
    } catch (err) {
      req.resume();
      fail(err);
    }
  });
  server.requestTimeout = requestTimeoutMs + 1000;
  server.headersTimeout = Math.min(60_000, requestTimeoutMs + 500);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('server error', { errorName: err.name }));
  const address = server.address() as AddressInfo;
  const urlHost =
    address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  logger.info('reward server listening', { url, reward: reward.name, auth: tokenDigest !== undefined });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closed) return closed;
    closing = true;
    logger.info('reward server shutting down', { inFlight });
    closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const idle = new Promise<void>((r) => (inFlight === 0 ? r() : idleWaiters.push(r)));
      const force = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections', { inFlight });
        server.closeAllConnections();
      }, shutdownTimeoutMs);
      force.unref?.();
      idle.then(() => {
        clearTimeout(force);
        server.closeIdleConnections();
      });
    }).then(() => logger.info('reward server closed', { served }));
    return closed;
  };
  return { url, port: address.port, server, close };
}
