import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, NotSupportedError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { loadLocalOnnxModel, loadTransformersJs, resolveModelDir } from './transformers-js-loader.js';

describe('loadTransformersJs', () => {
  it('turns a failed import into NotSupportedError with an install hint', async () => {
    const cause = Object.assign(new Error("Cannot find package '@huggingface/transformers'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const err = await loadTransformersJs(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(NotSupportedError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(
      '`ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers`',
    );
    expect((err as Error).cause).toBe(cause);
  });
  it('loads the installed peer', async () => {
    const tf = await loadTransformersJs();
    expect(typeof tf.AutoTokenizer.from_pretrained).toBe('function');
  });
});

describe('resolveModelDir', () => {
  it('rejects missing paths and files with ConfigError naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judgekit-models-'));
    try {
      await expect(resolveModelDir(join(dir, 'absent'))).rejects.toThrow(join(dir, 'absent'));
      await writeFile(join(dir, 'file.txt'), 'x');
      const err = await resolveModelDir(join(dir, 'file.txt')).catch((e: unknown) => e);
      expect(ConfigError.isInstance(err)).toBe(true);
      expect(await resolveModelDir(dir)).toBe(dir);
      await expect(resolveModelDir('')).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loadLocalOnnxModel', () => {
  it("loads offline without changing transformers.js's process-wide env", async () => {
    const tf = await loadTransformersJs();
    const before = { remote: tf.env.allowRemoteModels, local: tf.env.allowLocalModels };
    const modelPath = fileURLToPath(
      new URL('../../../fixtures/models/tiny-distilbert-sst2', import.meta.url),
    );
    const loaded = await loadLocalOnnxModel({ modelPath }, 'classifier', (t, dir, load) =>
      t.AutoModelForSequenceClassification.from_pretrained(dir, load),
    );
    expect(loaded.id).toBe('tiny-distilbert-sst2');
    expect({ remote: tf.env.allowRemoteModels, local: tf.env.allowLocalModels }).toEqual(before);
    expect(before.remote).toBe(true); // transformers.js's default, left as it was
  });
});
