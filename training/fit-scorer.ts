/**
 * Fits the learned field scorers and writes them into the model bundle: scorer.json (text layers)
 * on einvoices/dev (all 60), synthetic invoices (seeds 100000+) and SROIE receipts from the
 * dataset's OCR lines; scorer-ocr.json (documents read by OCR, see scorerRoute) on the same plus
 * the 100 SROIE images read by our own OCR with the classifier's spans (the classifier never
 * trained on them; the first run OCRs them, a few minutes, then they are cached). The OCR'd
 * receipts lift receipts end to end and cost text-layer invoices (bench/extract.bench.ts --e2e,
 * --sources), hence two scorers. The layout-memory model also learns from synthetic vendor histories (--histories vendors,
 * 5 invoices each). The held-out figures of this recipe come from bench/extract.bench.ts and
 * bench/learn.bench.ts, which refit it per fold; this script only ships the final fit.
 * Usage: node --import tsx training/fit-scorer.ts [--dir models/ledgerlens-invoice] [--route text|ocr|both]
 *          [--synth 400] [--sroie 250] [--histories 40] [--trees 60] [--ner yes|no]
 */
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { loadEinvoices, loadSroieBoxes, loadSroieImages, loadSynth, loadVendorHistories, type LabelledDoc } from '../src/extract/learn/dataset.js';
import { fitScorer, prepareDoc } from '../src/extract/learn/fit.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { featureGains } from '../src/extract/scorer/gbdt.js';

const { values } = parseArgs({ options: {
  dir: { type: 'string' }, route: { type: 'string', default: 'both' }, synth: { type: 'string', default: '400' }, sroie: { type: 'string', default: '250' },
  trees: { type: 'string', default: '60' }, ner: { type: 'string', default: 'yes' }, histories: { type: 'string', default: '40' },
} });
const config = loadConfig({ overrides: { embedded: false } });
const dataDir = process.env.LEDGERLENS_DATA_DIR ?? resolve(PROJECT_ROOT, '../shared/data');
const dir = values.dir ?? config.model.dir;
const routes = values.route === 'both' ? ['text', 'ocr'] : [values.route!];
if (!routes.every((r) => r === 'text' || r === 'ocr')) throw new Error('--route is text, ocr or both');
const log = (s: string) => process.stderr.write(`${s}\n`);

const einv = await loadEinvoices(dataDir, config, log);
const synth = await loadSynth(Array.from({ length: Number(values.synth) }, (_, i) => 100000 + i), config, log);
const sroieAll = loadSroieBoxes(dataDir);
const stride = Math.max(1, Math.floor(sroieAll.length / Math.max(1, Number(values.sroie))));
const sroie = sroieAll.filter((_, i) => i % stride === 0).slice(0, Number(values.sroie));
const images = routes.includes('ocr') ? await loadSroieImages(dataDir, config, log) : [];
await closeOcrPool();
const usesNer = values.ner !== 'no';
const histories = (await loadVendorHistories(Number(values.histories), config, log)).map((d) => prepareDoc(d, false));
for (const route of routes) {
  // the classifier's spans feed the scorer from real documents only (see prepareDoc)
  const docs = [...einv, ...synth, ...sroie, ...(route === 'ocr' ? images : [])].map((d) => prepareDoc(d, usesNer, false));
  // each scorer's calibration and review threshold come from the documents it is for
  const calibrateOn = route === 'ocr' ? (d: LabelledDoc) => d.read === 'ocr' : undefined;
  const file = fitScorer(docs, { usesNer, innerFolds: 2, maxNegatives: 25, gbdt: { trees: Number(values.trees), depth: 4, learningRate: 0.2 }, memoryOnly: histories, calibrateOn, log });
  const out = join(dir, route === 'ocr' ? 'scorer-ocr.json' : 'scorer.json');
  // rounded thresholds and leaves keep the bundle small; predictions move by < 1e-4
  const json = JSON.stringify(file, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
  writeFileSync(out, `${json}\n`);
  log(`wrote ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB): trained on ${JSON.stringify(file.trainedOn)}, review threshold ${file.reviewThreshold.toFixed(3)}`);
  for (const [field, m] of Object.entries(file.models)) log(`  ${field}: ${m.trees.length} trees; top features ${featureGains(m).slice(0, 5).map(([f]) => f).join(', ')}`);
}
