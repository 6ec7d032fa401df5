import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DocumentText } from '../../core/document-text.js';
import { LedgerlensError } from '../../core/errors.js';
import { MEMORY_FEATURES } from '../memory.js';
import { RuleScorer } from './rule-scorer.js';
import { LearnedScorer, SCORED_FIELDS, type FieldScorer, type ScorerFile } from './scorer.js';

const cache = new Map<string, FieldScorer>();

/** Checks the parts of a scorer.json that the extractor reads; MODEL_INVALID names the first fault. */
export function parseScorerFile(json: unknown, where: string): ScorerFile {
  const f = json as Partial<ScorerFile>;
  const fail = (why: string): never => { throw new LedgerlensError('MODEL_INVALID', `${where}: ${why}`); };
  if (!f || typeof f !== 'object' || f.format !== 'ledgerlens-scorer') fail('not a ledgerlens scorer (format)');
  if (f.version !== 1) fail(`unsupported scorer version ${String(f.version)}`);
  if (!f.models || typeof f.models !== 'object') fail('no models');
  for (const [field, m] of Object.entries(f.models!)) {
    if (!(SCORED_FIELDS as readonly string[]).includes(field)) fail(`unknown field ${field}`);
    if (!m || m.kind !== 'gbdt' || !Array.isArray(m.trees) || !Array.isArray(m.features)) fail(`model of ${field} is not a gbdt`);
  }
  if (typeof f.reviewThreshold !== 'number' || !f.joint || !f.calibration || !f.none) fail('missing reviewThreshold, joint, calibration or none');
  if (f.memory !== undefined) {
    const m = f.memory;
    if (!m || !Array.isArray(m.features) || m.features.join() !== MEMORY_FEATURES.join()) fail(`its memory model reads other features (${String(m?.features)}) than this version (${MEMORY_FEATURES.join()}): refit it`);
    for (const [field, w] of Object.entries(m.weights ?? {})) if (!Array.isArray(w) || w.length !== MEMORY_FEATURES.length) fail(`memory weights of ${field} are not ${MEMORY_FEATURES.length} numbers`);
  }
  return f as ScorerFile;
}

/**
 * Which of a bundle's scorers reads a document: `ocr` when most of its words were read by OCR
 * (scans, photos, receipts), `text` for text layers. The two are fitted on the same sources except
 * that the OCR one also learns from receipts read by our own OCR with the classifier's spans
 * (training/fit-scorer.ts): measured, that lifts receipts end to end and costs text-layer invoices.
 */
export type ScorerRoute = 'text' | 'ocr';

export function scorerRoute(text: DocumentText): ScorerRoute {
  let all = 0; let ocr = 0;
  for (const p of text.pages) {
    all += p.words.length;
    if (p.method === 'ocr') ocr += p.words.length;
  }
  return 2 * ocr > all ? 'ocr' : 'text';
}

/**
 * The scorer of a model bundle: its scorer.json (scorer-ocr.json for the `ocr` route when the
 * bundle has one), read once per process, or the rule scorer when the bundle has none. A scorer
 * file that is present but broken fails loudly (MODEL_INVALID).
 */
export function loadScorer(modelDir: string, route: ScorerRoute = 'text'): FieldScorer {
  const ocrFile = join(resolve(modelDir), 'scorer-ocr.json');
  const file = route === 'ocr' && existsSync(ocrFile) ? ocrFile : join(resolve(modelDir), 'scorer.json');
  const hit = cache.get(file);
  if (hit) return hit;
  let scorer: FieldScorer;
  if (!existsSync(file)) scorer = new RuleScorer();
  else {
    let json: unknown;
    try { json = JSON.parse(readFileSync(file, 'utf8')); } catch (err) { throw new LedgerlensError('MODEL_INVALID', `${file}: ${(err as Error).message}`, { cause: err }); }
    scorer = new LearnedScorer(parseScorerFile(json, file));
  }
  cache.set(file, scorer);
  return scorer;
}
