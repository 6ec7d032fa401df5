import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { isLedgerlensError } from '../src/core/errors.js';
import { assign } from '../src/extract/assign.js';
import { cleanName, findCandidates, repairLegalForm, type Candidate } from '../src/extract/candidates.js';
import { docContext, foldOcr } from '../src/extract/context.js';
import { prepare } from '../src/extract/decide.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { featurize } from '../src/extract/features.js';
import { gbdtProbability } from '../src/extract/scorer/gbdt.js';
import { loadScorer, scorerRoute } from '../src/extract/scorer/load.js';
import { applyPlatt, fitPlattGroups } from '../src/extract/scorer/platt.js';
import { RuleScorer } from '../src/extract/scorer/rule-scorer.js';
import { DEFAULT_JOINT, LearnedScorer } from '../src/extract/scorer/scorer.js';
import { docFromCells, docFromLines } from './extract-fixtures.js';

/** The shipped default bundle's learned scorer (models/ledgerlens-invoice/scorer.json). */
const scorer = loadScorer(loadConfig().model.dir);
const options = { config: { extract: {} }, model: { name: 'test', version: '0' }, scorer };
const rules = { ...options, scorer: new RuleScorer() };
const codes = (r: { warnings: Array<{ code: string }> }) => r.warnings.map((w) => w.code);

const english = docFromCells([
  [[40, 'Northwind Traders Ltd'], [380, 'INVOICE']],
  [[40, '12 Harbour Road'], [380, 'Invoice No: INV-2024-0117']],
  [[40, 'Springfield, IL 62704, USA'], [380, 'Invoice Date: 03/05/2024']],
  [[40, 'Tax ID: 12-3456789']],
  [],
  [[40, 'Bill To:']],
  [[40, 'Contoso Corporation']],
  [[40, '500 Main Street']],
  [[40, 'Portland, OR 97201']],
  [],
  [[40, 'Description'], [250, 'Qty'], [320, 'Unit Price'], [440, 'Amount']],
  [[40, 'Widget, large'], [250, '10'], [320, '$12.50'], [440, '$125.00']],
  [[40, 'Consulting hours'], [250, '2'], [320, '$150.00'], [440, '$300.00']],
  [],
  [[320, 'Subtotal'], [440, '$425.00']],
  [[320, 'Sales Tax 8%'], [440, '$34.00']],
  [[320, 'Total Due'], [440, '$459.00']],
  [],
  [[40, 'Payment terms: Net 30']],
]);

const german = docFromCells([
  [[40, 'Musterbau GmbH · Industriestraße 5 · 80333 München']],
  [[40, 'Rechnungsempfänger'], [360, 'Rechnungsnummer']],
  [[40, 'Kunden AG'], [360, 'RE-4711']],
  [[40, 'Kundenweg 1'], [360, 'Rechnungsdatum']],
  [[40, '60311 Frankfurt'], [360, '05.03.2024']],
  [],
  [[40, 'Pos'], [80, 'Bezeichnung'], [300, 'Menge'], [360, 'Preis'], [460, 'Betrag']],
  [[40, '1'], [80, 'Trennblätter A4'], [300, '20'], [360, '9,90'], [460, '198,00']],
  [[40, '2'], [80, 'Ordner'], [300, '4'], [360, '12,50'], [460, '50,00']],
  [],
  [[300, 'Summe netto'], [460, '248,00 €']],
  [[300, 'zzgl. 19% USt.'], [460, '47,12 €']],
  [[300, 'Rechnungsbetrag'], [460, '295,12 €']],
  [],
  [[40, 'Zahlbar innerhalb 14 Tagen ohne Abzug.']],
  [[40, 'USt-IdNr.: DE123456789   IBAN DE08 7009 0100 1234 5678 90']],
]);

