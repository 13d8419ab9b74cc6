/**
 * The training commands of `judgekit`: `score-rollouts` (and the other training flows as they
 * land). Argument parsing and wiring only; the work is `@judgekit/pipelines`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PairwiseSample, Verdict } from '@judgekit/core';
import {
  dpoPairsFromRewards,
  dpoPairsFromVerdicts,
  type JudgeLmSftSource,
  loadPairwiseDataset,
  makeJudgeLmSftData,
  PAIRWISE_DATASET_FORMATS,
  type PairwiseDatasetFormat,
  type PromptCompletion,
  readPromptCompletions,
  readRollouts,
  createHashingFeaturizer,
  createOnnxFeaturizer,
  judgeHeadTexts,
  encodeJudgePolicy,
  judgeLrmGroundTruth,
  parseGrpoJudgePolicyConfig,
  renderStepPlot,
  trainGrpoJudgePolicy,
  trainGrpoJudgePolicyOnBackend,
  type GrpoStepStats,
  loadEmbeddingFeaturizer,
  loadJudgeLmSftSources,
  loadPreferenceSamples,
  trainJudgeHead,
  writeEvaluationReport,
  writeJudgeHead,
  scoreRollouts,
  scoreRolloutsOnBackend,
  spinRoundData,
  writeJsonlRows,
  writeScoredRollouts,
} from '@judgekit/pipelines';
import { createJudgeLrmReward, JUDGELRM_REWARD_PRESETS } from '@judgekit/rewards';
import { parseFlags as parse } from './flag-checks.js';
import { type CliIo, UsageError } from './usage-error.js';

/** Names of the training commands (the `judgekit <command>` words {@link runTrainingCommand} takes). */
export const TRAINING_COMMANDS: readonly string[] = [
  'score-rollouts',
  'make-data',
  'train-head',
  'train-grpo',
];

/** One usage line per training command, for `judgekit --help`. */
export const TRAINING_USAGE = `  score-rollouts score judge rollouts (JSONL) → rewards, GRPO advantages, loss, gradients
  make-data      training data in TRL formats: JudgeLM SFT (swap / reference), DPO pairs, SPIN rounds
  train-head     train a Bradley–Terry or cross-encoder judge head and report it as a judge
  train-grpo     GRPO-train a small judge policy to emit JudgeLRM answers (per-step JSONL and a plot)`;

