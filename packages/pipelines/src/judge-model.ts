/**
 * The model contract the pipelines use is `@judgekit/models`' `JudgeModel`: any of its backends
 * (OpenAI-compatible HTTP, local ONNX, the fake model) or a hand-written object of the same shape.
 * Re-exported under the names the pipelines' API uses.
 */
export type {
  GenerateRequest as JudgeRequest,
  GenerateResponse as JudgeResponse,
  JudgeModel,
} from '@judgekit/models';