describe('candidates and features', () => {
  const ctx = docContext(english, null);
  const all = findCandidates(ctx);
  const rows = featurize(ctx, all);
  const find = (kind: keyof typeof all, value: string) => all[kind].find((c) => c.value === value);

  it('proposes every amount, date and id-like token, with page and box, and decides no roles', () => {
    assert.deepEqual(['12.50', '125.00', '150.00', '300.00', '425.00', '34.00', '459.00'].every((v) => find('amount', v)), true);
    assert.ok(find('date', '2024-03-05'));
    assert.ok(find('id', 'INV-2024-0117'));
    for (const c of Object.values(all).flat()) {
      assert.equal(c.page, 1);
      assert.ok(c.bbox[2] > c.bbox[0]);
      assert.equal('field' in c, false);
    }
  });
  it('proposes name lines and the address blocks under them', () => {
    assert.ok(find('name', 'Contoso Corporation'));
    assert.ok(all.name.every((c) => !/^bill to:?$/i.test(c.value)), 'a label alone is no name');
    assert.ok(find('address', '500 Main Street, Portland, OR 97201'));
  });
  it('reads the label beside a value and the column header above it', () => {
    assert.equal(rows.get(find('id', 'INV-2024-0117')!)!['sc:invoiceNumber'], 1);
    assert.ok((rows.get(find('amount', '459.00')!)!['lc:total'] ?? 0) > 0);
    assert.ok((rows.get(find('amount', '125.00')!)!['hd:notTotal'] ?? rows.get(find('amount', '125.00')!)!['ab:notTotal'] ?? 0) >= 0);
    assert.ok((rows.get(find('name', 'Contoso Corporation')!)!['bh:customer'] ?? 0) > 0);
  });
  it('marks the amounts that complete subtotal + tax = total at a common tax rate', () => {
    const g = docContext(german, null);
    const a = findCandidates(g);
    const f = featurize(g, a);
    const row = (v: string) => f.get(a.amount.find((c) => c.value === v)!)!;
    assert.equal(row('295.12')['arith:total'], 1);
    assert.equal(row('248.00')['arith:sub'], 1);
    assert.equal(row('47.12')['arith:tax'], 1);
    assert.equal(row('9.90')['arith:total'] ?? 0, 0);
  });
  it('gives the token classifier\'s spans as features only when asked', () => {
    const start = english.text.indexOf('459.00');
    const spans = [{ label: 'MONEY', text: '459.00', start, end: start + 6, score: 0.9, page: 1, bbox: null }];
    const withNer = prepare(english, spans);
    const c = withNer.candidates.amount.find((x) => x.value === '459.00')!;
    assert.ok(withNer.rows.get(c)!['ner:MONEY']! > 0.5);
    const without = prepare(english, null);
    assert.equal(without.rows.get(without.candidates.amount.find((x) => x.value === '459.00')!)!['ner:MONEY'], undefined);
  });
});

describe('joint assignment', () => {
  const cand = (value: string, line: number, extra: Partial<Candidate> = {}): Candidate => ({
    kind: 'amount', value, start: line * 10, end: line * 10 + 5, line, cell: 0, page: 1, bbox: [0, 0, 1, 1], lines: [line], facts: {}, ...extra,
  });
  it('prefers amounts that add up over a slightly likelier total that does not', () => {
    const s = cand('100.00', 1); const t = cand('20.00', 2); const right = cand('120.00', 3); const wrong = cand('150.00', 4);
    const out = assign([
      { field: 'subtotal', options: [{ c: s, p: 0.9 }], noneLogit: -2 },
      { field: 'tax', options: [{ c: t, p: 0.9 }], noneLogit: -2 },
      { field: 'total', options: [{ c: wrong, p: 0.6 }, { c: right, p: 0.5 }], noneLogit: -2 },
    ], DEFAULT_JOINT);
    assert.equal(out.get('total')!.c, right);
    const m = out.get('total')!.marginal;
    assert.ok(m > 0.5 && m < 1);
  });
  it('never gives one party\'s name to both, nor one candidate to two fields, nor a due date before the issue date', () => {
    const n = cand('Acme Ltd', 1, { kind: 'name' });
    const names = assign([
      { field: 'vendor.name', options: [{ c: n, p: 0.9 }], noneLogit: -2 },
      { field: 'customer.name', options: [{ c: n, p: 0.8 }], noneLogit: -2 },
    ], DEFAULT_JOINT);
    assert.equal(names.get('vendor.name')!.c, n);
    assert.equal(names.get('customer.name')!.c, null);
    const d1 = cand('2024-03-01', 1, { kind: 'date' }); const d0 = cand('2024-02-01', 2, { kind: 'date' });
    const dates = assign([
      { field: 'invoiceDate', options: [{ c: d1, p: 0.9 }], noneLogit: -2 },
      { field: 'dueDate', options: [{ c: d0, p: 0.7 }], noneLogit: 0 },
    ], DEFAULT_JOINT);
    assert.equal(dates.get('dueDate')!.c, null);
  });
});

