/**
 * Extraction, measured where the product meets its users: on layouts the scorer never saw.
 *  - leave-one-generator-out over einvoices/dev: per generator, the scorer (models, "no value"
 *    odds, calibration, review threshold) is fitted without that generator's documents (on the
 *    other e-invoices, synthetic invoices and SROIE receipts), then scored on them; every scored
 *    field counts where its value is printed (NAME.expected.json's list; addresses and the
 *    seller's tax id from the embedded XML when the text prints them);
 *  - ablation in the same folds: the learned scorer without the token classifier's features, and
 *    the rule scorer alone (no fitting);
 *  - straight-through precision and coverage at each fold's own threshold, calibration buckets, ECE,
 *    and a reliability plot (--png);
 *  - SROIE k-fold on the dataset's OCR lines (company, date, address, total), no classifier
 *    features (the classifier trained on these receipts); --e2e adds the 100 dev images end to end,
 *    5-fold (the scorer learns OCR'd receipts from the other folds' images);
 *  - synthetic invoices from seeds never used in training (--synth-test N);
 *  - the extract stage's time per page on the e-invoices' text layers.
 * Usage: node --import tsx bench/extract.bench.ts [--synth 400] [--sroie 250] [--synth-test 100]
 *          [--kfold] [--e2e] [--png docs/reliability.png] [--misses] [--only GENERATOR]
 *          [--sources einvoice,synth,sroie[,sroie-img]] [--learned-only] [--trees 60]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { loadSroieBoxes, loadSynth } from '../src/extract/learn/dataset.js';
import { benchConfig, benchFitOptions, dataDir, loadScorerData, log } from './scorer-data.js';
import { calibrationBuckets, ece, fieldTable, reliabilitySvg, straightThrough, type Judged } from '../src/extract/learn/evaluate.js';
import { fitScorer, outcomes, type FitOptions, type PreparedDoc } from '../src/extract/learn/fit.js';
import { RuleScorer } from '../src/extract/scorer/rule-scorer.js';
import { FIELD_KIND, LearnedScorer, type FieldScorer } from '../src/extract/scorer/scorer.js';
import { sameValue } from '../src/extract/learn/truth.js';

const { values } = parseArgs({ options: {
  synth: { type: 'string', default: '400' }, sroie: { type: 'string', default: '250' }, 'synth-test': { type: 'string', default: '100' },
  kfold: { type: 'boolean', default: false }, e2e: { type: 'boolean', default: false }, png: { type: 'string' },
  misses: { type: 'boolean', default: false }, only: { type: 'string' }, trees: { type: 'string', default: '60' },
  sources: { type: 'string', default: 'einvoice,synth,sroie' }, 'einvoice-weight': { type: 'string', default: '1' }, 'ner-on-synth': { type: 'string', default: 'no' }, calibration: { type: 'string', default: 'platt' }, 'learned-only': { type: 'boolean', default: false },
} });
const config = benchConfig;
const t0 = performance.now();
// the layout memory is measured by bench/learn.bench.ts; these scorers never recall reviewed documents
const fitOptions = (usesNer: boolean): FitOptions => ({ ...benchFitOptions(usesNer, { trees: Number(values.trees), einvoiceWeight: Number(values['einvoice-weight']), calibration: values.calibration as 'platt' | 'isotonic' }), memory: false });

const judge = (docs: PreparedDoc[], scorer: FieldScorer): Judged[] => {
  const threshold = scorer.reviewThreshold ?? 0.95;
  return outcomes(docs, scorer).map((o) => ({ ...o, accepted: o.value !== null && o.confidence >= threshold }));
};

function report(name: string, list: Judged[]): void {
  const st = straightThrough(list);
  console.log(`\n${name}: straight-through precision ${(100 * st.precision).toFixed(1)}% (${st.right}/${st.accepted}), coverage ${(100 * st.coverage).toFixed(1)}% (${st.accepted}/${st.all}); ECE ${ece(list).toFixed(3)}`);
  console.log('| confidence | fields | mean confidence | observed accuracy |\n|---|---|---|---|');
  for (const b of calibrationBuckets(list)) if (b.n) console.log(`| ${b.lo.toFixed(2)}-${b.hi.toFixed(2)} | ${b.n} | ${b.meanConf.toFixed(3)} | ${b.accuracy.toFixed(3)} |`);
}

try {
  /** Training sources for the folds (the ablation of what each source adds). */
  const use = new Set(values.sources.split(','));
  const { einv, sroieAll, prep, E, S, R, I } = await loadScorerData({ synth: Number(values.synth), sroie: Number(values.sroie), nerOnSynth: values['ner-on-synth'] !== 'no', images: use.has('sroie-img') || values.e2e });
  log(`prepared (${((performance.now() - t0) / 1000).toFixed(0)} s)`);

  // candidate recall: the share of scored fields whose true value is among the candidates (the ceiling of any scorer)
  {
    const hit = new Map<string, [number, number]>();
    for (const { doc, prep } of E.plain) {
      for (const field of doc.scored) {
        const ok = prep.candidates[FIELD_KIND[field]].some((c) => sameValue(field, c.value, doc.truth[field] ?? null));
        const h = hit.get(field) ?? [0, 0];
        hit.set(field, [h[0] + (ok ? 1 : 0), h[1] + 1]);
        if (!ok && values.misses) console.log(`  no candidate ${doc.id} ${field}: want ${JSON.stringify(doc.truth[field])}`);
      }
    }
    console.log(`\ncandidate recall (einvoices/dev): ${[...hit].map(([f, [a, n]]) => `${f} ${a}/${n}`).join(', ')}`);
  }

  // leave one generator out
  const generators = [...new Set(einv.map((d) => d.group))].sort().filter((g) => !values.only || g === values.only);
  const learned: Judged[] = []; const noNer: Judged[] = []; const rules: Judged[] = [];
  const rule = new RuleScorer();
  for (const g of generators) {
    const test = (v: 'ner' | 'plain') => E[v].filter((d) => d.doc.group === g);
    const train = (v: 'ner' | 'plain') => [...(use.has('einvoice') ? E[v].filter((d) => d.doc.group !== g) : []), ...(use.has('synth') ? S[v] : []), ...(use.has('sroie') ? R : []), ...(use.has('sroie-img') ? I[v] : [])];
    learned.push(...judge(test('ner'), new LearnedScorer(fitScorer(train('ner'), fitOptions(true)))));
    if (!values['learned-only']) {
      noNer.push(...judge(test('plain'), new LearnedScorer(fitScorer(train('plain'), fitOptions(false)))));
      rules.push(...judge(test('plain'), rule));
    }
    log(`fold ${g}: ${test('ner').length} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`\n## einvoices/dev, leave-one-generator-out (${generators.length} generators, ${E.ner.length} documents), printed fields`);
  console.log(`training sources: ${[...use].join(', ')}`);
  console.log(fieldTable(values['learned-only'] ? [['learned scorer', learned]] : [['learned scorer', learned], ['without token classifier', noNer], ['rule scorer', rules]]));
  report('learned scorer', learned);
  if (!values['learned-only']) {
    report('without token classifier', noNer);
    report('rule scorer (uncalibrated)', rules);
  }
  if (values.misses) for (const o of learned) if (o.scored && !o.right) console.log(`  miss ${o.doc} ${o.field}: got ${JSON.stringify(o.value)} (${o.confidence.toFixed(2)}); options ${o.top}`);
  if (values.png) {
    await sharp(Buffer.from(reliabilitySvg(learned, 'Leave-one-generator-out, einvoices/dev'))).png().toFile(values.png);
    log(`wrote ${values.png}`);
  }

  // SROIE k-fold on the dataset's OCR lines
  if (values.kfold) {
    const all = prep(sroieAll, false);
    const folds = [...new Set(all.map((d) => d.doc.group))].sort();
    const out: Judged[] = [];
    for (const f of folds) {
      // the images are receipts too: those of this fold's receipts stay out
      const testIds = new Set(all.filter((d) => d.doc.group === f).map((d) => d.doc.id));
      const train = [...all.filter((d) => d.doc.group !== f).filter((_, i) => i % 2 === 0), ...E.plain, ...S.plain, ...(use.has('sroie-img') ? I.plain : []).filter((d) => !testIds.has(d.doc.id))];
      out.push(...judge(all.filter((d) => d.doc.group === f), new LearnedScorer(fitScorer(train, fitOptions(false)))));
      log(`sroie ${f} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    console.log(`\n## SROIE, ${folds.length}-fold on the dataset's OCR lines (${all.length} receipts; no token-classifier features)`);
    console.log(fieldTable([['learned scorer', out]], ['vendor.name', 'invoiceDate', 'vendor.address', 'total']));
    report('SROIE k-fold', out);
  }

  // held-out synthetic invoices, and the extract stage's speed, with a scorer fitted on all the training sources
  const full = new LearnedScorer(fitScorer([...E.ner, ...S.ner, ...R, ...(use.has('sroie-img') ? I.ner : [])], fitOptions(true)));
  const testN = Number(values['synth-test']);
  if (testN > 0) {
    const held = prep(await loadSynth(Array.from({ length: testN }, (_, i) => 900000 + i), config, log), true);
    console.log(`\n## synthetic held-out (${testN} invoices, seeds never trained on)`);
    console.log(fieldTable([['learned scorer', judge(held, full)]]));
  }
  if (values.e2e) {
    // 5 folds over the images: each fold's scorer is fitted on the training sources plus the other
    // folds' OCR'd receipts, as training/fit-scorer.ts fits the shipped OCR scorer (scorer-ocr.json)
    // on all 100; the last column is the text-layer scorer's recipe
    const dev = new Set(loadSroieBoxes(dataDir).slice(-100).map((d) => d.id));
    const imgs = I;
    const base = (v: 'ner' | 'plain') => [...E[v], ...S[v], ...R.filter((d) => !dev.has(d.doc.id))];
    // calibration and review threshold on the OCR'd receipts' out-of-fold fields, as fit-scorer does for the OCR scorer
    const ocrOptions = (v: 'ner' | 'plain'): FitOptions => ({ ...fitOptions(v === 'ner'), calibrateOn: (d) => d.read === 'ocr' });
    const kfold = (v: 'ner' | 'plain'): Judged[] => [0, 1, 2, 3, 4].flatMap((k) =>
      judge(imgs[v].filter((_, i) => i % 5 === k), new LearnedScorer(fitScorer([...base(v), ...imgs[v].filter((_, i) => i % 5 !== k)], ocrOptions(v)))));
    console.log('\n## SROIE dev, 100 images end to end, 5-fold (tesseract OCR, then the classifier, which never saw them)');
    const ocrScorer = kfold('ner');
    console.log(fieldTable([
      ['learned scorer', ocrScorer],
      ['without token classifier', kfold('plain')],
      ['text-layer scorer (no OCR\'d receipts)', judge(imgs.ner, new LearnedScorer(fitScorer(base('ner'), fitOptions(true))))],
    ], ['vendor.name', 'invoiceDate', 'vendor.address', 'total']));
    report('SROIE end to end, OCR scorer (each fold at its own threshold)', ocrScorer);
    // misses only of the first 50 dev receipts (the OCR tuning half); the last 50 stay unread
    const tune = new Set([...dev].slice(0, 50));
    if (values.misses) for (const o of ocrScorer) if (o.scored && !o.right && tune.has(o.doc)) console.log(`  e2e miss ${o.doc} ${o.field}: want ${JSON.stringify(imgs.ner.find((d) => d.doc.id === o.doc)?.doc.truth[o.field] ?? null)}, got ${JSON.stringify(o.value)} (${o.confidence.toFixed(2)}); options ${o.top}`);
  }
  const pages = einv.reduce((n, d) => n + d.text.pages.length, 0);
  const t1 = performance.now();
  for (const d of einv) extractInvoice(d.text, d.spans ?? [], { config, model: { name: 'bench', version: '0' }, scorer: full });
  console.log(`\nextract stage: ${((performance.now() - t1) / pages).toFixed(1)} ms per page (${pages} text-layer pages, learned scorer with classifier features)`);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  await closeOcrPool();
}
