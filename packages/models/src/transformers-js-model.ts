import {
  AbortedError,
  type ChatMessage,
  InvalidArgumentError,
  JudgekitError,
  ModelCallError,
} from '@judgekit/core';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import {
  type GenerateRequest,
  type GenerateResponse,
  type JudgeModel,
  requestAbortSignal,
} from './judge-model.js';
import { type LocalOnnxModelOptions, loadLocalOnnxModel } from './transformers-js-loader.js';

/** Options of {@link createTransformersJsModel}. */
export interface TransformersJsModelOptions extends LocalOnnxModelOptions {
  /** Default maximum of new tokens when a request sets no `maxTokens` (default 256). */
  maxNewTokens?: number;
  /**
   * Turn the chat into the prompt text yourself. Default: the tokenizer's chat template when it has
   * one, else {@link plainChatPrompt}. `continueFinalMessage` is true when the last message is an
   * assistant prefill; the returned text must then end with that message's content.
   */
  formatPrompt?: (messages: ChatMessage[], options: { continueFinalMessage: boolean }) => string;
}

/**
 * Fallback prompt for tokenizers without a chat template: one `role: content` line per message, then
 * `assistant: ` followed by the prefill (verbatim, no trailing newline) or nothing. Example:
 * `[{user,'Hi'}]` → `"user: Hi\nassistant: "`.
 */
export function plainChatPrompt(messages: readonly ChatMessage[]): string {
  const last = messages[messages.length - 1];
  const prefill = last?.role === 'assistant' ? last : undefined;
  const body = prefill ? messages.slice(0, -1) : messages;
  let out = '';
  for (const m of body) out += `${m.role}: ${m.content}\n`;
  return `${out}assistant: ${prefill?.content ?? ''}`;
}

interface TokenizerLike {
  chat_template?: unknown;
  apply_chat_template(messages: ChatMessage[], options: Record<string, unknown>): unknown;
}

/**
 * Render with a Jinja chat template. A prefill follows Hugging Face transformers'
 * `continue_final_message=True` (transformers `src/transformers/utils/chat_template_utils.py`):
 * render the whole chat without a generation prompt, then cut the text right after the last
 * occurrence of the final message's content (whitespace kept when it is found verbatim, else
 * matched trimmed as upstream does).
 */
function renderWithTemplate(tokenizer: TokenizerLike, messages: ChatMessage[], prefill: boolean): string {
  const text = tokenizer.apply_chat_template(messages, {
    tokenize: false,
    add_generation_prompt: !prefill,
  }) as string;
  if (!prefill) return text;
  const content = messages[messages.length - 1]!.content;
  let at = text.lastIndexOf(content);
  let len = content.length;
  if (at < 0 || content === '') {
    const trimmed = content.trim();
    at = trimmed === '' ? -1 : text.lastIndexOf(trimmed);
    len = trimmed.length;
  }
  if (at < 0) {
    throw new InvalidArgumentError(
      'messages',
      'the chat template did not reproduce the final assistant message, so it cannot be continued',
    );
  }
  return text.slice(0, at + len);
}

/**
 * A `JudgeModel` running a local ONNX causal LM in-process through transformers.js
 * (`@huggingface/transformers` + `onnxruntime-node`, optional peer dependencies, imported on first
 * use). Loads offline from `modelPath` with `local_files_only` (transformers.js's global `env` is
 * not changed); the factory resolves once tokenizer and weights are loaded.
 *
 * Per request: the chat is rendered with the tokenizer's chat template (add_generation_prompt, or a
 * continued assistant prefill), or {@link plainChatPrompt} when the tokenizer has none; `temperature`
 * 0 or unset → greedy (`do_sample: false`), > 0 → sampling with `temperature` / `top_p` (transformers.js
 * sampling is not seedable: `seed` is ignored); `stop` strings end generation and are cut from the
 * text. `text` is the decoded continuation only (special tokens skipped); `usage.promptTokens` = input
 * ids length, `usage.completionTokens` = generated ids (EOS included, as vLLM counts);
 * `finishReason` `'stop'` (EOS or stop string) or `'length'`. Calls on one model run one at a time.
 *
 * Rejects: `NotSupportedError` (peers missing, device not cpu), `ConfigError` (folder missing or
 * unloadable, naming the path); `generate` rejects with `ModelCallError`, `AbortedError`, or
 * `InvalidArgumentError` (empty chat).
 */
