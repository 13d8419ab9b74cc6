/**
 * Judge-head training: pairwise samples → features → a Bradley–Terry or cross-encoder head
 * (`@judgekit/baselines`: `RewardHead`, `trainRewardHead`, AdamW, safetensors) → the head judged
 * like a generative judge: its rewards become JudgeLM-format score pairs (`scorePairFromRewards`)
 * that `scoreJudgeOutputs` parses and scores with the same metrics and report.
 *
 * Features come from a built-in hashing text featurizer (no model: signed feature hashing of word
 * unigrams and bigrams, L2-normalised) or from a file of embeddings. Deterministic for a seed
 * (split, initialisation, shuffles); train/validation split; early stopping on validation accuracy
 * with the best epoch's parameters kept.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RewardHead,
  type RewardHeadConfig,
  scorePairFromRewards,
  trainRewardHead,
  verdictFromRewards,
} from '@judgekit/baselines';
import {
  createRng,
  DataFormatError,
  InvalidArgumentError,
  type PairwiseSample,
  type Seed,
  type Verdict,
} from '@judgekit/core';
import {
  loadRewardBenchPairs,
  type PreferencePair,
  readJsonl,
  requireNumberArray,
  requireRecord,
  requireString,
} from '@judgekit/datasets';
import { formatJudgeOutput } from '@judgekit/prompts';
import type { EvaluationResult } from './judge-records.js';
import { scoreJudgeOutputs } from './score-judge-outputs.js';

/** Turns texts into fixed-size feature rows. */
export interface TextFeaturizer {
  /** Feature dimension D. */
  readonly dim: number;
  /** Description stored in the checkpoint metadata. */
  readonly description: string;
  /** `[texts.length, dim]` row-major features. */
  featurize(texts: readonly string[]): Float64Array;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The built-in hashing featurizer: lower-cased word unigrams and bigrams (`\p{L}\p{N}` runs),
 * each hashed (FNV-1a, 32-bit) to one of `dim` buckets with a sign from another hash bit, summed,
 * then L2-normalised. Needs no model; the same text always gives the same row.
 */
export function createHashingFeaturizer(dim = 1024): TextFeaturizer {
  if (!Number.isInteger(dim) || dim < 2)
    throw new InvalidArgumentError('dim', `must be an integer ≥ 2, got ${dim}`);
  return {
    dim,
    description: `hashing:${dim}`,
    featurize(texts) {
      const out = new Float64Array(texts.length * dim);
      texts.forEach((text, i) => {
        const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        const row = out.subarray(i * dim, (i + 1) * dim);
        const add = (tok: string) => {
          const h = fnv1a(tok);
          row[h % dim] = (row[h % dim] as number) + (h & 0x80000000 ? -1 : 1);
        };
        for (let k = 0; k < words.length; k++) {
          add(words[k]!);
          if (k > 0) add(`${words[k - 1]} ${words[k]}`);
        }
        let norm = 0;
        for (let j = 0; j < dim; j++) norm += (row[j] as number) ** 2;
        if (norm > 0) {
          const s = 1 / Math.sqrt(norm);
          for (let j = 0; j < dim; j++) row[j] = (row[j] as number) * s;
        }
      });
      return out;
    },
  };
}

/**
 * Features from a JSONL file of `{"text": …, "embedding": [numbers]}` (any encoder, computed
 * elsewhere). Looking up a text that is not in the file throws naming it. Bad lines name
 * file:line and field.
 */
export async function loadEmbeddingFeaturizer(file: string): Promise<TextFeaturizer> {
  const table = new Map<string, number[]>();
  let dim = -1;
  for (const { line, value } of await readJsonl(file)) {
    const loc = { file, line };
    const r = requireRecord(value, loc);
    const text = requireString(r, 'text', loc);
    const emb = requireNumberArray(r, 'embedding', loc, dim === -1 ? undefined : dim);
    if (emb.length === 0) throw new DataFormatError({ ...loc, field: 'embedding' }, 'is empty');
    dim = emb.length;
    table.set(text, emb);
  }
  if (dim === -1) throw new DataFormatError({ file }, 'no embeddings');
  return {
    dim,
    description: `embeddings:${file}`,
    featurize(texts) {
      const out = new Float64Array(texts.length * dim);
      texts.forEach((t, i) => {
        const e = table.get(t);
        if (e === undefined)
          throw new InvalidArgumentError(
            'texts',
            `no embedding for ${JSON.stringify(t.slice(0, 80))} in ${file}`,
          );
        out.set(e, i * dim);
      });
      return out;
    },
  };
}

/** Options of {@link trainJudgeHead}. */
export interface TrainJudgeHeadOptions {
  /**
   * `'bradley-terry'`: the head scores each answer (features of question + answer), trained on
   * winner/loser pairs (TRL `RewardTrainer` loss; ties skipped). `'cross-encoder'`: the head reads
   * both answers (features [φ(q, a1), φ(q, a2)]) and predicts P(answer 1 wins) with BCE (tie = 0.5).
   */
  objective: 'bradley-terry' | 'cross-encoder';
  /** Features (default `createHashingFeaturizer(1024)`). */
  featurizer?: TextFeaturizer;
  /** How the featurizer sees one answer (default: question, blank line, answer). */
  formatAnswer?: (question: string, answer: string) => string;
  /** Seed of the split, the initialisation and the shuffles (default 0). */
  seed?: Seed;
  /** Share of labelled samples held out for validation (default 0.2). */
  valFraction?: number;
  /** MLP hidden width (default 0: a linear head). */
  hiddenDim?: number;
  /** Most epochs (default 30). */
  maxEpochs?: number;
  /** Stop after this many epochs without a better validation accuracy (default 5). */
  patience?: number;
  /** Learning rate (default 1e-2), batch size (default 16), weight decay (default 0). */
  learningRate?: number;
  batchSize?: number;
  weightDecay?: number;
  /** |r1 − r2| at or below this is a tie (default 0). */
  tieThreshold?: number;
  /** Called after every epoch. */
  onEpoch?: (info: {
    epoch: number;
    trainLoss: number;
    valAccuracy: number;
    best: number;
    bestEpoch: number;
  }) => void;
  /** Bootstrap of the report's intervals (default 1000 resamples, seed 0; `false` for none). */
  bootstrap?: { resamples?: number; seed?: number } | false;
}

/** Result of {@link trainJudgeHead}. */
export interface TrainedJudgeHead {
  /** The head with the best validation accuracy's parameters. */
  head: RewardHead;
  objective: 'bradley-terry' | 'cross-encoder';
  featurizer: TextFeaturizer;
  /** Per epoch: mean train loss and validation accuracy. */
  history: { epoch: number; trainLoss: number; valAccuracy: number }[];
  /** Epoch (1-based) whose parameters were kept, and its validation accuracy. */
  bestEpoch: number;
  bestValAccuracy: number;
  /** Whether training stopped before `maxEpochs`. */
  stoppedEarly: boolean;
  /** Indices (into the input) of the train and validation samples. */
  split: { train: number[]; val: number[] };
  /** The head judged on the validation samples like a generative judge (JudgeLM score text). */
  evaluation: EvaluationResult;
  /** Judge a sample: rewards, verdict, JudgeLM-format text. */
  judge(
    samples: readonly PairwiseSample[],
  ): { reward1: number; reward2: number; verdict: Verdict; text: string }[];
}

const defaultFormat = (q: string, a: string) => `${q}\n\n${a}`;

/**
 * Train a judge head on labelled pairwise samples (`labels[i]` for `samples[i]`; `null` = unlabelled,
 * skipped). Throws `InvalidArgumentError` when too few labelled samples remain for a split.
 */
export function trainJudgeHead(
  samples: readonly PairwiseSample[],
  labels: readonly (Verdict | null)[],
  options: TrainJudgeHeadOptions,
): TrainedJudgeHead {
  const { objective } = options;
  if (objective !== 'bradley-terry' && objective !== 'cross-encoder')
    throw new InvalidArgumentError(
      'objective',
      `must be "bradley-terry" or "cross-encoder", got ${JSON.stringify(objective)}`,
    );
  if (labels.length !== samples.length)
    throw new InvalidArgumentError('labels', `has ${labels.length} entries for ${samples.length} samples`);
  const featurizer = options.featurizer ?? createHashingFeaturizer(1024);
  const fmt = options.formatAnswer ?? defaultFormat;
  const seed = options.seed ?? 0;
  const valFraction = options.valFraction ?? 0.2;
  if (!(valFraction > 0 && valFraction < 1))
    throw new InvalidArgumentError('valFraction', 'must be in (0, 1)');
  const maxEpochs = options.maxEpochs ?? 30;
  const patience = options.patience ?? 5;
  const tieThreshold = options.tieThreshold ?? 0;

  // split (seeded)
  const labelled = samples.map((_, i) => i).filter((i) => labels[i] !== null && labels[i] !== undefined);
  const rng = createRng(seed);
  rng.shuffle(labelled);
  const nVal = Math.max(1, Math.round(labelled.length * valFraction));
  const val = labelled.slice(0, nVal).sort((a, b) => a - b);
  const train = labelled.slice(nVal).sort((a, b) => a - b);
  if (train.length < 2)
    throw new InvalidArgumentError(
      'samples',
      `only ${labelled.length} labelled samples: too few to train and validate`,
    );

  // features of every answer once
  const d = featurizer.dim;
  const phi = (idx: readonly number[]) =>
    featurizer.featurize(
      idx.flatMap((i) => [
        fmt(samples[i]!.question, samples[i]!.answer1),
        fmt(samples[i]!.question, samples[i]!.answer2),
      ]),
    );
  const rowsOf = (feats: Float64Array, k: number, which: 0 | 1) =>
    feats.subarray((2 * k + which) * d, (2 * k + which + 1) * d);

  const trainFeats = phi(train);
  const valFeats = phi(val);
  const headConfig: RewardHeadConfig = {
    inputDim: objective === 'bradley-terry' ? d : 2 * d,
    ...(options.hiddenDim ? { hiddenDim: options.hiddenDim } : {}),
  };
  const head = RewardHead.create(headConfig, createRng(`${String(seed)}:init`));

  let data: Parameters<typeof trainRewardHead>[0];
  if (objective === 'bradley-terry') {
    const pairs = train.map((i, k) => [i, k] as const).filter(([i]) => labels[i] !== 'tie');
    const chosen = new Float64Array(pairs.length * d);
    const rejected = new Float64Array(pairs.length * d);
    pairs.forEach(([i, k], p) => {
      const win = labels[i] === 'answer1' ? 0 : 1;
      chosen.set(rowsOf(trainFeats, k, win), p * d);
      rejected.set(rowsOf(trainFeats, k, win === 0 ? 1 : 0), p * d);
    });
    if (pairs.length === 0)
      throw new InvalidArgumentError('labels', 'no non-tie training pairs for Bradley–Terry');
    data = { kind: 'pairs', chosen, rejected };
  } else {
    const features = new Float64Array(train.length * 2 * d);
    const y = new Float64Array(train.length);
    train.forEach((i, k) => {
      features.set(trainFeats.subarray(2 * k * d, (2 * k + 2) * d), k * 2 * d);
      y[k] = labels[i] === 'answer1' ? 1 : labels[i] === 'answer2' ? 0 : 0.5;
    });
    data = { kind: 'labels', features, labels: y };
  }

  const rewardsOf = (feats: Float64Array, n: number): [Float64Array, Float64Array] => {
    if (objective === 'bradley-terry') {
      const r = head.forward(feats, 2 * n);
      const r1 = new Float64Array(n);
      const r2 = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        r1[k] = r[2 * k] as number;
        r2[k] = r[2 * k + 1] as number;
      }
      return [r1, r2];
    }
    // cross-encoder: the logit is r1 − r2 with r2 = 0
    return [head.forward(feats, n), new Float64Array(n)];
  };
  const accuracy = (feats: Float64Array, idx: readonly number[]) => {
    const [r1, r2] = rewardsOf(feats, idx.length);
    let c = 0;
    idx.forEach((i, k) => {
      if (verdictFromRewards(r1[k]!, r2[k]!, { tieThreshold }) === labels[i]) c++;
    });
    return c / idx.length;
  };