function positiveInt(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

const SCORE_ROLLOUTS_USAGE = `usage: judgekit score-rollouts <rollouts.jsonl> --convention verl|trl [--out DIR]
                              [--preset qwen25] [--max-response-length N] [--num-generations G]
                              [--backend cpu|webgpu|auto]

Each line: {"prompt", "completion", "group_id", "ground_truth", optional "log_probs",
"old_log_probs", "ref_log_probs", "entropy" (one number per response token), "response_length"}.
Rewards with the JudgeLRM reward (--preset, default qwen25 = judgelrm.py), group advantages in
verl's (compute_grpo_outcome_advantage, any group order) or TRL's (GRPOTrainer, contiguous groups)
convention, the GRPO loss and its gradient with respect to the log-probs. Writes
<out>/scored.jsonl, <out>/scored.safetensors and <out>/summary.json (default out: scored-rollouts).
--backend runs the loss and its gradients through @judgekit/webgpu's grpoClipKlLoss op (verl only:
PPO-clip + low_var_kl, token-mean): cpu (float64), webgpu (float32; needs the optional \`webgpu\`
package and an adapter) or auto (WebGPU when available, else the CPU; the choice is printed).
Without --backend: @judgekit/grpo grpoStep on the CPU (float64), both conventions.
`;

async function scoreRolloutsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      convention: { type: 'string' },
      out: { type: 'string' },
      preset: { type: 'string' },
      'max-response-length': { type: 'string' },
      'num-generations': { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(SCORE_ROLLOUTS_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      'expected one rollouts file (judgekit score-rollouts <rollouts.jsonl> --convention verl|trl)',
    );
  const convention = values.convention;
  if (convention !== 'verl' && convention !== 'trl')
    throw new UsageError(
      `--convention must be verl or trl (the trainer whose advantages and loss to reproduce), got ${JSON.stringify(convention ?? null)}`,
    );
  const presetName = (values.preset as string | undefined) ?? 'qwen25';
  const base = JUDGELRM_REWARD_PRESETS[presetName];
  if (base === undefined)
    throw new UsageError(
      `--preset must be one of ${Object.keys(JUDGELRM_REWARD_PRESETS).join(', ')}, got ${JSON.stringify(presetName)}`,
    );
  const maxResponseLength = positiveInt(values['max-response-length'], 'max-response-length');
  const numGenerations = positiveInt(values['num-generations'], 'num-generations');
  const backend = values.backend as string | undefined;
  if (backend !== undefined && backend !== 'cpu' && backend !== 'webgpu' && backend !== 'auto')
    throw new UsageError(`--backend must be cpu, webgpu or auto, got ${JSON.stringify(backend)}`);
  const rollouts = await readRollouts(positionals[0]!);
  const scoreOptions = {
    convention,
    reward: createJudgeLrmReward({ base }),
    checkResponseHeader: true,
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    ...(numGenerations === undefined ? {} : { trl: { numGenerations } }),
  } as const;
  const scored =
    backend === undefined
      ? scoreRollouts(rollouts, scoreOptions)
      : await scoreRolloutsOnBackend(rollouts, {
          ...scoreOptions,
          backend,
          onBackendSelected: (b) => io.stderr.write(`backend: ${b.message}\n`),
        });
  const files = await writeScoredRollouts(
    (values.out as string | undefined) ?? 'scored-rollouts',
    scored,
    rollouts,
  );
  for (const note of scored.notes) io.stderr.write(`${note.startsWith('WARNING') ? '' : 'note: '}${note}\n`);
  const s = scored.stats;
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
  io.stdout.write(
    `${scored.rows} rollouts in ${s.groups.length} groups (${convention}): reward mean ${f(s.rewardMean)} ± ${f(s.rewardStd)}, ` +
      `loss ${scored.loss.toPrecision(6)} (${scored.backend.chosen}, ${scored.backend.precision}), clip fraction ${f(s.clipFraction)}, KL ${f(s.kl)}, entropy ${f(s.entropy)}, ` +
      `mean length ${s.responseLength.mean.toFixed(1)}, ${s.zeroVarianceGroups} groups without reward variance\n` +
      `wrote ${files.jsonl}\n      ${files.safetensors}\n      ${files.summary}\n`,
  );
  return 0;
}

const MAKE_DATA_USAGE = `usage: judgekit make-data judgelm-sft --data <path> --format pandalm|judgelm|llmbar --out <file.jsonl>
                         [--seed 0] [--swap-aug-ratio 0.5] [--ref-drop-ratio 0.5]
                         [--sft-format prompt-completion|messages] [--verdict-scores W,L,T] [--limit N]
       judgekit make-data dpo (--rollouts <rollouts.jsonl> | --data <path> --format F) --out <file.jsonl>
                         [--min-margin 0]
       judgekit make-data spin --sft <sft.jsonl> --round T --generations 0=<r0.jsonl>[,1=<r1.jsonl>] --out <file.jsonl>

judgelm-sft: JudgeLM pairwise prompt → teacher judgment ("s1 s2\\n…"), with JudgeLM's swap augmentation
  (--swap-aug-ratio) and reference support (--ref-drop-ratio: the probability of INCLUDING the
  reference, as JudgeLM names it). Pairs with only a verdict (PandaLM) need --verdict-scores
  W,L,T: the winner's, the loser's and a tie's score (a convention you choose, not data).
dpo: from rollouts, the best vs worst completion per group by JudgeLRM reward; from a judged dataset,
  the winning vs losing answer (ties dropped). --min-margin filters small margins.
spin: SPIN iteration T: the SFT completion (chosen) against each data round's generation (rejected).
Rows are TRL dataset rows (prompt/completion, messages, or prompt/chosen/rejected) as JSONL.
`;

function ratio(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n > 1)
    throw new UsageError(`--${name} must be a number <= 1 (negative = never), got ${JSON.stringify(v)}`);
  return n;
}