describe('extractInvoice with the shipped learned scorer', () => {
  it('ships a learned scorer in the default bundle', () => assert.ok(scorer instanceof LearnedScorer));
  it('scores a dense vector exactly as the sparse row', () => {
    const learned = scorer as LearnedScorer;
    const prep = prepare(english, null);
    for (const c of prep.candidates.amount) {
      const row = prep.rows.get(c)!;
      assert.equal(learned.probability('total', row), gbdtProbability(learned.file.models.total!, row));
    }
  });
  const r = extractInvoice(english, [], options);
  it('produces a valid record with the fields right', () => {
    assert.doesNotThrow(() => InvoiceRecordSchema.parse(r));
    assert.equal(r.vendor.name, 'Northwind Traders Ltd');
    assert.equal(r.customer.name, 'Contoso Corporation');
    assert.equal(r.invoiceNumber, 'INV-2024-0117');
    assert.equal(r.invoiceDate, '2024-03-05');
    assert.deepEqual([r.subtotal, r.tax, r.total, r.currency], ['425.00', '34.00', '459.00', 'USD']);
    assert.ok(!codes(r).includes('TOTALS_MISMATCH'));
  });
  it('derives the due date from "Net 30", marked derived', () => {
    assert.equal(r.dueDate, '2024-04-04');
    assert.equal(r.fields.dueDate?.method, 'derived');
    assert.equal(r.paymentTerms.netDays, 30);
  });
  it('gives calibrated confidence, review against the shipped threshold, and provenance', () => {
    for (const [field, info] of Object.entries(r.fields)) {
      assert.ok(info.confidence >= 0 && info.confidence <= 1, field);
      if (!['documentType'].includes(field)) assert.equal(info.review, info.confidence < scorer.reviewThreshold! || info.review, field);
    }
    const total = r.fields.total!;
    assert.match(total.provenance!.text, /459\.00/);
    assert.ok(total.provenance!.bbox![0] >= 440);
  });
  it('honours extract.reviewThreshold from the config', () => {
    const strict = extractInvoice(english, [], { ...options, config: { extract: { reviewThreshold: 1 } } });
    assert.ok(Object.entries(strict.fields).filter(([f]) => f !== 'documentType').every(([, i]) => i.review));
  });
  it('reads a German invoice: sender line, recipient block, stacked labels, comma decimals', () => {
    const g = extractInvoice(german, [], options);
    assert.equal(g.vendor.name, 'Musterbau GmbH');
    assert.equal(g.customer.name, 'Kunden AG');
    assert.equal(g.vendor.taxId, 'DE123456789');
    assert.equal(g.invoiceNumber, 'RE-4711');
    assert.equal(g.invoiceDate, '2024-03-05');
    assert.equal(g.dueDate, '2024-03-19');
    assert.deepEqual([g.subtotal, g.tax, g.total, g.currency], ['248.00', '47.12', '295.12', 'EUR']);
  });
  it('reads a credit note printed with minus signs as positive amounts, typed credit_note', () => {
    const c = extractInvoice(docFromLines(['Acme Supplies Inc.', 'Credit note No. CN-7', 'Net amount -7,67', 'VAT -1,12', 'Total amount -8,79']), [], options);
    assert.deepEqual([c.documentType, c.subtotal, c.tax, c.total], ['credit_note', '7.67', '1.12', '8.79']);
  });
  it('leaves absent fields null', () => {
    const e = extractInvoice(docFromLines(['Hello world', 'nothing to see here']), [], options);
    assert.deepEqual([e.invoiceNumber, e.invoiceDate, e.total, e.currency], [null, null, null, null]);
    assert.equal(e.fields.total, undefined);
  });
});