  const history: TrainedJudgeHead['history'] = [];
  let best = -1;
  let bestEpoch = 0;
  let bestParams = Float64Array.from(head.params);
  let sinceBest = 0;
  let stoppedEarly = false;
  const stepsPerEpoch = Math.ceil(
    (data.kind === 'pairs' ? data.chosen.length / d : train.length) / (options.batchSize ?? 16),
  );
  let epochLoss = 0;
  const stop = new Error('early stop');
  try {
    trainRewardHead(data, {
      head,
      seed: `${String(seed)}:train`,
      epochs: maxEpochs,
      batchSize: options.batchSize ?? 16,
      learningRate: options.learningRate ?? 1e-2,
      weightDecay: options.weightDecay ?? 0,
      objective: objective === 'bradley-terry' ? 'bradley-terry' : 'bce',
      onStep: ({ step, loss }) => {
        epochLoss += loss;
        if ((step + 1) % stepsPerEpoch !== 0) return;
        const epoch = (step + 1) / stepsPerEpoch;
        const valAccuracy = accuracy(valFeats, val);
        const trainLoss = epochLoss / stepsPerEpoch;
        epochLoss = 0;
        history.push({ epoch, trainLoss, valAccuracy });
        if (valAccuracy > best) {
          best = valAccuracy;
          bestEpoch = epoch;
          bestParams = Float64Array.from(head.params);
          sinceBest = 0;
        } else sinceBest++;
        options.onEpoch?.({ epoch, trainLoss, valAccuracy, best, bestEpoch });
        if (sinceBest >= patience && epoch < maxEpochs) {
          stoppedEarly = true;
          throw stop; // leave trainRewardHead's loop; the best parameters are restored below
        }
      },
    });
  } catch (err) {
    if (err !== stop) throw err;
  }
  head.params.set(bestParams);

