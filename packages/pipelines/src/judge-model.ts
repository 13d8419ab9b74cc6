/**
 * The slice of `@judgekit/models`' `JudgeModel` contract that the pipelines use. Declared here
 * structurally, so any backend of `@judgekit/models` (OpenAI-compatible HTTP, local ONNX, the fake
 * model) and any hand-written object of the same shape can be passed.
 */

import type { ChatMessage, Usage } from '@judgekit/core';

/** One generation request (see `@judgekit/models`). */
export interface JudgeRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  seed?: number;
  signal?: AbortSignal;
}

/** One generation (see `@judgekit/models`). `latencyMs` in milliseconds. */
export interface JudgeResponse {
  text: string;
  reasoningContent?: string;
  usage: Usage;
  finishReason?: string;
  cached: boolean;
  model: string;
  latencyMs: number;
}

/** A judge model: anything with an `id` and a `generate` that returns text and usage. */
export interface JudgeModel {
  readonly id: string;
  generate(request: JudgeRequest): Promise<JudgeResponse>;
}
