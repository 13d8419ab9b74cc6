import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenerateRequest, GenerateResponse } from './judge-model.js';

/**
 * A response cache keyed by `cacheKey(...)`. Backends store responses with `cached: false`, and return
 * hits with `cached: true`. Implementations must not throw on a missing or unreadable entry: that is a miss.
 */
export interface ResponseCache {
  /** The stored response for `key`, or `undefined` on a miss. */
  get(key: string): Promise<GenerateResponse | undefined>;
  /** Store `value` under `key` (overwrites). */
  set(key: string, value: GenerateResponse): Promise<void>;
}

/** An in-process cache backed by a `Map`; entries are copied in and out, so callers cannot mutate them. */
export function createMemoryCache(): ResponseCache {
  const map = new Map<string, string>();
  return {
    async get(key) {
      const s = map.get(key);
      return s === undefined ? undefined : (JSON.parse(s) as GenerateResponse);
    },
    async set(key, value) {
      map.set(key, JSON.stringify(value));
    },
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

function fileName(key: string): string {
  // Keys from `cacheKey` are sha256 hex; anything else is hashed so it cannot escape `dir`.
  const safe = HEX64.test(key) ? key : sha256Hex(key);
  return `${safe}.json`;
}

function isResponse(value: unknown): value is GenerateResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const u = v.usage as Record<string, unknown> | undefined;
  return (
    typeof v.text === 'string' &&
    typeof u === 'object' &&
    u !== null &&
    typeof u.promptTokens === 'number' &&
    typeof u.completionTokens === 'number' &&
    typeof u.totalTokens === 'number'
  );
}

/**
 * A cache on disk: one JSON file `<dir>/<key>.json` per entry, written atomically (temporary file in
 * the same folder, then `rename`), so concurrent writers and crashed runs never leave a torn entry.
 * `dir` is created on first write. Unreadable or malformed files count as misses. Entries survive
 * process restarts, which makes re-running an evaluation free.
 */
export function createFileCache(dir: string): ResponseCache {
  let made: Promise<unknown> | undefined;
  return {
    async get(key) {
      let raw: string;
      try {
        raw = await readFile(join(dir, fileName(key)), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const value: unknown = JSON.parse(raw);
        return isResponse(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const target = join(dir, fileName(key));
      const tmp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, `${JSON.stringify(value)}\n`, 'utf8');
        await rename(tmp, target);
      } catch (error) {
        await unlink(tmp).catch(() => undefined);
        throw error;
      }
    },
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted and `undefined` members dropped, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * Cache key of a request: the sha256 (hex) of the canonical JSON of the model id, the messages
 * (role and content only) and the sampling parameters (`maxTokens`, `temperature`, `topP`, `stop`,
 * `seed`; `responseFormat` and `topLogprobs` when set). The `abortSignal` (and `signal`) is ignored. `extra` (e.g. a backend's `extraBody`, which may change the output
 * through `chat_template_kwargs`) is mixed in when given and non-empty. API keys never enter a key.
 */
export function cacheKey(modelId: string, request: GenerateRequest, extra?: Record<string, unknown>): string {
  const payload: Record<string, unknown> = {
    v: 1,
    model: modelId,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    stop: request.stop,
    seed: request.seed,
  };
  if (extra !== undefined && Object.keys(extra).length > 0) payload.extra = extra;
  if (request.responseFormat !== undefined) payload.responseFormat = request.responseFormat;
  if (request.topLogprobs !== undefined) payload.topLogprobs = request.topLogprobs;
  return sha256Hex(canonicalJson(payload));
}
