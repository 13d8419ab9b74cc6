import { InvalidArgumentError } from '@judgekit/core';
import { type AiSdkLanguageModel, createAiSdkJudgeModel, isAiSdkLanguageModel } from './ai-sdk-model.js';
import type { JudgeModel } from './judge-model.js';
import { isOpenAIClient } from './openai-client-model.js';

/** What judge APIs accept as a model: a `JudgeModel`, or an AI SDK language model object (wrapped on the fly). */
export type JudgeModelLike = JudgeModel | AiSdkLanguageModel;

function isJudgeModel(value: unknown): value is JudgeModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as JudgeModel).generate === 'function' &&
    typeof (value as JudgeModel).id === 'string'
  );
}

/**
 * A `JudgeModel` from a `JudgeModelLike`: a `JudgeModel` as is, an AI SDK model through
 * `createAiSdkJudgeModel` with default options. An OpenAI SDK client needs its model name, so it is
 * an `InvalidArgumentError` that names `createOpenAIClientModel`.
 */
export function asJudgeModel(value: JudgeModelLike, argument = 'model'): JudgeModel {
  if (isJudgeModel(value)) return value;
  if (isAiSdkLanguageModel(value)) return createAiSdkJudgeModel(value);
  if (isOpenAIClient(value))
    throw new InvalidArgumentError(
      argument,
      "an OpenAI SDK client needs a model name: wrap it with createOpenAIClientModel(client, { model: '…' })",
    );
  if (typeof value === 'string')
    throw new InvalidArgumentError(
      argument,
      `${JSON.stringify(value)} is a model name, not a model; create one with createOpenAICompatibleModel({ model: ${JSON.stringify(value)} })`,
    );
  throw new InvalidArgumentError(
    argument,
    'expected a JudgeModel ({ id, generate }) or an AI SDK language model object',
  );
}
