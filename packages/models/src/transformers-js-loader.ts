import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, NotSupportedError } from '@judgekit/core';

/** The `@huggingface/transformers` module namespace (an optional peer dependency). */
export type TransformersJsModule = typeof import('@huggingface/transformers');

/**
 * ONNX weight variant to load (transformers.js `dtype`): picks `onnx/model_<suffix>.onnx`
 * (`fp32` → `model.onnx`, `fp16` → `model_fp16.onnx`, `q8` → `model_quantized.onnx`, …).
 * `'auto'` / unset: the model's `config.json` `transformers.js_config.dtype`, else fp32.
 */
export type OnnxDtype = 'auto' | 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';

/** Options shared by every local ONNX backend. */
export interface LocalOnnxModelOptions {
  /** Folder holding `config.json`, the tokenizer files and `onnx/model*.onnx` (absolute or relative to the cwd). */
  modelPath: string;
  /** ONNX weight variant (see {@link OnnxDtype}). */
  dtype?: OnnxDtype;
  /** Execution device; only `'cpu'` (onnxruntime-node) is supported. */
  device?: 'cpu';
  /** Identifier reported as `id` (default: the folder name). */
  id?: string;
}

const INSTALL_HINT =
  'Local ONNX backends need the optional peer dependency "@huggingface/transformers", which brings ' +
  'the onnxruntime-node it pins (do not install a second one): ' +
  '`ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers` (or pnpm add / yarn add; ' +
  'ONNXRUNTIME_NODE_INSTALL=skip keeps onnxruntime-node from downloading GPU libraries, so it works ' +
  'offline; the CPU backend these models use ships in the package).';

let cached: Promise<TransformersJsModule> | undefined;

/**
 * Import `@huggingface/transformers` on demand. Rejects with core `NotSupportedError` (with an install
 * hint and the import error as `cause`) when it, or its onnxruntime-node binding, cannot be loaded.
 * `importer` exists for tests; the default import is cached for the process.
 */
export async function loadTransformersJs(
  importer?: () => Promise<TransformersJsModule>,
): Promise<TransformersJsModule> {
  if (importer) return importOrExplain(importer);
  cached ??= importOrExplain(() => import('@huggingface/transformers'));
  try {
    return await cached;
  } catch (error) {
    cached = undefined;
    throw error;
  }
}

async function importOrExplain(importer: () => Promise<TransformersJsModule>): Promise<TransformersJsModule> {
  try {
    return await importer();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new NotSupportedError(`${INSTALL_HINT} Import failed: ${why}`, { cause: error });
  }
}

/**
 * Resolve `modelPath` to an absolute folder and check it exists, throwing core `ConfigError` naming
 * the path otherwise.
 */
export async function resolveModelDir(modelPath: string): Promise<string> {
  if (typeof modelPath !== 'string' || modelPath === '') {
    throw new ConfigError('modelPath must be a non-empty path to a local model folder');
  }
  const dir = resolve(modelPath);
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new ConfigError(
      `model folder "${dir}" does not exist (modelPath "${modelPath}"); expected a folder with config.json, tokenizer files and onnx/model*.onnx`,
      { cause: error },
    );
  }
  if (!isDir) throw new ConfigError(`modelPath "${dir}" is not a folder`);
  return dir;
}

/**
 * Offline `from_pretrained` options for a local folder: `local_files_only` never touches the
 * network. transformers.js's global `env` is left as the caller set it (no process-wide change).
 */
export function offlineLoadOptions(options: Pick<LocalOnnxModelOptions, 'dtype' | 'device'>): {
  local_files_only: true;
  device: 'cpu';
  dtype?: Exclude<OnnxDtype, 'auto'>;
} {
  if (options.device !== undefined && options.device !== 'cpu') {
    throw new NotSupportedError(
      `device "${String(options.device)}" is not supported; only "cpu" (onnxruntime-node)`,
    );
  }
  const out: { local_files_only: true; device: 'cpu'; dtype?: Exclude<OnnxDtype, 'auto'> } = {
    local_files_only: true,
    device: 'cpu',
  };
  if (options.dtype !== undefined && options.dtype !== 'auto') out.dtype = options.dtype;
  return out;
}

/** Run `load`, turning its failure into a core `ConfigError` that names the folder. */
export async function loadOrExplain<T>(what: string, dir: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`could not load ${what} from "${dir}": ${why}`, { cause: error });
  }
}

/** Last path segment of a folder, used as default model id. */
export function folderName(dir: string): string {
  const parts = dir.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? dir;
}

/** A local model folder loaded offline by {@link loadLocalOnnxModel}. */
export interface LoadedLocalOnnxModel<M> {
  /** Absolute path of the model folder. */
  dir: string;
  /** The transformers.js module (for its `Tensor`, `StoppingCriteria`, …). */
  tf: TransformersJsModule;
  tokenizer: Awaited<ReturnType<TransformersJsModule['AutoTokenizer']['from_pretrained']>>;
  model: M;
  /** `options.id`, else the folder name. */
  id: string;
}

/**
 * Resolve the folder, import transformers.js and load the tokenizer and the model offline, with
 * every failure explained ({@link resolveModelDir}, {@link loadOrExplain}). Shared by the local
 * backends so they load a folder the same way.
 */
export async function loadLocalOnnxModel<M>(
  options: LocalOnnxModelOptions,
  what: string,
  loadModel: (
    tf: TransformersJsModule,
    dir: string,
    load: ReturnType<typeof offlineLoadOptions>,
  ) => Promise<M>,
): Promise<LoadedLocalOnnxModel<M>> {
  const dir = await resolveModelDir(options.modelPath);
  const tf = await loadTransformersJs();
  const load = offlineLoadOptions(options);
  const tokenizer = await loadOrExplain('tokenizer', dir, () =>
    tf.AutoTokenizer.from_pretrained(dir, { local_files_only: true }),
  );
  const model = await loadOrExplain(what, dir, () => loadModel(tf, dir, load));
  return { dir, tf, tokenizer, model, id: options.id ?? folderName(dir) };
}
