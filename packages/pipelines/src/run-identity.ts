/**
 * Run identity: a fingerprint of everything that can change a judgment, stored in a run
 * directory's `run.json`, so that a resume under other settings is refused (naming what differs)
 * instead of mixing two configurations in one results file.
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, type PairwiseSample, type Verdict } from '@judgekit/core';
import { canonicalJson } from '@judgekit/models';

/**
 * Everything that can change a judgment of a run. Two runs with equal fingerprints make the same
 * requests and read them the same way; results of one may be resumed by the other.
 */
export interface RunFingerprint {
  /** Served model name (or the `JudgeModel.id` of an in-process model). */
  model: string;
  /** Endpoint(s) without credentials, sorted; `[]` for an in-process model. */
  endpoints: string[];
  /** Template id and version. */
  template: string;
  templateVersion: number;
  outputFormat: string;
  parseMode: 'strict' | 'lenient';
  /** Parser options besides the mode (e.g. JudgeLRM `extraction`), canonical JSON. */
  parseOptions: Record<string, unknown>;
  /** Generation parameters sent with each request. */
  generation: { maxTokens?: number; temperature: number; stop?: string[]; seed?: number; topP?: number };
  /** SHA-256 (first 16 hex digits) of the samples and labels judged, after `limit`. */
  dataHash: string;
  /** `--limit` (null: the whole dataset). */
  limit: number | null;
  /** Whether every sample is also judged with the answers swapped. */
  swap: boolean;
  /** Order the samples are judged in (only `'dataset'` today). */
  order: 'dataset';
  /** Top log-probabilities requested per call (`--top-logprobs`); absent when none. */
  probabilities?: { topLogprobs: number };
  /**
   * A jury run: the aggregation rule and each juror, in panel order (absent for a single judge). A
   * resume under another panel or rule is refused like any other difference.
   */
  jury?: JuryFingerprint;
}

/** The panel of a jury run, as it enters {@link RunFingerprint}. */
export interface JuryFingerprint {
  rule: string;
  jurors: {
    id: string;
    /** Served model name. */
    model: string;
    /** Endpoint(s) without credentials, sorted. */
    endpoints: string[];
    template: string;
    templateVersion: number;
    weight: number;
  }[];
}

/** SHA-256 (first 16 hex digits) of samples and their labels, as judged. */
export function datasetContentHash(
  samples: readonly PairwiseSample[],
  labels?: readonly (Verdict | null | undefined)[],
): string {
  const h = createHash('sha256');
  for (const [i, s] of samples.entries()) {
    h.update(canonicalJson({ s, l: labels ? (labels[i] ?? null) : (s.label ?? null) }));
    h.update('\n');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * A URL with its credentials (`user:pass@`) and query string removed: safe for files and messages.
 * A string that is not a URL comes back with anything before an `@` masked.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    if (u.search !== '') u.search = '?[redacted]';
    return u.href;
  } catch {
    return url.replace(/[^\s/@]+:[^\s/@]+@/g, '[redacted]@');
  }
}

/** The fields of two fingerprints that differ, in declaration order. */
export function fingerprintDifferences(a: RunFingerprint, b: RunFingerprint): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    const va = (a as unknown as Record<string, unknown>)[k];
    const vb = (b as unknown as Record<string, unknown>)[k];
    if (canonicalJson(va ?? null) !== canonicalJson(vb ?? null)) out.push(k);
  }
  return out;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v ?? null);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * Check that a run directory's `run.json` (when there is one) was made with `fingerprint`.
 * Reads only; writes nothing. Throws `ConfigError` naming each differing field with both values
 * (and what to do) when the fingerprints differ, when `run.json` is unreadable, or when it has no
 * fingerprint while results exist (made by an older judgekit).
 */
export async function checkRunFingerprint(
  runJsonFile: string,
  fingerprint: RunFingerprint,
  options: { resultsExist?: boolean } = {},
): Promise<void> {
  let text: string;
  try {
    text = await readFile(runJsonFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ConfigError(`${runJsonFile}: cannot read: ${(error as Error).message}`);
  }
  let stored: { fingerprint?: RunFingerprint };
  try {
    stored = JSON.parse(text) as { fingerprint?: RunFingerprint };
  } catch {
    throw new ConfigError(`${runJsonFile}: not valid JSON; remove it or choose another --out`);
  }
  if (stored?.fingerprint === undefined) {
    if (options.resultsExist)
      throw new ConfigError(
        `${runJsonFile} has no run fingerprint (written by an older judgekit), so a resume cannot be checked; choose another --out`,
      );
    return;
  }
  const diff = fingerprintDifferences(stored.fingerprint, fingerprint);
  if (diff.length > 0) {
    const detail = diff
      .map(
        (k) =>
          `${k} ${show((stored.fingerprint as unknown as Record<string, unknown>)[k])} → ${show((fingerprint as unknown as Record<string, unknown>)[k])}`,
      )
      .join('; ');
    throw new ConfigError(
      `${runJsonFile} belongs to a run made with other settings (${detail}); resuming would mix them in one results file. Use the same settings, or another --out`,
    );
  }
}
