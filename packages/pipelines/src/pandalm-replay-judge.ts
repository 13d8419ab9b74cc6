/**
 * Replay judges over PandaLM's released judge outputs: GPT-3.5-turbo's and PandaLM-7B's verdicts
 * on the PandaLM test set, served by sample id as a `JudgeModel` (what `judgekit eval` runs with
 * no arguments).
 */

import { loadPandaLmJudgeOutputs, renderPandaLmJudgeText } from '@judgekit/datasets';
import { createReplayJudgeModel, type ReplayJudgeModel } from '@judgekit/models';

/** The released judges: file name and display name. */
export const PANDALM_RECORDED_JUDGES = {
  gpt35: { file: 'gpt-3.5-turbo-testset-v1.json', name: 'GPT-3.5-turbo' },
  pandalm7b: { file: 'pandalm-7b-testset-v1.json', name: 'PandaLM-7B' },
} as const;

/** A key of {@link PANDALM_RECORDED_JUDGES}. */
export type PandaLmRecordedJudge = keyof typeof PANDALM_RECORDED_JUDGES;

/**
 * A replay judge over one of PandaLM's released output files in `dir` (PandaLM's `data/`): each
 * output is rendered back to PandaLM's text format (`renderPandaLmJudgeText`) under the sample id
 * the test-set loader gives it, so the pipeline parses it exactly like a live model's text. The
 * model id is the judge's display name (`'GPT-3.5-turbo'`).
 */
export async function loadPandaLmReplayJudge(
  dir: string,
  judge: PandaLmRecordedJudge = 'gpt35',
): Promise<ReplayJudgeModel> {
  const info = PANDALM_RECORDED_JUDGES[judge];
  const outputs = await loadPandaLmJudgeOutputs(`${dir.replace(/\/+$/, '')}/${info.file}`);
  return createReplayJudgeModel({
    id: info.name,
    outputs: new Map(outputs.map((o) => [String(o.idx), renderPandaLmJudgeText(o)])),
  });
}
