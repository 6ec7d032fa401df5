/**
 * The training and test documents the extraction benchmarks share (bench/extract.bench.ts,
 * bench/learn.bench.ts): einvoices/dev, synthetic invoices from seeds 100000+, a stride of the
 * SROIE receipts' OCR lines; each prepared with and without the token classifier's features.
 */
import { resolve } from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config/config.js';
import { loadEinvoices, loadSroieBoxes, loadSroieImages, loadSynth, loadVendorHistories, type LabelledDoc } from '../src/extract/learn/dataset.js';
import { prepareDoc, type FitOptions } from '../src/extract/learn/fit.js';

export const dataDir = process.env.LEDGERLENS_DATA_DIR ?? resolve(PROJECT_ROOT, '../shared/data');
export const benchConfig = loadConfig({ overrides: { embedded: false } });
export const log = (s: string) => process.stderr.write(`${s}\n`);

/** The scorer's recipe in the benchmarks (training/fit-scorer.ts ships the same, with more trees where asked). */
export function benchFitOptions(usesNer: boolean, o: { trees?: number; einvoiceWeight?: number; calibration?: 'platt' | 'isotonic' } = {}): FitOptions {
  return { usesNer, innerFolds: 2, maxNegatives: 25, sourceWeights: { einvoice: o.einvoiceWeight ?? 1 }, calibration: o.calibration ?? 'platt', gbdt: { trees: o.trees ?? 60, depth: 4, learningRate: 0.2 } };
}

/** Synthetic vendor histories, prepared, for the memory model. */
export async function loadHistories(vendors: number) {
  return (await loadVendorHistories(vendors, benchConfig, log)).map((d) => prepareDoc(d, false));
}

/** `images`: also the 100 SROIE images through our OCR and classifier (I), which the shipped scorer trains on. */
export async function loadScorerData(o: { synth: number; sroie: number; nerOnSynth: boolean; images?: boolean }) {
  const t0 = performance.now();
  const einv = await loadEinvoices(dataDir, benchConfig, log);
  const synth = await loadSynth(Array.from({ length: o.synth }, (_, i) => 100000 + i), benchConfig, log);
  const sroieAll = loadSroieBoxes(dataDir);
  const stride = Math.max(1, Math.floor(sroieAll.length / Math.max(1, o.sroie)));
  const sroieTrain = sroieAll.filter((_, i) => i % stride === 0).slice(0, o.sroie);
  const images = o.images ? await loadSroieImages(dataDir, benchConfig, log) : [];
  log(`loaded ${einv.length} e-invoices, ${synth.length} synthetic, ${sroieTrain.length}/${sroieAll.length} receipts (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const prep = (docs: LabelledDoc[], ner: boolean) => docs.map((d) => prepareDoc(d, ner));
  return {
    einv, sroieAll, prep,
    E: { ner: prep(einv, true), plain: prep(einv, false) },
    S: { ner: synth.map((d) => prepareDoc(d, true, o.nerOnSynth)), plain: prep(synth, false) },
    R: prep(sroieTrain, false),
    I: { ner: prep(images, true), plain: prep(images, false) },
  };
}
