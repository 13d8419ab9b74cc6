/**
 * A reward HTTP server (node:http) that speaks OpenRLHF's remote reward protocol, so a trainer can
 * call it with `--reward.remote_url http://127.0.0.1:5000/get_reward` (formerly `--remote_rm_url`):
 * POST `{query, prompts, labels}` → `{rewards, scores}` (plus `extra_logs` when asked: the
 * `extraLogs` option or `?extra_logs=1` on the URL). OpenRLHF requires `rewards` only, uses `scores`
 * for dynamic filtering (falling back to `rewards`) and logs `extra_logs` only when present; it
 * retries 5 times with a 180 s timeout (openrlhf/utils/remote_rm_utils.py `request_api_wrapper`).
 *
 * Several processes can share the port: see `--workers` in {@link startRewardServerFromArgs}.
 *
 * Security: binds to 127.0.0.1 unless told otherwise; an optional bearer token (from an environment
 * variable by default) is compared in constant time; request bodies and tokens never reach the logs.
 *
 * Misuse: every error (4xx / 5xx) is sent after the request body has been read, so clients that
 * write the whole body before reading (Python `http.client`, hence `requests` and OpenRLHF) see it
 * rather than a reset; bodies over the limit are read and discarded up to `maxDrainBytes`; open
 * connections are capped (`maxConnections`, 503 past it); each request has a time limit (408).
 * Extra protocols plug in as {@link RewardRoute}s.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { createRewardRoutes, TRL_REWARD_PATH, VERL_REWARD_PATH } from './reward-server-routes.js';
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

/**
 * A logger that writes one JSON line per event to stderr. The default. `baseFields` go on every
 * line (the multi-process server adds `worker` and `pid`).
 */
export function createStderrLogger(baseFields?: RewardServerLogFields): RewardServerLogger {
  const write = (level: string, message: string, fields?: RewardServerLogFields) => {
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...baseFields, ...fields })}\n`,
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
  /**
   * Open connections served at once (default 256). A request on a connection beyond the cap gets
   * `503` with `Retry-After: 1` and the connection is closed (after its body is read, so the client
   * sees the 503); beyond twice the cap new connections are refused outright.
   */
  maxConnections?: number;
  /**
   * After a `413`, how many more body bytes are read and discarded so that the client, which
   * sends its whole body before reading (Python `http.client`, hence `requests` and OpenRLHF), sees
   * the `413` instead of a connection reset (default 256 MiB). Past it the connection is dropped.
   */
  maxDrainBytes?: number;
  /**
   * Extra POST routes (e.g. other trainers' protocols), tried before the built-in OpenRLHF paths
   * ({@link REWARD_PATHS}). Each gets the parsed JSON body after the shared checks (auth, size,
   * content type, UTF-8, JSON).
   */
  routes?: readonly RewardRoute[];
  /**
   * Whether OpenRLHF responses carry `extra_logs` (every reward component per sample, plus
   * `length_terms_skipped`) by default (default `false`: OpenRLHF needs only `rewards`, and
   * building the logs costs time on every request). A request asks for them either way with
   * `?extra_logs=1` on the URL (e.g. `--reward.remote_url http://127.0.0.1:5000/get_reward?extra_logs=1`);
   * `?extra_logs=0` turns them off.
   */
  extraLogs?: boolean;
  /**
   * Which process of a multi-process server this is (`/health` reports it as `worker`, with the
   * `pid`); `0` (default) for a single-process server.
   */
  workerId?: number;
}

/** What a route answers: a JSON response (200), or a client error with its status and message. */
export type RewardRouteResult =
  | { ok: true; response: unknown; samples?: number }
  | { ok: false; status: number; error: string };