function datasetFormat(v: unknown): PairwiseDatasetFormat {
  if (!PAIRWISE_DATASET_FORMATS.includes(v as PairwiseDatasetFormat))
    throw new UsageError(
      `--format must be one of ${PAIRWISE_DATASET_FORMATS.join(', ')}, got ${JSON.stringify(v ?? null)}`,
    );
  return v as PairwiseDatasetFormat;
}

async function makeDataCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      data: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'swap-aug-ratio': { type: 'string' },
      'ref-drop-ratio': { type: 'string' },
      'sft-format': { type: 'string' },
      'verdict-scores': { type: 'string' },
      limit: { type: 'string' },
      rollouts: { type: 'string' },
      'min-margin': { type: 'string' },
      sft: { type: 'string' },
      round: { type: 'string' },
      generations: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(MAKE_DATA_USAGE);
    return 0;
  }
  const kind = positionals[0];
  if (positionals.length !== 1 || !['judgelm-sft', 'dpo', 'spin'].includes(kind!))
    throw new UsageError('expected one kind: judgekit make-data judgelm-sft|dpo|spin … (see --help)');
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('--out <file.jsonl> is required');
  const minMarginRaw = values['min-margin'];
  const minMargin = minMarginRaw === undefined ? undefined : Number(minMarginRaw);
  if (minMargin !== undefined && !(Number.isFinite(minMargin) && minMargin >= 0))
    throw new UsageError(`--min-margin must be a number >= 0, got ${JSON.stringify(minMarginRaw)}`);
  let rows: readonly unknown[];
  let summary: string;
  if (kind === 'judgelm-sft') {
    const data = values.data as string | undefined;
    if (!data) throw new UsageError('--data is required');
    const format = datasetFormat(values.format);
    const limit = positiveInt(values.limit, 'limit');
    const sftFormat = values['sft-format'] ?? 'prompt-completion';
    if (sftFormat !== 'prompt-completion' && sftFormat !== 'messages')
      throw new UsageError(
        `--sft-format must be prompt-completion or messages, got ${JSON.stringify(sftFormat)}`,
      );
    let verdictScores: { winner: number; loser: number; tie: number } | undefined;
    if (values['verdict-scores'] !== undefined) {
      const p = String(values['verdict-scores']).split(',').map(Number);
      if (p.length !== 3 || !p.every(Number.isFinite))
        throw new UsageError(
          `--verdict-scores must be three numbers W,L,T, got ${JSON.stringify(values['verdict-scores'])}`,
        );
      verdictScores = { winner: p[0]!, loser: p[1]!, tie: p[2]! };
    }
    let sources: JudgeLmSftSource[];
    let labels: (Verdict | null)[] | undefined;
    if (format === 'judgelm') sources = await loadJudgeLmSftSources(data);
    else {
      const ds = await loadPairwiseDataset(data, format);
      sources = ds.samples.map((sample) => ({ sample }));
      labels = ds.labels;
    }
    if (limit !== undefined) {
      sources = sources.slice(0, limit);
      labels = labels?.slice(0, limit);
    }
    const seed = Number(values.seed ?? 0);
    if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
    const swap = ratio(values['swap-aug-ratio'], 'swap-aug-ratio');
    const ref = ratio(values['ref-drop-ratio'], 'ref-drop-ratio');
    const made = makeJudgeLmSftData(
      sources,
      {
        seed,
        format: sftFormat,
        ...(swap === undefined ? {} : { swapAugRatio: swap }),
        ...(ref === undefined ? {} : { refDropRatio: ref }),
        ...(verdictScores === undefined ? {} : { verdictScores }),
      },
      labels,
    );
    rows = made.rows;
    const st = made.stats;
    summary = `${st.rows} SFT rows (${sftFormat}): ${st.swapped} swapped, ${st.withReference} with reference${st.referenceUnavailable ? `, ${st.referenceUnavailable} drew the reference but had none` : ''}`;
  } else if (kind === 'dpo') {
    let made: ReturnType<typeof dpoPairsFromRewards>;
    if (values.rollouts !== undefined) {
      const rollouts = await readRollouts(values.rollouts as string);
      const scored = scoreRollouts(rollouts, { convention: 'verl' });
      for (const note of scored.notes) if (note.startsWith('WARNING')) io.stderr.write(`${note}\n`);
      made = dpoPairsFromRewards(
        rollouts.map((r, i) => ({
          prompt: r.prompt,
          completion: r.completion,
          groupId: r.groupId,
          reward: scored.rewards[i]!,
        })),
        minMargin === undefined ? {} : { minMargin },
      );
    } else {
      const data = values.data as string | undefined;
      if (!data) throw new UsageError('give --rollouts <file> or --data <path> --format F');
      const ds = await loadPairwiseDataset(data, datasetFormat(values.format));
      made = dpoPairsFromVerdicts(
        ds.samples,
        ds.labels,
        minMargin === undefined ? {} : { minScoreMargin: minMargin },
      );
    }
    rows = made.rows;
    const st = made.stats;
    summary = `${st.pairs} preference pairs from ${st.groups} groups (${st.belowMargin} below the margin or tied, ${st.unusable} unusable)`;
  } else {
    const sftFile = values.sft as string | undefined;
    const t = Number(values.round);
    if (!sftFile || values.round === undefined || !Number.isInteger(t) || t < 0)
      throw new UsageError('spin needs --sft <file> and --round T (an integer >= 0)');
    const gens = new Map<number, PromptCompletion[]>();
    for (const part of String(values.generations ?? '')
      .split(',')
      .filter(Boolean)) {
      const m = /^(\d+)=(.+)$/.exec(part);
      if (!m) throw new UsageError(`--generations entries are ROUND=FILE, got ${JSON.stringify(part)}`);
      gens.set(Number(m[1]), await readPromptCompletions(m[2]!));
    }
    const made = spinRoundData(t, await readPromptCompletions(sftFile), gens);
    rows = made.rows;
    summary = `${made.rows.length} SPIN rows for iteration ${t} (data rounds ${made.round.dataRounds.join(', ')}; train with beta ${made.round.beta}, learning rate ${made.round.learningRate})`;
  }
  await writeJsonlRows(out, rows);
  io.stdout.write(`${summary}\nwrote ${out}\n`);
  return 0;
}

