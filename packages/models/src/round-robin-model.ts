import { InvalidArgumentError } from '@judgekit/core';
import type { GenerateRequest, GenerateResponse, JudgeModel } from './judge-model.js';

/**
 * One `JudgeModel` over several backends serving the same model (e.g. one vLLM instance per GPU
 * node): requests go to the backends in turn, so `n` servers each get every `n`-th call. Each
 * backend keeps its own concurrency bound, retries and timeouts; a call that fails on its backend
 * is not moved to another (its error is the call's error). `id` defaults to the first backend's.
 */
export function createRoundRobinModel(
  models: readonly JudgeModel[],
  options: { id?: string } = {},
): JudgeModel {
  if (!Array.isArray(models) || models.length === 0)
    throw new InvalidArgumentError('models', 'must be a non-empty array of JudgeModel');
  if (models.length === 1 && options.id === undefined) return models[0]!;
  let next = 0;
  return {
    id: options.id ?? models[0]!.id,
    generate(request: GenerateRequest): Promise<GenerateResponse> {
      const model = models[next]!;
      next = (next + 1) % models.length;
      return model.generate(request);
    },
  };
}
