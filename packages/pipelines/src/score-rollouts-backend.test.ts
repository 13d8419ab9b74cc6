/**
 * scoreRolloutsOnBackend: the loss and gradients through @judgekit/webgpu's grpoClipKlLoss op on
 * the CPU (float64, equal to grpoStep) and on the WebGPU adapter this process finds (Mesa lavapipe
 * here and in CI), within the webgpu package's documented float32 tolerance. With
 * JUDGEKIT_REQUIRE_GPU=1 (CI) a missing adapter fails the run instead of skipping the GPU cases.
 */
import { join } from 'node:path';
import { NotSupportedError } from '@judgekit/core';
import { getBackend } from '@judgekit/webgpu';
import { describe, expect, it } from 'vitest';
import { readRollouts, type ScoredRollouts, scoreRollouts } from './score-rollouts.js';
import {
  type ComputeBackendKind,
  scoreRolloutsOnBackend,
  WEBGPU_LOSS_TOLERANCE,
} from './score-rollouts-backend.js';

const FIXTURE = join(__dirname, '../../../fixtures/rollouts/judgelrm-rollouts.jsonl');
const requireGpu = process.env.JUDGEKIT_REQUIRE_GPU === '1';
const probe = await getBackend('auto');
const hasGpu = probe.name === 'webgpu';
const probeMessage = probe.selection.message;
probe.dispose();
const gpuLabel = hasGpu ? '' : ' (skipped: no WebGPU adapter)';

function close(got: number, want: number, rtol: number, atol: number): boolean {
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

/** Every gradient entry within rtol·|ref| + atol·max|ref| (the conformance suite's gradient rule). */
function expectGradsClose(got: Float64Array | null, want: Float64Array | null, rtol: number, atol: number) {
  expect(got === null).toBe(want === null);
  if (got === null || want === null) return;
  expect(got.length).toBe(want.length);
  let scale = 0;
  for (const x of want) scale = Math.max(scale, Math.abs(x));
  expect(scale).toBeGreaterThan(0);
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++)
    if (!close(got[i] as number, want[i] as number, rtol, atol * scale))
      bad.push(`[${i}] ${got[i]} vs ${want[i]}`);
  expect(bad.slice(0, 5)).toEqual([]);
}

function expectAgree(got: ScoredRollouts, want: ScoredRollouts, rtol: number, atol: number) {
  for (const k of ['loss', 'pgLoss'] as const)
    expect(close(got[k], want[k], rtol, atol), `${k}: ${got[k]} vs ${want[k]}`).toBe(true);
  for (const k of ['pg_clipfrac', 'ppo_kl', 'pg_clipfrac_lower', 'kl_loss']) {
    const g = got.stats.trainerMetrics[k];
    const w = want.stats.trainerMetrics[k];
    expect(w, k).toBeTypeOf('number');
    expect(close(g as number, w as number, rtol, atol), `${k}: ${g} vs ${w}`).toBe(true);
  }
  expectGradsClose(got.gradLogProbs, want.gradLogProbs, rtol, atol);
  expectGradsClose(got.gradRefLogProbs, want.gradRefLogProbs, rtol, atol);
  // rewards, advantages and per-token loss statistics are the CPU's on every backend
  expect(Array.from(got.advantages)).toEqual(Array.from(want.advantages));
  expect(Array.from(got.perTokenLoss)).toEqual(Array.from(want.perTokenLoss));
}

// clip 0.05 and a larger KL coefficient: the fixture's ratios then leave the clip range
const VERL = { clipRatio: 0.05, klLossCoef: 0.05 };