describe('extractInvoice with the rule scorer (no scorer.json)', () => {
  it('falls back to the rule table and still reads labelled values', () => {
    const r = extractInvoice(english, [], rules);
    assert.equal(r.invoiceNumber, 'INV-2024-0117');
    assert.deepEqual([r.subtotal, r.tax, r.total], ['425.00', '34.00', '459.00']);
    assert.equal(r.customer.name, 'Contoso Corporation');
  });
  it('is what loadScorer returns for a bundle without scorer.json, and a broken scorer.json is MODEL_INVALID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-scorer-'));
    assert.ok(loadScorer(dir) instanceof RuleScorer);
    const bad = mkdtempSync(join(tmpdir(), 'll-scorer-'));
    writeFileSync(join(bad, 'scorer.json'), '{"format":"ledgerlens-scorer","version":9}');
    assert.throws(() => loadScorer(bad), (e: unknown) => isLedgerlensError(e) && e.code === 'MODEL_INVALID');
  });
  it('reads scorer-ocr.json for documents read by OCR, scorer.json for text layers and where a bundle has no OCR scorer', () => {
    const ocrDoc = docFromLines(['Invoice No. 7', 'Total 10.00']);
    ocrDoc.pages[0]!.method = 'ocr';
    assert.equal(scorerRoute(ocrDoc), 'ocr');
    assert.equal(scorerRoute(english), 'text');
    const dir = mkdtempSync(join(tmpdir(), 'll-scorer-'));
    const shipped = JSON.parse(readFileSync(join(loadConfig().model.dir, 'scorer.json'), 'utf8')) as { reviewThreshold: number };
    writeFileSync(join(dir, 'scorer.json'), JSON.stringify({ ...shipped, reviewThreshold: 0.5 }));
    assert.equal(loadScorer(dir, 'ocr').reviewThreshold, 0.5);
    const both = mkdtempSync(join(tmpdir(), 'll-scorer-'));
    writeFileSync(join(both, 'scorer.json'), JSON.stringify({ ...shipped, reviewThreshold: 0.5 }));
    writeFileSync(join(both, 'scorer-ocr.json'), JSON.stringify({ ...shipped, reviewThreshold: 0.6 }));
    assert.equal(loadScorer(both, 'text').reviewThreshold, 0.5);
    assert.equal(loadScorer(both, 'ocr').reviewThreshold, 0.6);
  });
});

describe('calibration', () => {
  it('fits a shared slope with an intercept per field: monotone, in [0, 1], a harder field below an easier one', () => {
    const scores: number[] = []; const labels: number[] = []; const groups: string[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const g = i % 2 ? 'easy' : 'hard';
      const m = rnd();
      const p = 1 / (1 + Math.exp(-(2 * Math.log(m / (1 - m)) + (g === 'easy' ? 1 : -1))));
      scores.push(m); labels.push(rnd() < p ? 1 : 0); groups.push(g);
    }
    const models = fitPlattGroups(scores, labels, groups);
    const easy = models.get('easy')!; const hard = models.get('hard')!;
    assert.ok(Math.abs(easy.a - 2) < 0.4, `slope ${easy.a}`);
    assert.ok(applyPlatt(easy, 0.5) > applyPlatt(hard, 0.5));
    let prev = 0;
    for (const m of [0.01, 0.2, 0.5, 0.8, 0.99]) { const c = applyPlatt(hard, m); assert.ok(c >= prev && c >= 0 && c <= 1); prev = c; }
  });
});

describe('extract helpers', () => {
  it('folds OCR slips in labels one character for one', () => {
    assert.equal(foldOcr('TotaI'), 'Total');
    assert.equal(foldOcr('T0TAL'), 'TOTAL');
    assert.equal(foldOcr('[otal 5'), 'Total 5');
    assert.equal(foldOcr('[otal').length, '[otal'.length);
  });
  it('cleans registration numbers off names and repairs OCR slips in legal forms', () => {
    assert.equal(cleanName('ACME TRADING (Co. No: 123456-X)'), 'ACME TRADING');
    assert.equal(repairLegalForm('KEDAI MAJU 5DN BHD'), 'KEDAI MAJU SDN BHD');
  });
  it('holds no string quoted from a single dev document', () => {
    const dir = join(import.meta.dirname, '../src/extract');
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const s of ['201/113/40209', 'MVM Musterhafter', 'SPEED MART', '20154-T']) assert.ok(!text.includes(s), s);
  });
});
