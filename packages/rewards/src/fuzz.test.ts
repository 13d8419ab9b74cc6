/**
 * 100k generated and mutated judge outputs (deterministic seed) through every parser in both modes,
 * the registry and the rewards: zero exceptions and the result contract. The million-input run with
 * timings is `pnpm fuzz` (scripts/fuzz-parsers.ts).
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../bench/fuzz-judge-outputs.js';

const INPUTS = Number(process.env.JUDGEKIT_FUZZ_INPUTS ?? 100_000);

describe(`fuzz: ${INPUTS} judge outputs through every parser and reward`, () => {
  it('throws nothing and keeps the contract (ok ⇒ finite numbers, failures typed)', () => {
    const report = runFuzz({
      inputs: INPUTS,
      seed: 20251208,
      largeRate: 0.0002,
      maxLargeBytes: 1 << 17,
      directEvery: 10,
    });
    expect(report.inputs).toBe(INPUTS);
    expect(report.exceptions).toEqual([]);
    expect(report.violations).toEqual([]);
    // Not vacuous: every parser both succeeds and fails on the generated inputs.
    for (const [where, outcomes] of Object.entries(report.outcomes)) {
      if (!where.startsWith('registry:')) continue;
      expect(outcomes.ok ?? 0, `${where} successes`).toBeGreaterThan(0);
      expect(
        Object.keys(outcomes).some((k) => k.startsWith('fail:')),
        `${where} failures`,
      ).toBe(true);
    }
  }, 300_000);
});