describe('scoreRolloutsOnBackend', () => {
  it('cpu: the op (float64) equals scoreRollouts / grpoStep and records what produced it', async () => {
    const rollouts = await readRollouts(FIXTURE);
    const ref = scoreRollouts(rollouts, { convention: 'verl', verl: VERL });
    const got = await scoreRolloutsOnBackend(rollouts, { convention: 'verl', verl: VERL, backend: 'cpu' });
    expect(got.backend).toMatchObject({
      requested: 'cpu',
      chosen: 'cpu',
      adapter: null,
      computedBy: 'grpoClipKlLoss',
      precision: 'float64',
    });
    expect(ref.backend.computedBy).toBe('grpoStep');
    expect(got.stats.clipFraction).toBeGreaterThan(0);
    expectAgree(got, ref, 1e-12, 1e-14);
  });

  it(`a WebGPU adapter is present${requireGpu ? ' (required: JUDGEKIT_REQUIRE_GPU=1)' : ''}`, (ctx) => {
    if (!hasGpu && !requireGpu) ctx.skip(probeMessage);
    expect(hasGpu, probeMessage).toBe(true);
  });

  it.skipIf(!hasGpu)(
    `webgpu${gpuLabel}: loss, gradients and clip metrics agree with the CPU within the float32 tolerance`,
    async () => {
      const rollouts = await readRollouts(FIXTURE);
      const cpu = await scoreRolloutsOnBackend(rollouts, { convention: 'verl', verl: VERL, backend: 'cpu' });
      const seen: string[] = [];
      const gpu = await scoreRolloutsOnBackend(rollouts, {
        convention: 'verl',
        verl: VERL,
        backend: 'webgpu',
        onBackendSelected: (b) => seen.push(b.message),
      });
      expect(gpu.backend).toMatchObject({ requested: 'webgpu', chosen: 'webgpu', precision: 'float32' });
      expect(gpu.backend.adapter).toBeTruthy();
      expect(seen).toEqual([gpu.backend.message]);
      expect(gpu.gradLogProbs).toBeInstanceOf(Float64Array);
      expectAgree(gpu, cpu, WEBGPU_LOSS_TOLERANCE.rtol, WEBGPU_LOSS_TOLERANCE.atol);
      // and not trivially: the GPU's float32 result is not the CPU's float64 one bit for bit
      expect(Array.from(gpu.gradLogProbs)).not.toEqual(Array.from(cpu.gradLogProbs));
    },
    300_000,
  );

  it('auto says what it chose, and records it', async () => {
    const rollouts = await readRollouts(FIXTURE);
    const seen: string[] = [];
    const r = await scoreRolloutsOnBackend(rollouts, {
      convention: 'verl',
      backend: 'auto',
      onBackendSelected: (b) => seen.push(b.message),
    });
    expect(r.backend.requested).toBe('auto');
    expect(r.backend.chosen).toBe(hasGpu ? 'webgpu' : 'cpu');
    expect(seen).toEqual([r.backend.message]);
    if (!hasGpu) expect(r.backend.fallbackReason).toBeTruthy();
  }, 300_000);

  const kinds: ComputeBackendKind[] = hasGpu ? ['cpu', 'webgpu'] : ['cpu'];
  const rejections = new Map<ComputeBackendKind, string[]>();
  for (const backend of kinds) {
    it(`${backend}: options the kernel does not implement are rejected with the op's NotSupportedError`, async () => {
      const rollouts = await readRollouts(FIXTURE);
      const messages: string[] = [];
      for (const options of [
        { convention: 'trl' as const },
        { convention: 'verl' as const, verl: { lossAggMode: 'seq-mean-token-mean' as const } },
        { convention: 'verl' as const, verl: { policyLoss: 'gspo' as const } },
        { convention: 'verl' as const, verl: { klLossType: 'k1' as const } },
      ]) {
        const e = await scoreRolloutsOnBackend(rollouts, { ...options, backend }).catch((x: unknown) => x);
        expect(NotSupportedError.isInstance(e), String(e)).toBe(true);
        messages.push((e as Error).message);
      }
      expect(messages[1]).toContain('lossAggMode');
      expect(messages[2]).toContain('policyLoss');
      expect(messages[3]).toContain('klLossType');
      rejections.set(backend, messages);
      // the same rejection, word for word, on every backend
      if (backend !== 'cpu') expect(messages).toEqual(rejections.get('cpu'));
    }, 300_000);
  }

  it('an unknown backend is an InvalidArgumentError', async () => {
    const rollouts = await readRollouts(FIXTURE);
    await expect(
      scoreRolloutsOnBackend(rollouts, { convention: 'verl', backend: 'tpu' as ComputeBackendKind }),
    ).rejects.toThrow(/backend.*"cpu", "webgpu" or "auto"/);
  });
});
