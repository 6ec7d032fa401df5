/**
 * Learning from corrections, measured on layouts the scorer never saw. Per einvoices/dev generator
 * (leave-one-generator-out): the scorer, with its memory model, is fitted without that generator;
 * then its documents, in file-name order, go through review one by one as a reviewer would do it on
 * the review page: extract (with what was learned so far), correct every printed field that is
 * wrong (applyCorrection, the page's code path), confirm, store the labelled example
 * (trainingExample), and `learn` (validation on held-back examples included). After 0, 1, 3 and 5
 * reviewed documents the generator's remaining documents are scored.
 *  - "rest": the documents after the first N, for every generator with more than N;
 *  - "same documents": the documents after the first 5, for the generators with more than 5, so that
 *    every N is scored on the same documents.
 * --sroie-vendors does the same for SROIE vendors (receipts grouped by company), 5 folds of vendors:
 * each fold's scorer is fitted without any receipt of the fold's vendors.
 * Usage: node --import tsx bench/learn.bench.ts [--synth 400] [--sroie 250] [--only GENERATOR] [--sroie-vendors]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractInvoice } from '../src/extract/extractor.js';
import { straightThrough, type Judged } from '../src/extract/learn/evaluate.js';
import { fitScorer, outcomes, type PreparedDoc } from '../src/extract/learn/fit.js';
import { learn, loadLearnedMemory } from '../src/extract/learn/learned.js';
import { withMemory } from '../src/extract/memory.js';
import { LearnedScorer, SCORED_FIELDS, type FieldScorer } from '../src/extract/scorer/scorer.js';
import { sameValue, squash } from '../src/extract/learn/truth.js';
import { getField } from '../src/core/invoice-record.js';
import { applyCorrection, CorrectionInputSchema } from '../src/service/record-corrections.js';
import { trainingExample } from '../src/service/training-examples.js';
import type { DocumentInfo } from '../src/service/document-state.js';
import type { VersionEntry } from '../src/service/record-versions.js';
import { benchConfig, benchFitOptions, loadHistories, loadScorerData, log } from './scorer-data.js';

const { values } = parseArgs({ options: {
  synth: { type: 'string', default: '400' }, sroie: { type: 'string', default: '250' }, only: { type: 'string' }, histories: { type: 'string', default: '40' },
  'sroie-vendors': { type: 'boolean', default: false },
} });
const STEPS = [0, 1, 3, 5] as const;
const t0 = performance.now();
const { E, S, R, sroieAll, prep } = await loadScorerData({ synth: Number(values.synth), sroie: Number(values.sroie), nerOnSynth: false });
const H = await loadHistories(Number(values.histories));

/** A reviewer on the review page: corrects the printed fields the record has wrong, clears values the page does not print, confirms. */
function review(store: string, d: PreparedDoc, scorer: FieldScorer): void {
  const record = extractInvoice(d.doc.text, d.doc.spans ?? [], { config: benchConfig, model: { name: 'bench', version: '0' }, scorer, memory: loadLearnedMemory(store) });
  const fields: Record<string, string | null> = {};
  for (const field of SCORED_FIELDS) {
    if (!(field in d.doc.truth)) continue;
    const got = getField(record as never, field);
    const want = d.doc.truth[field] ?? null;
    if (d.doc.scored.has(field)) { if (!sameValue(field, got, want)) fields[field] = want; } else if (got !== null) fields[field] = null;
  }
  const { record: next, changes } = applyCorrection(record, d.doc.text, CorrectionInputSchema.parse({ fields, reviewed: true }));
  const entry: VersionEntry = { version: 2, createdAt: new Date(0).toISOString(), kind: changes.length ? 'correction' : 'confirmation', author: { tenant: 'default', keyId: 'bench', user: 'bench' }, reviewed: true, changes };
  const info = { id: d.doc.id, tenant: 'default' } as DocumentInfo;
  const dir = join(store, 'examples', d.doc.id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'v2.json'), JSON.stringify(trainingExample(info, entry, next, d.doc.text, true)));
  learn(store, scorer);
}

function judged(docs: PreparedDoc[], scorer: FieldScorer, store: string): Judged[] {
  const memory = loadLearnedMemory(store);
  return docs.flatMap((d) => {
    const s = withMemory(scorer, d.prep, memory, 'default');
    const threshold = scorer.reviewThreshold ?? 0.95;
    return outcomes([d], s).map((o) => ({ ...o, accepted: o.value !== null && o.confidence >= threshold }));
  });
}

