/**
 * The built-in templates, in registry order.
 */

import { defineTemplate, type PromptTemplate } from '../template.js';
import { arenaHardV01 } from './arena-hard.js';
import { judgelmMulti, judgelmPair, judgelmSingle, judgelmVqaSingle } from './judgelm.js';
import { judgelrmPair, judgelrmPairTrain, judgelrmSingle } from './judgelrm.js';
import {
  mtbenchPair,
  mtbenchPairMath,
  mtbenchPairMathMultiTurn,
  mtbenchPairMultiTurn,
  mtbenchSingle,
  mtbenchSingleMath,
  mtbenchSingleMathMultiTurn,
  mtbenchSingleMultiTurn,
} from './mtbench.js';
import { llmbarCot, llmbarVanilla, llmbarVanillaNoRules } from './llmbar.js';
import { pandalmPair } from './pandalm.js';
import { prometheusAbsolute, prometheusRelative } from './prometheus.js';

/** Every built-in template, validated and frozen. */
export const BUILTIN_TEMPLATES: readonly PromptTemplate[] = [
  judgelmPair,
  judgelmSingle,
  judgelmMulti,
  judgelmVqaSingle,
  judgelrmPairTrain,
  judgelrmPair,
  judgelrmSingle,
  pandalmPair,
  mtbenchPair,
  mtbenchPairMath,
  mtbenchSingle,
  mtbenchSingleMath,
  mtbenchPairMultiTurn,
  mtbenchPairMathMultiTurn,
  mtbenchSingleMultiTurn,
  mtbenchSingleMathMultiTurn,
  prometheusAbsolute,
  prometheusRelative,
  arenaHardV01,
  llmbarVanilla,
  llmbarVanillaNoRules,
  llmbarCot,
].map(defineTemplate);
