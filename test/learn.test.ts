import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import type { DocumentText } from '../src/core/document-text.js';
import { isLedgerlensError } from '../src/core/errors.js';
import { getField, type InvoiceRecord } from '../src/core/invoice-record.js';
import { readDocumentText } from '../src/document/read-document.js';
import { prepare } from '../src/extract/decide.js';
import { extractInvoice } from '../src/extract/extractor.js';
import { currentVersion, learn, learnedVersions, loadLearnedMemory, rollback, setCurrent } from '../src/extract/learn/learned.js';
import { sameValue } from '../src/extract/learn/truth.js';
import { MemoryScorer, similarity, vocabularyOf, withMemory } from '../src/extract/memory.js';
import { loadScorer, parseScorerFile } from '../src/extract/scorer/load.js';
import { SCORED_FIELDS } from '../src/extract/scorer/scorer.js';
import { applyCorrection, CorrectionInputSchema } from '../src/service/record-corrections.js';
import type { DocumentInfo } from '../src/service/document-state.js';
import { trainingExample } from '../src/service/training-examples.js';
import type { VersionEntry } from '../src/service/record-versions.js';
import { generateInvoice, type GeneratedInvoice } from '../src/synth/generate.js';
import { ensureBuilt, run } from './cli-harness.js';

const config = loadConfig({ overrides: { embedded: false } });
const scorer = loadScorer(config.model.dir);
const options = { config: { extract: {} }, model: { name: 'test', version: '0' }, scorer };

/** One synthetic vendor's invoices (vendor seed 424242), and an invoice of another vendor. */
const VENDOR = 424242;
let history: Array<{ g: GeneratedInvoice; text: DocumentText }> = [];
let stranger: { g: GeneratedInvoice; text: DocumentText };
const read = async (g: GeneratedInvoice) => ({ g, text: await readDocumentText(g.pdf, { file: `${g.name}.pdf`, config }) });

/** What the review page does: correct the fields the record has wrong to the truth, confirm, store the example. */
function review(store: string, id: string, tenant: string, text: DocumentText, truth: InvoiceRecord): void {
  const record = extractInvoice(text, [], { ...options, memory: loadLearnedMemory(store), tenant });
  const fields: Record<string, string | null> = {};
  for (const f of SCORED_FIELDS) {
    const want = getField(truth as never, f);
    if (!sameValue(f, getField(record as never, f), want)) fields[f] = want;
  }
  const { record: next, changes } = applyCorrection(record, text, CorrectionInputSchema.parse({ fields, reviewed: true }));
  const entry: VersionEntry = { version: 2, createdAt: new Date().toISOString(), kind: changes.length ? 'correction' : 'confirmation', author: { tenant, keyId: 'test', user: 'test' }, reviewed: true, changes };
  mkdirSync(join(store, 'examples', id), { recursive: true });
  writeFileSync(join(store, 'examples', id, 'v2.json'), JSON.stringify(trainingExample({ id, tenant } as DocumentInfo, entry, next, text, true)));
}

const right = (record: InvoiceRecord, truth: InvoiceRecord) => SCORED_FIELDS.filter((f) => getField(truth as never, f) !== null && sameValue(f, getField(record as never, f), getField(truth as never, f))).length;

