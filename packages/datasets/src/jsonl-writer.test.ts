import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@judgekit/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendJsonl, parseJsonlResumable, readJsonlIfExists } from './jsonl-writer.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'judgekit-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appendJsonl / readJsonlIfExists', () => {
  it('reports a missing file as not existing', async () => {
    expect(await readJsonlIfExists(join(dir, 'nope.jsonl'))).toEqual({
      exists: false,
      records: [],
      repaired: false,
    });
  });

  it('appends one line per record and reads them back', async () => {
    const path = join(dir, 'a.jsonl');
    await appendJsonl(path, [{ id: 1 }, { id: 2 }]);
    await appendJsonl(path, [{ id: 3, text: 'é\n"' }], { fsync: true });
    await appendJsonl(path, []);
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n{"id":3,"text":"é\\n\\""}\n');
    const res = await readJsonlIfExists(path);
    expect(res.records.map((r) => r.value)).toEqual([{ id: 1 }, { id: 2 }, { id: 3, text: 'é\n"' }]);
    expect(res.truncated).toBeUndefined();
  });

  it('reports a truncated last line instead of failing, and repairs it on request', async () => {
    const path = join(dir, 'crash.jsonl');
    await writeFile(path, '{"id":"é1"}\n{"id":2}\n{"id":3,"te');
    const res = await readJsonlIfExists(path);
    expect(res.records.map((r) => r.value)).toEqual([{ id: 'é1' }, { id: 2 }]);
    expect(res.truncated).toEqual({ line: 3, text: '{"id":3,"te', byteOffset: 22 });
    expect(res.repaired).toBe(false);

    // Appending on top of the partial line would corrupt the next record: refused.
    const err = await appendJsonl(path, [{ id: 3 }]).catch((e: unknown) => e);
    expect(DataFormatError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(`${path}:3`);
    expect((err as Error).message).toContain('repair');

    const repaired = await readJsonlIfExists(path, { repair: true });
    expect(repaired.repaired).toBe(true);
    await appendJsonl(path, [{ id: 3 }]);
    expect(await readFile(path, 'utf8')).toBe('{"id":"é1"}\n{"id":2}\n{"id":3}\n');
  });

  it('adds the missing newline after a complete last line before appending', async () => {
    const path = join(dir, 'nonl.jsonl');
    await writeFile(path, '{"id":1}');
    await appendJsonl(path, [{ id: 2 }]);
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n');
  });

  it('still fails on a malformed line that is not the last', () => {
    expect(() => parseJsonlResumable('{"a":1}\n{"a"\n{"a":2}\n', 'r.jsonl')).toThrow(
      /r\.jsonl:2: invalid JSON/,
    );
    expect(() => parseJsonlResumable('{"a":1}\n{"a"\n', 'r.jsonl')).toThrow(/r\.jsonl:2/);
  });

  it('recovers every complete record from any prefix of a written file (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (records, cut) => {
          const full = records.map((r) => `${JSON.stringify(r)}\n`).join('');
          const prefix = full.slice(0, cut % (full.length + 1));
          const res = parseJsonlResumable(prefix, 'p.jsonl');
          const complete = prefix.split('\n').length - 1;
          // All complete lines come back; a partial object line is reported, never silently lost.
          expect(res.records.length === complete || res.records.length === complete + 1).toBe(true);
          expect(res.records.slice(0, complete).map((r) => r.value)).toEqual(
            records.slice(0, complete).map((r) => JSON.parse(JSON.stringify(r))),
          );
          const tail = prefix.slice(prefix.lastIndexOf('\n') + 1);
          if (res.records.length === complete && tail.trim() !== '') expect(res.truncated?.text).toBe(tail);
        },
      ),
    );
  });
});
