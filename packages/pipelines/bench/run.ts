/**
 * `pnpm bench` for @judgekit/pipelines: the evaluation pipeline's per-judgment overhead, then the
 * training flows (scoreRollouts beside its NumPy peer, GRPO-loop steps per second).
 */
await import('./eval-overhead.ts');
await import('./score-rollouts.ts');
export {};
