import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { IOB2_LABELS } from '../src/core/labels.js';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { buildEntry } from '../src/synth/corpus-build.js';
import { runCorpus } from '../src/synth/corpus-run.js';
import { statsOf } from '../src/synth/corpus-stats.js';
import { generateInvoice } from '../src/synth/generate.js';
import { LAYOUT_FAMILIES } from '../src/synth/invoice-model.js';
import { projectSpans, type CorpusLine } from '../src/synth/label-projection.js';
import { LOCALE_IDS } from '../src/synth/locales.js';
import { loadTextStage, type TextStage } from '../src/synth/text-stage.js';

let stage: TextStage;
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'synth-test-')); dirs.push(d); return d; };

before(async () => { stage = await loadTextStage(loadConfig({ env: {}, overrides: { ocr: { workers: 1 } } })); });
after(async () => { await stage.close(); for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function checkLine(line: CorpusLine): void {
  assert.deepEqual(Object.keys(line), ['id', 'words', 'boxes', 'tags', 'source', 'lang', 'layout']);
  assert.match(line.id, /^synth-\d+-\d+#p\d+$/);
  assert.ok(line.words.length > 0);
  assert.equal(line.boxes.length, line.words.length);
  assert.equal(line.tags.length, line.words.length);
  for (const b of line.boxes) {
    assert.equal(b.length, 4);
    for (const v of b) assert.ok(Number.isInteger(v) && v >= 0 && v <= 1000, `box value ${v}`);
    assert.ok(b[0] <= b[2] && b[1] <= b[3]);
  }
  line.tags.forEach((t, i) => {
    assert.ok(IOB2_LABELS.includes(t), `unknown tag ${t}`);
    if (t.startsWith('I-')) assert.ok(line.tags[i - 1] === t || line.tags[i - 1] === `B-${t.slice(2)}`, `I- without its entity at ${i}`);
  });
}

describe('synth: labels through the document-text stage', () => {
  it('labels >= 99% of the printed fields on PDFs of every layout family and locale', async () => {
    const total = { parts: 0, present: 0, labelled: 0 };
    const cases = [
      ...LAYOUT_FAMILIES.map((layout, i) => ({ seed: 300 + i, options: { layouts: [layout] } })),
      ...LOCALE_IDS.map((lang, i) => ({ seed: 400 + i, options: { locales: [lang] } })),
    ];
    for (const c of cases) {
      const g = await generateInvoice(c.seed, c.options);
      const text = await stage.read(g.pdf, `${g.name}.pdf`);
      const { coverage, pages } = projectSpans(text, g.spans);
      for (const k of ['parts', 'present', 'labelled'] as const) total[k] += coverage[k];
      // The record's own fields: the words of the printed total carry MONEY, the number INVOICE_NO.
      const tagged = (label: string) => pages.flatMap((p) => p.page.words.filter((_, i) => p.tags[i]!.endsWith(label)).map((w) => w.text));
      const totalText = g.spans.find((s) => s.field === 'total')!.parts[0]!.text;
      assert.ok(totalText.split(' ').every((t) => tagged('MONEY').includes(t)), `${g.layout}/${g.lang}: total ${totalText} not tagged`);
      assert.ok(tagged('INVOICE_NO').includes(g.record.invoiceNumber!), `${g.layout}/${g.lang}: invoice number not tagged`);
    }
    assert.ok(total.present / total.parts >= 0.99, `fields present in the text: ${total.present}/${total.parts}`);
    assert.ok(total.labelled / total.present >= 0.99, `coverage ${total.labelled}/${total.present}`);
  });

  it('writes the corpus, records and manifest, the same for the same seed', async () => {
    const a = tmp();
    const b = tmp();
    const entries = await runCorpus({ count: 6, seed: 5, out: a, jobs: 0, label: true, scan: false, scanShare: 0 });
    await runCorpus({ count: 6, seed: 5, out: b, jobs: 0, label: true, scan: false, scanShare: 0 });
    for (const f of readdirSync(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between runs`);
    const files = readdirSync(a);
    assert.equal(files.filter((f) => f.endsWith('.pdf')).length, 6);
    for (const f of files.filter((x) => x.endsWith('.expected.json'))) InvoiceRecordSchema.parse(JSON.parse(readFileSync(join(a, f), 'utf8')));
    const lines = readFileSync(join(a, 'corpus.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CorpusLine);
    assert.equal(lines.length, entries.reduce((s, e) => s + e.pages, 0));
    for (const line of lines) { checkLine(line); assert.equal(line.source, 'synth-pdf'); }
    const stats = statsOf(entries, lines);
    assert.equal(stats.invoices, 6);
    assert.ok(stats.coverage.pdf! >= 0.99);
    assert.ok((stats.entities.MONEY ?? 0) > 0 && (stats.entities.DATE ?? 0) > 0 && (stats.entities.ORG ?? 0) > 0);
  });

  it('makes a labelled scan whose OCR words carry the fields', async () => {
    const e = await buildEntry(21, 'synth-21-0000', { label: true, scan: true, layouts: ['till-receipt'] }, stage);
    const scan = e.files.find((f) => f.name.endsWith('.scan.jpg'))!;
    assert.ok(scan.bytes instanceof Uint8Array && scan.bytes[0] === 0xff && scan.bytes[1] === 0xd8, 'not a JPEG');
    const line = e.lines.find((l) => l.source === 'synth-scan')!;
    checkLine(line);
    const cov = e.manifest.scanCoverage!;
    assert.ok(cov.labelled / cov.present >= 0.6, `scan coverage ${cov.labelled}/${cov.present}`);
    assert.ok(line.tags.some((t) => t === 'B-MONEY'));
  });
});