/** One POST route of the reward server. */
export interface RewardRoute {
  /** Path, e.g. `'/trl'` (query strings are ignored when matching). */
  readonly path: string;
  /**
   * Score a parsed JSON body; never throws on request content (return `{ ok: false, status, error }`).
   * `extraLogs` says whether the client asked for per-sample logs (server default or `?extra_logs=`).
   */
  handle(
    body: unknown,
    context: { reward: RewardFunction; maxResponseLength?: number; extraLogs: boolean },
  ): RewardRouteResult;
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

/**
 * The request body as text, decoded once from the one Buffer it was read into: ASCII (the usual
 * case for JSON, whose `\u` escapes are ASCII) as Latin-1, which is the same text and the fastest
 * decoding; anything else validated as UTF-8 first. A leading byte-order mark is dropped (as
 * `TextDecoder` does). `undefined` when the bytes are not valid UTF-8.
 */
function decodeBody(raw: Buffer): string | undefined {
  const body =
    raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
  if (isAscii(body)) return body.toString('latin1');
  if (!isUtf8(body)) return undefined;
  return body.toString('utf8');
}

/** Whether the request asks for `extra_logs`: `?extra_logs=1|true|0|false`, else the server default. */
function extraLogsAsked(url: string | undefined, byDefault: boolean): boolean {
  const q = url === undefined ? -1 : url.indexOf('?');
  if (q === -1) return byDefault;
  const value = new URLSearchParams(url!.slice(q + 1)).get('extra_logs');
  if (value === null) return byDefault;
  return value === '' || value === '1' || value.toLowerCase() === 'true';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Headers to add (e.g. `connection: close`). */
    readonly headers: Record<string, string> = {},
    /** Drop the connection after the response (the body could not be drained). */
    readonly destroy = false,
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
    maxConnections = 256,
    maxDrainBytes = 256 * 1024 * 1024,
    routes = [],
    extraLogs = false,
    workerId = 0,
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
  if (!Number.isInteger(maxConnections) || maxConnections <= 0)
    throw new InvalidArgumentError('maxConnections', 'must be a positive integer');
  if (!Number.isInteger(maxDrainBytes) || maxDrainBytes < 0)
    throw new InvalidArgumentError('maxDrainBytes', 'must be a non-negative integer');
  if (typeof extraLogs !== 'boolean') throw new InvalidArgumentError('extraLogs', 'must be a boolean');
  if (!Number.isInteger(workerId) || workerId < 0)
    throw new InvalidArgumentError('workerId', 'must be a non-negative integer');
  for (const route of routes) {
    if (typeof route?.path !== 'string' || !route.path.startsWith('/') || typeof route.handle !== 'function')
      throw new InvalidArgumentError(
        'routes',
        'each route needs a path starting with "/" and a handle function',
      );
  }
  // Built-in protocols: OpenRLHF (REWARD_PATHS), TRL (`/trl`) and verl (`/verl`); each counts the
  // sequences that lack the response header the reward needs (reported in /health and logged).
  const trainerRoutes = createRewardRoutes({
    reward,
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    onMissingHeader: (f) =>
      logger.warn('WARNING: sequences without the response header; they score as format failures', f),
  });
  const routeTable = new Map<string, RewardRoute>();
  for (const path of [...REWARD_PATHS, TRL_REWARD_PATH, VERL_REWARD_PATH])
    routeTable.set(path, {
      path,
      handle: (body, context) => trainerRoutes.handle(path, body, { extraLogs: context.extraLogs }),
    });
  for (const route of routes) routeTable.set(route.path, route);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? requestTimeoutMs;
  if (options.token === undefined && options.tokenEnv !== undefined && !process.env[options.tokenEnv]) {
    // Named explicitly: an unset variable would silently serve without authentication.
    throw new ConfigError(
      `the environment variable ${options.tokenEnv} named by tokenEnv is unset or empty; set it to the token (tokenEnv is the NAME of the variable, not the token)`,
    );
  }
  const token = options.token ?? (process.env[tokenEnv] || undefined);
  if (token !== undefined && token.length === 0) throw new ConfigError('the bearer token is empty');
  const tokenDigest = token === undefined ? undefined : digest(token);

  let inFlight = 0;
  let closing = false;
  let served = 0;
  const idleWaiters: (() => void)[] = [];

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

  const tooLarge = (declared: string | undefined) =>
    declared !== undefined && /^\d+$/.test(declared)
      ? `request body of ${declared} bytes exceeds the limit of ${maxBodyBytes} bytes`
      : `request body exceeds the limit of ${maxBodyBytes} bytes`;

  /**
   * Read the body. Over the limit, the rest is read and discarded (up to `maxDrainBytes`) before the
   * 413 goes out, so a client that sends its whole body before reading sees the 413 and not a reset.
   */
  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const declared = req.headers['content-length'];
      let over = declared !== undefined && Number(declared) > maxBodyBytes;
      const chunks: Buffer[] = [];
      let size = 0;
      let drained = 0;
      let done = false;
      const settle = (f: () => void) => {
        if (done) return;
        done = true;
        f();
      };
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        if (!over) {
          size += chunk.length;
          if (size <= maxBodyBytes) {
            chunks.push(chunk);
            return;
          }
          over = true;
          chunks.length = 0;
          drained = size;
        } else drained += chunk.length;
        if (drained > maxBodyBytes + maxDrainBytes) {
          settle(() => reject(new HttpError(413, tooLarge(declared), { connection: 'close' }, true)));
        }
      });
      req.on('end', () =>
        settle(() =>
          over
            ? reject(new HttpError(413, tooLarge(declared), { connection: 'close' }))
            : resolve(Buffer.concat(chunks, size)),
        ),
      );
      req.on('error', (err) => settle(() => reject(err)));
      req.on('aborted', () => settle(() => reject(new HttpError(400, 'request aborted by the client'))));
    });

  /**
   * Resolve once the request body has been read to its end (discarding it), so that a response
   * followed by a close reaches the client; `false` when more than `maxDrainBytes` would be needed.
   */
  const drain = (req: IncomingMessage): Promise<boolean> =>
    new Promise((resolve) => {
      if (req.complete || req.readableEnded) {
        resolve(true);
        return;
      }
      let drained = 0;
      const onData = (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > maxDrainBytes) {
          cleanup();
          resolve(false);
        }
      };
      const onEnd = () => {
        cleanup();
        resolve(true);
      };
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('close', onEnd);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('close', onEnd);
      req.resume();
    });

  const handleReward = async (
    route: RewardRoute,
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
  ) => {
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      throw new HttpError(415, 'content-type must be application/json');
    }
    const raw = await readBody(req);
    const text = decodeBody(raw);
    if (text === undefined) throw new HttpError(400, 'request body is not valid UTF-8');
    if (text.trim().length === 0)
      throw new HttpError(400, 'request body is empty; send a JSON object with `query` and `labels`');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'malformed JSON body: it does not parse as JSON');
    }
    const wantLogs = extraLogsAsked(req.url, extraLogs);
    const result = route.handle(
      body,
      maxResponseLength === undefined
        ? { reward, extraLogs: wantLogs }
        : { reward, maxResponseLength, extraLogs: wantLogs },
    );
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

    const fail = async (err: unknown) => {
      if (err instanceof HttpError) {
        logger.warn('request rejected', { method: req.method, path, status: err.status });
        const headers: Record<string, string> = { ...err.headers };
        if (err.status === 401) headers['www-authenticate'] = 'Bearer';
        // Read the rest of the body first: closing a socket with unread data resets it, and a
        // client that writes its whole body before reading would see the reset, not this error.
        const drained = err.destroy ? false : await drain(req);
        if (!drained) headers.connection = 'close';
        send(res, err.status, { error: err.message }, headers);
        if (!drained) res.on('finish', () => req.destroy());
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
          worker: workerId,
          pid: process.pid,
          in_flight: inFlight - 1,
          served,
          max_response_length: maxResponseLength ?? null,
          ...trainerRoutes.health(),
        });
        req.resume();
        return;
      }
      const route = routeTable.get(path);
      if (route === undefined)
        throw new HttpError(
          404,
          `no such endpoint ${path}; POST to ${[...routeTable.keys()].filter((p) => p !== '/').join(' or ')}`,
        );
      if (req.method !== 'POST') throw new HttpError(405, `use POST on ${path}`);
      if (overCap.has(req.socket)) {
        throw new HttpError(503, `too many open connections (limit ${maxConnections}); retry later`, {
          connection: 'close',
          'retry-after': '1',
        });
      }
      if (!authorized(req)) throw new HttpError(401, 'missing or wrong bearer token');
      if (closing) throw new HttpError(503, 'server is shutting down', { connection: 'close' });
      handleReward(route, req, res, started).catch((err) => void fail(err));
    } catch (err) {
      void fail(err);
    }
  });
  // Connection cap: a request on a connection past `maxConnections` gets a 503 (then the
  // connection closes); past twice the cap node refuses new connections outright.
  const overCap = new WeakSet<object>();
  let openConnections = 0;
  server.maxConnections = 2 * maxConnections;
  server.on('connection', (socket) => {
    openConnections++;
    if (openConnections > maxConnections) overCap.add(socket);
    socket.once('close', () => {
      openConnections--;
    });
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