export async function createTransformersJsModel(options: TransformersJsModelOptions): Promise<JudgeModel> {
  const defaultMaxNew = options.maxNewTokens ?? 256;
  if (!(Number.isInteger(defaultMaxNew) && defaultMaxNew >= 1)) {
    throw new InvalidArgumentError('maxNewTokens', `must be an integer >= 1, got ${defaultMaxNew}`);
  }
  const { tf, tokenizer, model, id } = await loadLocalOnnxModel(options, 'causal LM', (tf, dir, load) =>
    tf.AutoModelForCausalLM.from_pretrained(dir, load),
  );
  const limiter = createConcurrencyLimiter(1);
  const hasTemplate = typeof (tokenizer as unknown as TokenizerLike).chat_template === 'string';

  const eosIds = new Set<number>();
  const addEos = (v: unknown): void => {
    if (typeof v === 'number') eosIds.add(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'number') eosIds.add(x);
  };
  addEos(
    (model as unknown as { generation_config?: { eos_token_id?: unknown } }).generation_config?.eos_token_id,
  );
  addEos((model.config as unknown as { eos_token_id?: unknown }).eos_token_id);
  addEos((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);

  class StopCriteria extends tf.StoppingCriteria {
    constructor(
      private readonly promptLength: number,
      private readonly stop: readonly string[],
      private readonly signal: AbortSignal | undefined,
    ) {
      super();
    }
    override _call(inputIds: number[][]): boolean[] {
      return inputIds.map((ids) => {
        if (this.signal?.aborted) return true;
        if (this.stop.length === 0) return false;
        const text = tokenizer.decode(ids.slice(this.promptLength), { skip_special_tokens: true });
        return this.stop.some((s) => text.includes(s));
      });
    }
  }

  const run = async (request: GenerateRequest): Promise<Omit<GenerateResponse, 'latencyMs'>> => {
    const { messages, signal } = request;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new InvalidArgumentError('messages', 'must hold at least one message');
    }
    const prefill = messages[messages.length - 1]!.role === 'assistant';
    let prompt: string;
    let addSpecial: boolean;
    if (options.formatPrompt) {
      prompt = options.formatPrompt(messages, { continueFinalMessage: prefill });
      addSpecial = true;
    } else if (hasTemplate) {
      prompt = renderWithTemplate(tokenizer as unknown as TokenizerLike, messages, prefill);
      addSpecial = false; // templates carry their own BOS, as transformers' apply_chat_template(tokenize=True)
    } else {
      prompt = plainChatPrompt(messages);
      addSpecial = true;
    }
    const enc = tokenizer(prompt, { add_special_tokens: addSpecial }) as unknown as {
      input_ids: { dims: number[] };
      attention_mask: unknown;
    };
    const promptTokens = enc.input_ids.dims[1] ?? 0;
    if (promptTokens === 0) throw new InvalidArgumentError('messages', 'the prompt tokenizes to zero tokens');
    const maxNew = request.maxTokens ?? defaultMaxNew;
    if (!(Number.isInteger(maxNew) && maxNew >= 1)) {
      throw new InvalidArgumentError('maxTokens', `must be an integer >= 1, got ${maxNew}`);
    }
    const temperature = request.temperature ?? 0;
    const sample = temperature > 0;
    const stop = (request.stop ?? []).filter((s) => s !== '');
    const genOptions: Record<string, unknown> = {
      ...enc,
      max_new_tokens: maxNew,
      do_sample: sample,
      stopping_criteria: [new StopCriteria(promptTokens, stop, signal)],
    };
    if (sample) {
      genOptions.temperature = temperature;
      if (request.topP !== undefined) genOptions.top_p = request.topP;
    }
    let out: { data: ArrayLike<bigint | number>; dims: number[] };
    try {
      out = (await model.generate(genOptions as never)) as unknown as typeof out;
    } catch (error) {
      if (JudgekitError.isInstance(error)) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new ModelCallError(`transformers.js generate failed for "${id}": ${why}`, { cause: error });
    }
    if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
    const total = out.dims[1] ?? 0;
    const generated: number[] = [];
    for (let i = promptTokens; i < total; i++) generated.push(Number(out.data[i]));
    let text = tokenizer.decode(generated, { skip_special_tokens: true });
    let finishReason = generated.length >= maxNew ? 'length' : 'stop';
    const lastId = generated[generated.length - 1];
    if (lastId !== undefined && eosIds.has(lastId)) finishReason = 'stop';
    let cut = -1;
    for (const s of stop) {
      const at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      text = text.slice(0, cut);
      finishReason = 'stop';
    }
    const completionTokens = generated.length;
    return {
      text,
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
      finishReason,
      cached: false,
      model: id,
    };
  };

  return {
    id,
    async generate(request) {
      const started = Date.now();
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      const res = await limiter.run(() => run(request), signal);
      return { ...res, latencyMs: Date.now() - started };
    },
  };
}