  const judge = (list: readonly PairwiseSample[]) => {
    const feats = featurizer.featurize(
      list.flatMap((s) => [fmt(s.question, s.answer1), fmt(s.question, s.answer2)]),
    );
    const [r1, r2] = rewardsOf(feats, list.length);
    return list.map((_, k) => {
      const reward1 = r1[k]!;
      const reward2 = r2[k]!;
      const opts = { tieThreshold };
      return {
        reward1,
        reward2,
        verdict: verdictFromRewards(reward1, reward2, opts),
        text: formatJudgeOutput('judgelm-scores', { scores: scorePairFromRewards(reward1, reward2, opts) }),
      };
    });
  };
  const valSamples = val.map((i) => samples[i]!);
  const judged = judge(valSamples);
  const { result } = scoreJudgeOutputs({
    outputs: judged.map((j) => j.text),
    labels: val.map((i) => labels[i]!),
    ids: valSamples.map((s) => s.id),
    outputFormat: 'judgelm-scores',
    judge: `${objective} head (${featurizer.description})`,
    ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
  });
  return {
    head,
    objective,
    featurizer,
    history,
    bestEpoch,
    bestValAccuracy: best,
    stoppedEarly,
    split: { train, val },
    evaluation: result,
    judge,
  };
}

/** Write `head.safetensors` (F64, metadata: objective, featurizer, best epoch) and `history.jsonl` into `dir`. */
export async function writeJudgeHead(
  dir: string,
  trained: TrainedJudgeHead,
): Promise<{ checkpoint: string; history: string }> {
  await mkdir(dir, { recursive: true });
  const checkpoint = join(dir, 'head.safetensors');
  const history = join(dir, 'history.jsonl');
  await writeFile(
    checkpoint,
    trained.head.toSafetensors({
      metadata: {
        objective: trained.objective,
        featurizer: trained.featurizer.description,
        best_epoch: String(trained.bestEpoch),
        best_val_accuracy: String(trained.bestValAccuracy),
      },
    }),
  );
  await writeFile(history, `${trained.history.map((h) => JSON.stringify(h)).join('\n')}\n`);
  return { checkpoint, history };
}