const TRAIN_HEAD_USAGE = `usage: judgekit train-head --data <path> --format pandalm|judgelm|llmbar|preference --out DIR
                         [--objective bradley-terry|cross-encoder] [--features hashing[:DIM]|embeddings:FILE|onnx:MODEL_DIR]
                         [--seed 0] [--val-fraction 0.2] [--max-epochs 30] [--patience 5] [--hidden-dim 0]
                         [--learning-rate 0.01] [--batch-size 16] [--resamples 1000]

Features: the built-in hashing featurizer (default, DIM 1024; needs no model) or a JSONL file of
{"text", "embedding"} rows whose texts are "<question>\\n\\n<answer>", or a local ONNX encoder folder
(config.json, tokenizer, onnx/model.onnx with a last_hidden_state output; needs the optional
@huggingface/transformers; offline) whose last hidden state is mean-pooled. preference = RewardBench-style
prompt/chosen/rejected. Splits the labelled samples (seeded) into train and validation, stops
early on validation accuracy and keeps the best epoch. Writes <out>/head.safetensors,
<out>/history.jsonl and the judge report <out>/report.{md,json,svg} on the validation samples.
`;

function numberArg(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
}

async function trainHeadCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    data: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    objective: { type: 'string' },
    features: { type: 'string' },
    seed: { type: 'string' },
    'val-fraction': { type: 'string' },
    'max-epochs': { type: 'string' },
    patience: { type: 'string' },
    'hidden-dim': { type: 'string' },
    'learning-rate': { type: 'string' },
    'batch-size': { type: 'string' },
    resamples: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(TRAIN_HEAD_USAGE);
    return 0;
  }
  const data = values.data as string | undefined;
  const out = values.out as string | undefined;
  if (!data || !out) throw new UsageError('--data and --out are required (judgekit train-head --help)');
  const objective = (values.objective as string | undefined) ?? 'bradley-terry';
  if (objective !== 'bradley-terry' && objective !== 'cross-encoder')
    throw new UsageError(
      `--objective must be bradley-terry or cross-encoder, got ${JSON.stringify(objective)}`,
    );
  const seed = numberArg(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 0;
  const features = (values.features as string | undefined) ?? 'hashing';
  let featurizer: ReturnType<typeof createHashingFeaturizer> | undefined;
  const hm = /^hashing(?::(\d+))?$/.exec(features);
  const onnxDir = features.startsWith('onnx:') ? features.slice('onnx:'.length) : undefined;
  if (hm) featurizer = createHashingFeaturizer(hm[1] === undefined ? 1024 : Number(hm[1]));
  else if (features.startsWith('embeddings:'))
    featurizer = await loadEmbeddingFeaturizer(features.slice('embeddings:'.length));
  else if (onnxDir === undefined || onnxDir === '')
    throw new UsageError(
      `--features must be hashing[:DIM], embeddings:FILE or onnx:MODEL_DIR, got ${JSON.stringify(features)}`,
    );
  let samples: PairwiseSample[];
  let labels: (Verdict | null)[];
  if (values.format === 'preference') ({ samples, labels } = await loadPreferenceSamples(data, seed));
  else ({ samples, labels } = await loadPairwiseDataset(data, datasetFormat(values.format)));
  if (featurizer === undefined) {
    // onnx:DIR — embed every answer the head will see once (mean-pooled last hidden state)
    featurizer = await createOnnxFeaturizer({
      modelPath: onnxDir as string,
      texts: judgeHeadTexts(samples),
      onProgress: (done, total) => io.stderr.write(`onnx features: ${done}/${total} texts\n`),
    });
  }
  const maxEpochs = positiveInt(values['max-epochs'], 'max-epochs');
  const patience = positiveInt(values.patience, 'patience');
  const hiddenDim =
    values['hidden-dim'] === undefined ? undefined : numberArg(values['hidden-dim'], 'hidden-dim', 0, 1e6);
  const valFraction = numberArg(values['val-fraction'], 'val-fraction', 0.001, 0.999);
  const learningRate = numberArg(values['learning-rate'], 'learning-rate', 0, 10);
  const batchSize = positiveInt(values['batch-size'], 'batch-size');
  const resamples = positiveInt(values.resamples, 'resamples') ?? 1000;
  const trained = trainJudgeHead(samples, labels, {
    objective,
    featurizer,
    seed,
    bootstrap: { resamples, seed },
    ...(maxEpochs === undefined ? {} : { maxEpochs }),
    ...(patience === undefined ? {} : { patience }),
    ...(hiddenDim === undefined ? {} : { hiddenDim }),
    ...(valFraction === undefined ? {} : { valFraction }),
    ...(learningRate === undefined ? {} : { learningRate }),
    ...(batchSize === undefined ? {} : { batchSize }),
    onEpoch: (e) =>
      io.stderr.write(
        `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, val accuracy ${e.valAccuracy.toFixed(4)} (best ${e.best.toFixed(4)} at epoch ${e.bestEpoch})\n`,
      ),
  });
  const files = await writeJudgeHead(out, trained);
  const report = await writeEvaluationReport(out, trained.evaluation, {
    title: `${objective} head (${featurizer.description}) on ${data}`,
    intro: [
      `Trained on ${trained.split.train.length} samples, judged on ${trained.split.val.length} held-out samples (seed ${seed}); best epoch ${trained.bestEpoch}${trained.stoppedEarly ? ' (stopped early)' : ''}. The epoch was chosen on these same validation samples, so the figures are slightly optimistic; judge a separate test set for an unbiased estimate.`,
    ],
  });
  const m = trained.evaluation.metrics;
  io.stdout.write(
    `best epoch ${trained.bestEpoch} of ${trained.history.length}${trained.stoppedEarly ? ' (stopped early)' : ''}: validation accuracy ${trained.bestValAccuracy.toFixed(4)}` +
      (m ? `, macro F1 ${m.macro.f1.toFixed(4)}` : '') +
      `\ncheckpoint: ${files.checkpoint}\nreport: ${report.markdown}\n`,
  );
  return 0;
}