describe('learning from reviewed documents (layout memory)', () => {
  let store: string;
  before(async () => {
    history = await Promise.all([0, 1, 2, 3].map(async (i) => read(await generateInvoice(515150 + i, { vendorSeed: VENDOR }))));
    stranger = await read(await generateInvoice(515199));
    store = mkdtempSync(join(tmpdir(), 'ledgerlens-learn-'));
  });
  after(() => rmSync(store, { recursive: true, force: true }));

  it('draws a vendor history: one vendor and layout, other customers, numbers and lines', () => {
    const [a, b] = history.map((h) => h.g);
    assert.equal(a!.record.vendor.name, b!.record.vendor.name);
    assert.equal(a!.layout, b!.layout);
    assert.notEqual(a!.record.invoiceNumber, b!.record.invoiceNumber);
    // the same vendor's invoices share far more of their words than another vendor's
    const v = (t: DocumentText) => vocabularyOf(prepare(t, null));
    assert.ok(similarity(v(history[0]!.text), v(history[1]!.text)) > similarity(v(history[0]!.text), v(stranger.text)) + 0.1);
  });

  it('ships a memory model with the default scorer', () => {
    assert.ok(scorer.memory, 'models/ledgerlens-invoice/scorer.json has no memory model: run npm run fit-scorer');
    assert.ok(Object.keys(scorer.memory!.weights).length >= 8);
  });

  it('refuses a scorer.json whose memory model reads other features', () => {
    const file = JSON.parse(readFileSync(join(config.model.dir, 'scorer.json'), 'utf8'));
    assert.doesNotThrow(() => parseScorerFile(file, 'shipped'));
    file.memory.features = file.memory.features.slice(1);
    assert.throws(() => parseScorerFile(file, 'edited'), (e: unknown) => isLedgerlensError(e) && e.code === 'MODEL_INVALID' && /memory model/.test(e.message));
  });

  it('refuses to learn from a store with no reviewed documents, and skips files that are not examples', () => {
    assert.throws(() => learn(store, scorer), (e: unknown) => isLedgerlensError(e) && e.code === 'INVALID_INPUT');
    mkdirSync(join(store, 'examples', 'broken'), { recursive: true });
    writeFileSync(join(store, 'examples', 'broken', 'v2.json'), '{"format":"something-else"}');
    assert.throws(() => learn(store, scorer), (e: unknown) => isLedgerlensError(e) && e.code === 'INVALID_INPUT');
  });

  it('learns reviewed invoices, validates them held back, and recalls them for the tenant only', () => {
    for (const [i, h] of history.slice(0, 3).entries()) review(store, `doc-${i}`, 'acme', h.text, h.g.record);
    const result = learn(store, scorer);
    assert.deepEqual(result.skipped.length, 1, 'the broken file is reported');
    assert.equal(result.documents, 3);
    assert.equal(result.version, 1);
    assert.equal(currentVersion(store), 1);
    assert.ok(result.validation.fields > 0 && result.validation.rightWith >= result.validation.rightWithout);
    const memory = loadLearnedMemory(store);
    assert.equal(memory.length, 3);
    const next = history[3]!;
    const prep = prepare(next.text, null);
    assert.ok(withMemory(scorer, prep, memory, 'acme') instanceof MemoryScorer, 'the same vendor\'s next invoice recalls the reviewed ones');
    assert.equal(withMemory(scorer, prep, memory, 'other-tenant'), scorer, 'another tenant never recalls them');
    assert.equal(withMemory(scorer, prepare(stranger.text, null), memory, 'acme') instanceof MemoryScorer ? 'recalled' : 'not', 'not', 'another vendor\'s invoice recalls nothing');
    // the next invoice of the vendor comes out at least as right with the memory as without
    const withM = extractInvoice(next.text, [], { ...options, memory, tenant: 'acme' });
    const without = extractInvoice(next.text, [], options);
    assert.ok(right(withM, next.g.record) >= right(without, next.g.record), `with memory ${right(withM, next.g.record)}, without ${right(without, next.g.record)}`);
  });

  it('keeps versions side by side; rolls back and forward', () => {
    const second = learn(store, scorer);
    assert.equal(second.version, 2);
    assert.deepEqual(learnedVersions(store), [1, 2]);
    assert.equal(rollback(store), 1);
    assert.equal(loadLearnedMemory(store).length, 3);
    assert.equal(rollback(store), null);
    assert.deepEqual(loadLearnedMemory(store), [], 'rolled back past the first: no memory');
    assert.throws(() => rollback(store), (e: unknown) => isLedgerlensError(e) && e.code === 'CONFLICT');
    assert.throws(() => setCurrent(store, 7), (e: unknown) => isLedgerlensError(e) && e.code === 'NOT_FOUND');
    setCurrent(store, 2);
    assert.equal(readFileSync(join(store, 'learned', 'current'), 'utf8').trim(), 'v2');
  });

  it('runs from the command line: learn, --list, --rollback', () => {
    ensureBuilt();
    const learned = run(['learn', '--store', store, '--model', config.model.dir, '--json']);
    assert.equal(learned.status, 0, learned.stderr);
    assert.equal(JSON.parse(learned.stdout).version, 3);
    const list = run(['learn', '--store', store, '--list', '--json']);
    assert.equal(JSON.parse(list.stdout).current, 3);
    const back = run(['learn', '--store', store, '--rollback']);
    assert.match(back.stdout, /now using v2/);
    const bad = run(['learn', '--store', store, '--use', 'latest']);
    assert.equal(bad.status, 2);
  });
});

describe('hybrid e-invoices as labelled examples', () => {
  it('keeps the page text with the XML record, labelling the fields the page prints', async () => {
    const { ciiXml, pdfWithAttachments, sampleInvoice } = await import('./einvoice-fixtures.js');
    const { ocr } = await import('../src/pipeline/stages.js');
    const { einvoiceExample } = await import('../src/service/training-examples.js');
    const bytes = new Uint8Array(await pdfWithAttachments([{ name: 'factur-x.xml', content: ciiXml(sampleInvoice()) }]));
    const on = await ocr(bytes, { file: 'hybrid.pdf' }, { config: loadConfig() });
    assert.equal(on.kind, 'record');
    assert.ok(on.kind === 'record' && on.text, 'the record comes with the page text');
    const example = einvoiceExample({ id: 'h1', tenant: 'acme' }, on.record, on.text!);
    // the page prints only "Rechnung RE-2024/0815": the invoice number is labelled, nothing else
    assert.deepEqual(example.labels.map((l) => [l.path, l.value, l.source]), [['invoiceNumber', 'RE-2024/0815', 'xml']]);
    const off = await ocr(bytes, { file: 'hybrid.pdf' }, { config: loadConfig({ overrides: { extract: { learnFromEinvoices: false } } as never }) });
    assert.ok(off.kind === 'record' && off.text === undefined, 'switched off, no text is read');
  });
});
