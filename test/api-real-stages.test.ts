import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import type { Stages } from '../src/pipeline/stage-types.js';
import { buildApi } from '../src/service/api/app.js';
import { DEFAULT_STAGES_MODULE, loadStages } from '../src/service/stages-loader.js';
import { API_KEY, multipartBody, redisAvailable, SKIP_MESSAGE, startHarness, waitFor, type Harness } from './service-harness.js';

/** Upload -> record through the real pipeline stages (src/pipeline/stages.ts) with a generated PDF. */
const skip = !(await redisAvailable()) ? SKIP_MESSAGE
  : !existsSync(DEFAULT_STAGES_MODULE) ? `no pipeline stages at ${DEFAULT_STAGES_MODULE} yet` : false;
const auth = { authorization: `Bearer ${API_KEY}` };

async function invoicePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines = [
    'Northwind Supplies Ltd', '12 Harbour Road, Bristol BS1 4DJ', 'VAT No: GB123456789', '',
    'INVOICE', 'Invoice No: INV-2024-0042', 'Invoice Date: 2024-03-15', 'Due Date: 2024-04-14', '',
    'Bill to: Contoso Trading GmbH', 'Hauptstrasse 5, 10115 Berlin', '',
    'Description            Qty   Unit price   Amount', 'Office chairs            2       150.00    300.00', '',
    'Subtotal: 300.00 GBP', 'VAT 20%: 60.00 GBP', 'Total: 360.00 GBP',
  ];
  lines.forEach((text, i) => { if (text) page.drawText(text, { x: 50, y: 790 - i * 18, size: 11, font }); });
  return Buffer.from(await pdf.save());
}

describe('full flow through the real stages', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  let stages: Stages;
  before(async () => {
    // The stages read their settings per call (ctx.config); loading them needs only the defaults.
    stages = await loadStages(loadConfig({ env: {} }), DEFAULT_STAGES_MODULE);
    h = await startHarness(stages);
    app = await buildApi(h.ctx);
  });
  after(async () => { await app?.close(); await h?.close(); });

  test('a generated PDF uploaded over the API becomes the same record the in-process stages produce', async () => {
    const pdf = await invoicePdf();
    const { payload, headers } = multipartBody(pdf, 'northwind.pdf');
    const res = await app.inject({ method: 'POST', url: '/v1/documents', payload, headers: { ...headers, ...auth } });
    assert.equal(res.statusCode, 202, res.body);
    const { id } = res.json() as { id: string };
    const doc = await waitFor('the record', async () => {
      const d = await h.ctx.state.get(id);
      return d && (d.status === 'completed' || d.status === 'failed') ? d : null;
    }, 60_000);
    assert.equal(doc.status, 'completed', `${doc.errorCode}: ${doc.errorMessage}`);
    const recordRes = await app.inject({ method: 'GET', url: `/v1/documents/${id}/record`, headers: auth });
    assert.equal(recordRes.statusCode, 200);
    const record = InvoiceRecordSchema.parse(recordRes.json());
    assert.equal(record.source.sha256, id);
    assert.equal(record.source.mediaType, 'application/pdf');
    assert.equal(record.source.file, 'northwind.pdf');
    assert.equal(record.total, '360.00');
    assert.equal(record.invoiceNumber, 'INV-2024-0042');
    // Both paths produce identical records.
    const ctx = { config: h.config };
    const text = await stages.ocr(new Uint8Array(pdf), { file: 'northwind.pdf' }, ctx);
    assert.equal(text.kind, 'text');
    const direct = text.kind === 'text' ? await stages.extract(text.text, await stages.ner(text.text, ctx), ctx) : null;
    assert.deepEqual(record, JSON.parse(JSON.stringify(direct)));
  });
});