const TRAIN_GRPO_USAGE = `usage: judgekit train-grpo --config grpo.json [--out DIR]

grpo.json: {"data": {"path": "...", "format": "pandalm", "limit": 200},
            "verdictScores": {"winner": 8, "loser": 4, "tie": 6},
            "seed": 0, "steps": 150, "promptsPerStep": 8, "groupSize": 8, "learningRate": 0.05,
            "convention": "verl", "shapingWeight": 1, "out": "grpo-run", "backend": "auto"}
Paths are relative to the config file. "backend" (cpu|webgpu|auto; verl only) runs each step's loss
and gradients through @judgekit/webgpu's ops (the choice is printed); without it, grpoStep (float64). Writes <out>/steps.jsonl (one line of statistics per step),
<out>/reward.svg (mean rewards per step) and <out>/policy.safetensors.
`;

async function trainGrpoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(TRAIN_GRPO_USAGE);
    return 0;
  }
  const file = values.config as string | undefined;
  if (!file) throw new UsageError('--config <grpo.json> is required (judgekit train-grpo --help)');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = parseGrpoJudgePolicyConfig(raw, file);
  const base = dirname(file);
  const ds = await loadPairwiseDataset(resolve(base, config.data.path), config.data.format);
  const idx = ds.samples
    .map((_, i) => i)
    .filter((i) => ds.labels[i] !== null)
    .slice(0, config.data.limit ?? Number.MAX_SAFE_INTEGER);
  const samples = idx.map((i) => ds.samples[i]!);
  const gts = idx.map((i) => judgeLrmGroundTruth(ds.labels[i]!, config.verdictScores));
  const out = (values.out as string | undefined) ?? resolve(base, config.out ?? 'grpo-run');
  const { data: _d, verdictScores: _v, out: _o, backend, ...loop } = config;
  const steps: string[] = [];
  const loopOptions = {
    ...loop,
    onStep: (s: GrpoStepStats) => {
      steps.push(JSON.stringify(s));
      if (s.step === 1 || s.step % 10 === 0)
        io.stderr.write(
          `step ${s.step}: reward ${s.rewardMean.toFixed(3)}, JudgeLRM reward ${s.judgeRewardMean.toFixed(3)}, well-formed ${s.wellFormed.toFixed(3)}, entropy ${s.entropy.toFixed(3)}\n`,
        );
    },
  };
  const result =
    backend === undefined
      ? trainGrpoJudgePolicy(samples, gts, loopOptions)
      : await trainGrpoJudgePolicyOnBackend(samples, gts, {
          ...loopOptions,
          backend,
          onBackendSelected: (b) => io.stderr.write(`backend: ${b.message}\n`),
        });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'steps.jsonl'), `${steps.join('\n')}\n`);
  await writeFile(
    join(out, 'reward.svg'),
    renderStepPlot(
      result.history,
      [
        { key: 'judgeRewardMean', label: 'JudgeLRM reward', color: '#1f77b4' },
        { key: 'rewardMean', label: 'training reward', color: '#ff7f0e' },
        { key: 'wellFormed', label: 'well-formed share', color: '#2ca02c' },
      ],
      `GRPO (${config.convention ?? 'verl'}) on ${samples.length} pairs`,
    ),
  );
  await writeFile(join(out, 'policy.safetensors'), encodeJudgePolicy(result));
  const h = result.history;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const k = Math.min(10, h.length);
  io.stdout.write(
    `JudgeLRM reward: ${mean(h.slice(0, k).map((s) => s.judgeRewardMean)).toFixed(3)} (first ${k} steps) → ${mean(h.slice(-k).map((s) => s.judgeRewardMean)).toFixed(3)} (last ${k}); ` +
      `greedy on the first pair: ${JSON.stringify(result.greedy(samples[0]!))}\nwrote ${join(out, 'steps.jsonl')}, ${join(out, 'reward.svg')}, ${join(out, 'policy.safetensors')}\n`,
  );
  return 0;
}

/**
 * Run one training command (`args` without the command word). Throws `UsageError` for a bad
 * command line; other errors propagate to `runCli`, which prints them on one line.
 */
export async function runTrainingCommand(command: string, args: string[], io: CliIo): Promise<number> {
  switch (command) {
    case 'score-rollouts':
      return scoreRolloutsCommand(args, io);
    case 'make-data':
      return makeDataCommand(args, io);
    case 'train-head':
      return trainHeadCommand(args, io);
    case 'train-grpo':
      return trainGrpoCommand(args, io);
    default:
      throw new UsageError(`unknown training command ${JSON.stringify(command)}`);
  }
}
