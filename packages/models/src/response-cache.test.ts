import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateResponse } from './judge-model.js';
import { cacheKey, canonicalJson, createFileCache, createMemoryCache } from './response-cache.js';

const response: GenerateResponse = {
  text: '8 3\nAssistant 1 is better.',
  reasoningContent: 'think',
  usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
  finishReason: 'stop',
  cached: false,
  model: 'm',
  latencyMs: 12,
};
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('cacheKey', () => {
  it('is a sha256 hex digest that ignores key order, undefined members and the signal', () => {
    const k = cacheKey('m', { messages, temperature: 0, maxTokens: 5 });
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(
      cacheKey('m', { maxTokens: 5, temperature: 0, messages, seed: undefined, signal: AbortSignal.abort() }),
    ).toBe(k);
    expect(cacheKey('m', { messages, temperature: 0, maxTokens: 5 }, {})).toBe(k);
  });

  it('changes with model, messages, each sampling parameter and extra', () => {
    const base = { messages, temperature: 0, maxTokens: 5, topP: 1, stop: ['x'], seed: 1 };
    const k = cacheKey('m', base);
    const variants = [
      cacheKey('m2', base),
      cacheKey('m', { ...base, messages: [{ role: 'user', content: 'hi!' }] }),
      cacheKey('m', { ...base, messages: [{ role: 'system', content: 'hi' }] }),
      cacheKey('m', { ...base, temperature: 0.1 }),
      cacheKey('m', { ...base, maxTokens: 6 }),
      cacheKey('m', { ...base, topP: 0.9 }),
      cacheKey('m', { ...base, stop: ['y'] }),
      cacheKey('m', { ...base, seed: 2 }),
      cacheKey('m', base, { top_k: 1 }),
    ];
    expect(new Set([k, ...variants]).size).toBe(variants.length + 1);
  });

  it('canonicalJson is order-independent and round-trips to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('createMemoryCache', () => {
  it('stores copies', async () => {
    const cache = createMemoryCache();
    expect(await cache.get('k')).toBeUndefined();
    const value = { ...response };
    await cache.set('k', value);
    value.text = 'mutated';
    const got = await cache.get('k');
    expect(got).toEqual(response);
    got!.text = 'mutated again';
    expect((await cache.get('k'))?.text).toBe(response.text);
  });
});

describe('createFileCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'judgekit-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON file per key atomically and reads it back from a new instance', async () => {
    const key = cacheKey('m', { messages });
    await createFileCache(dir).set(key, response);
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    expect(JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8'))).toEqual(response);
    expect(await createFileCache(dir).get(key)).toEqual(response);
  });

  it('survives concurrent writers of the same key without torn files', async () => {
    const cache = createFileCache(dir);
    const key = cacheKey('m', { messages });
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(key, { ...response, text: `v${i}` })));
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    expect((await cache.get(key))?.text).toMatch(/^v\d+$/);
  });

  it('treats missing, corrupt and wrongly shaped files as misses', async () => {
    const cache = createFileCache(join(dir, 'absent'));
    expect(await cache.get('a'.repeat(64))).toBeUndefined();
    await writeFile(join(dir, `${'b'.repeat(64)}.json`), '{"text": "trunc');
    await writeFile(join(dir, `${'c'.repeat(64)}.json`), '{"text": 1}');
    const c2 = createFileCache(dir);
    expect(await c2.get('b'.repeat(64))).toBeUndefined();
    expect(await c2.get('c'.repeat(64))).toBeUndefined();
  });

  it('hashes keys that are not sha256 hex so they cannot escape the folder', async () => {
    const cache = createFileCache(dir);
    await cache.set('../../escape', response);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(await cache.get('../../escape')).toEqual(response);
  });
});
