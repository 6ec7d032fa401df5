import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { layoutText, type RawPage } from '../src/core/document-text.js';
import type { EntitySpan } from '../src/core/entity-span.js';
import { LedgerlensError } from '../src/core/errors.js';
import { emptyRecord } from '../src/core/invoice-record.js';
import type { Stages } from '../src/pipeline/stage-types.js';

/**
 * Small stage adapters for the queue tests (no model, no OCR engine). A test document is a text
 * file with a PDF header; directives in its text steer the adapters:
 *   FAIL:CORRUPT       ocr throws the permanent CORRUPT_DOCUMENT
 *   FAIL:TRANSIENT:n   ocr throws the transient OCR_FAILED on its first n attempts (per process)
 *   SLOW:ms            ocr takes that long (to kill or stop a worker mid-job)
 *   CRASH:abort        ocr aborts its process (SIGABRT, as V8 does when out of memory)
 *   CRASH:exit         ocr exits its process with status 3
 *   ALLOC:mb           ocr keeps allocating JS heap up to that many MB (to hit --max-old-space-size)
 * A real PDF (any header but the test documents' `%PDF-1.4` line, e.g. the poison PDFs' `%PDF-1.7`)
 * goes to the real ocr stage, so the reliability suite can send hostile files through workers.
 * Also loadable by path (LEDGERLENS_STAGES_MODULE / --stages) in spawned worker processes.
 */
export function testDocument(lines: string[]): Buffer {
  return Buffer.from(`%PDF-1.4\n${lines.join('\n')}\n`, 'latin1');
}

// Worker processes of the reliability suite load the real stages up front (as a real deployment
// does), so the OCR time limit measures the job, not the first module load.
if (process.env.LEDGERLENS_FIXTURE_REAL_STAGES === '1') await import('../src/pipeline/stages.js');

export function createStages(): Stages {
  const failures = new Map<string, number>();
  return {
    async ocr(bytes, input, ctx) {
      const content = Buffer.from(bytes).toString('latin1');
      if (!content.startsWith('%PDF-1.4\n')) return (await import('../src/pipeline/stages.js')).ocr(bytes, input, ctx);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (content.includes('FAIL:CORRUPT')) throw new LedgerlensError('CORRUPT_DOCUMENT', 'fixture: the document is corrupt');
      if (content.includes('CRASH:abort')) process.abort();
      if (content.includes('CRASH:exit')) process.exit(3);
      const alloc = /ALLOC:(\d+)/.exec(content);
      if (alloc) {
        const keep: number[][] = [];
        for (let mb = 0; mb < Number(alloc[1]); mb++) keep.push(Array.from({ length: 131_072 }, (_, i) => i + mb));
        if (keep.length < 0) throw new Error('unreachable');
      }
      const slow = /SLOW:(\d+)/.exec(content);
      if (slow) await sleep(Number(slow[1]));
      const transient = /FAIL:TRANSIENT:(\d+)/.exec(content);
      if (transient) {
        const n = failures.get(sha256) ?? 0;
        if (n < Number(transient[1])) {
          failures.set(sha256, n + 1);
          throw new LedgerlensError('OCR_FAILED', `fixture: transient failure ${n + 1}`);
        }
      }
      const lines = content.split('\n').slice(1).filter((l) => l.trim() !== '');
      const page: RawPage = {
        number: 1, width: 595, height: 842, unit: 'pt', method: 'text-layer', rotation: 0,
        words: lines.flatMap((line, li) => line.split(/\s+/).filter(Boolean).map((text, wi) => ({
          text, line: li, confidence: 1, bbox: [40 + wi * 60, 40 + li * 14, 90 + wi * 60, 52 + li * 14] as [number, number, number, number],
        }))),
      };
      const { pages, text } = layoutText([page]);
      return { kind: 'text', text: { source: { file: input.file, sha256, mediaType: 'application/pdf', bytes: bytes.byteLength, pages: 1 }, pages, text } };
    },
    async ner(text) {
      const spans: EntitySpan[] = [];
      for (const [label, re] of [['INVOICE_NO', /INV-\d+/g], ['MONEY', /\b\d+\.\d{2}\b/g]] as const) {
        for (const m of text.text.matchAll(re)) {
          spans.push({ label, text: m[0], start: m.index, end: m.index + m[0].length, score: 0.99, page: 1, bbox: null });
        }
      }
      return spans.sort((a, b) => a.start - b.start);
    },
    async extract(text, spans) {
      const record = emptyRecord(text.source, { name: 'fixture', version: '1' });
      record.invoiceNumber = spans.find((s) => s.label === 'INVOICE_NO')?.text ?? null;
      record.total = spans.filter((s) => s.label === 'MONEY').at(-1)?.text ?? null;
      record.currency = /\bEUR\b/.test(text.text) ? 'EUR' : null;
      return record;
    },
  };
}