type Tables = { rest: Map<number, Judged[]>; same: Map<number, Judged[]> };
const tables = (): Tables => ({ rest: new Map(STEPS.map((n) => [n, []])), same: new Map(STEPS.map((n) => [n, []])) });

/** One group's documents reviewed in order with a fresh store; the rest scored after each step. */
function history(docs: PreparedDoc[], scorer: FieldScorer, out: Tables): void {
  const store = mkdtempSync(join(tmpdir(), 'ledgerlens-learn-bench-'));
  try {
    let reviewed = 0;
    for (const n of STEPS) {
      while (reviewed < n && reviewed < docs.length) review(store, docs[reviewed++]!, scorer);
      if (docs.length > n) out.rest.get(n)!.push(...judged(docs.slice(n), scorer, store));
      if (docs.length > 5) out.same.get(n)!.push(...judged(docs.slice(5), scorer, store));
    }
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}
const byId = (a: PreparedDoc, b: PreparedDoc) => (a.doc.id < b.doc.id ? -1 : 1);

const einvoices = tables();
const generators = [...new Set(E.ner.map((d) => d.doc.group))].sort().filter((g) => !values.only || g === values.only);
for (const g of generators) {
  const docs = E.ner.filter((d) => d.doc.group === g).sort(byId);
  if (docs.length < 2) continue;
  const scorer = new LearnedScorer(fitScorer([...E.ner.filter((d) => d.doc.group !== g), ...S.ner, ...R], { ...benchFitOptions(true), memoryOnly: H }));
  history(docs, scorer, einvoices);
  log(`generator ${g}: ${docs.length} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}% (${a}/${b})` : 'n/a');
function row(name: string, list: Judged[]): string {
  const printed = list.filter((o) => o.scored);
  const st = straightThrough(list);
  const docs = new Set(list.map((o) => o.doc)).size;
  return `| ${name} | ${docs} | ${pct(printed.filter((o) => o.right).length, printed.length)} | ${(100 * st.precision).toFixed(1)}% | ${(100 * st.coverage).toFixed(1)}% |`;
}
function print(name: string, group: string, t: Tables): void {
  for (const [title, table] of [[`the documents after the first N, every ${group} with more than N`, t.rest], [`the same documents (after the first 5) of the ${group}s with more than 5`, t.same]] as const) {
    console.log(`\n## ${name}, after N reviewed documents per ${group}: ${title}`);
    console.log(`| reviewed per ${group} | documents scored | printed fields right | straight-through precision | coverage |\n|---|---|---|---|---|`);
    for (const n of STEPS) console.log(row(String(n), table.get(n)!));
  }
  const fields = SCORED_FIELDS.filter((f) => t.same.get(0)!.some((o) => o.scored && o.field === f)).map((f) => {
    const cells = STEPS.map((n) => { const l = t.same.get(n)!.filter((o) => o.scored && o.field === f); return pct(l.filter((o) => o.right).length, l.length); });
    return `| ${f} | ${cells.join(' | ')} |`;
  });
  console.log(`\nper field, same documents:\n| field | ${STEPS.join(' | ')} |\n|---|${STEPS.map(() => '---|').join('')}\n${fields.join('\n')}`);
}
print('einvoices/dev, leave-one-generator-out', 'generator', einvoices);

if (values['sroie-vendors']) {
  const receipts = tables();
  const all = prep(sroieAll, false);
  const vendor = (d: PreparedDoc) => squash(d.doc.truth['vendor.name'] ?? '');
  const foldOf = (v: string) => { let h = 7; for (const ch of v) h = (h * 31 + ch.charCodeAt(0)) >>> 0; return h % 5; };
  for (let f = 0; f < 5; f++) {
    const held = all.filter((d) => vendor(d) && foldOf(vendor(d)) === f);
    const scorer = new LearnedScorer(fitScorer([...E.ner, ...S.ner, ...R.filter((d) => !vendor(d) || foldOf(vendor(d)) !== f)], { ...benchFitOptions(true), memoryOnly: H }));
    for (const v of [...new Set(held.map(vendor))].sort()) {
      const docs = held.filter((d) => vendor(d) === v).sort(byId);
      if (docs.length >= 2) history(docs, scorer, receipts);
    }
    log(`sroie vendor fold ${f} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  print('SROIE receipts (dataset OCR lines), vendors held out in 5 folds', 'vendor', receipts);
}
log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
