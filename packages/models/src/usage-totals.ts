import { addUsage, emptyUsage, type Usage } from '@judgekit/core';
import type { GenerateRequest, GenerateResponse, JudgeModel } from './judge-model.js';

/** Running totals of token usage over many model calls. */
export interface UsageTotals {
  /** Summed usage of every added response (cache hits included, as they were recorded). */
  readonly usage: Usage;
  /** Summed usage of responses that actually reached a model (`cached: false`). */
  readonly billedUsage: Usage;
  /** Number of responses added. */
  readonly calls: number;
  /** Number of those served from a cache. */
  readonly cachedCalls: number;
  /** Add one response (or a bare `Usage`, counted as a non-cached call). Returns `this`. */
  add(item: GenerateResponse | Usage): UsageTotals;
  /** Back to zero. */
  reset(): void;
}

function isResponse(item: GenerateResponse | Usage): item is GenerateResponse {
  return 'usage' in item;
}

/**
 * Create a usage accumulator (sums with core `addUsage`), optionally seeded with `items`.
 * Use `trackUsage(model, totals)` to feed it from every call of a model.
 */
export function usageTotals(items: Iterable<GenerateResponse | Usage> = []): UsageTotals {
  let usage = emptyUsage();
  let billed = emptyUsage();
  let calls = 0;
  let cachedCalls = 0;
  const totals: UsageTotals = {
    get usage() {
      return usage;
    },
    get billedUsage() {
      return billed;
    },
    get calls() {
      return calls;
    },
    get cachedCalls() {
      return cachedCalls;
    },
    add(item) {
      const u = isResponse(item) ? item.usage : item;
      const cached = isResponse(item) && item.cached;
      usage = addUsage(usage, u);
      if (!cached) billed = addUsage(billed, u);
      calls++;
      if (cached) cachedCalls++;
      return totals;
    },
    reset() {
      usage = emptyUsage();
      billed = emptyUsage();
      calls = 0;
      cachedCalls = 0;
    },
  };
  for (const item of items) totals.add(item);
  return totals;
}

/** Wrap `model` so every successful response is added to `totals`. The wrapper keeps the model's `id`. */
export function trackUsage(model: JudgeModel, totals: UsageTotals): JudgeModel {
  return {
    id: model.id,
    async generate(request: GenerateRequest) {
      const response = await model.generate(request);
      totals.add(response);
      return response;
    },
  };
}