/**
 * Preference pairs (`prompt`/`chosen`/`rejected`) as labelled pairwise samples. The chosen answer is
 * placed first or second by a seeded coin, so the labels are balanced and a head cannot learn the
 * position.
 */
export function preferencePairsToSamples(
  pairs: readonly PreferencePair[],
  seed: Seed = 0,
): { samples: PairwiseSample[]; labels: Verdict[] } {
  const rng = createRng(seed);
  const samples: PairwiseSample[] = [];
  const labels: Verdict[] = [];
  pairs.forEach((p, i) => {
    const first = rng.nextFloat() < 0.5;
    samples.push({
      id: p.id === undefined ? String(i) : String(p.id),
      question: p.prompt,
      answer1: first ? p.chosen : p.rejected,
      answer2: first ? p.rejected : p.chosen,
    });
    labels.push(first ? 'answer1' : 'answer2');
  });
  return { samples, labels };
}

/** Load RewardBench-style preference JSONL/JSON as labelled samples (see {@link preferencePairsToSamples}). */
export async function loadPreferenceSamples(
  file: string,
  seed: Seed = 0,
): Promise<{ samples: PairwiseSample[]; labels: Verdict[] }> {
  return preferencePairsToSamples(await loadRewardBenchPairs(file), seed);
}
