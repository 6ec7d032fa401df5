import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { InvoiceRecordSchema } from '../src/core/invoice-record.js';
import { closeOcrPool } from '../src/document/ocr-pool.js';
import { processDocument } from '../src/pipeline/process-document.js';
import { modelIdentity, RULES_ONLY_MODEL } from '../src/pipeline/stages.js';
import { GERMAN_INVOICE, makePdf } from './pipeline-fixtures.js';

const noModel = loadConfig({ env: {}, overrides: { model: { dir: '/nonexistent/ledgerlens-model' } } });

after(() => closeOcrPool());

describe('processDocument: generated PDF, text layer, no model installed', async () => {
  const bytes = await makePdf([GERMAN_INVOICE]);
  const record = await processDocument(bytes, { file: 'rechnung.pdf', config: noModel });

  it('returns a valid record with its source', () => {
    assert.doesNotThrow(() => InvoiceRecordSchema.parse(record));
    assert.equal(record.source.file, 'rechnung.pdf');
    assert.equal(record.source.mediaType, 'application/pdf');
    assert.equal(record.source.pages, 1);
    assert.match(record.source.sha256, /^[0-9a-f]{64}$/);
  });
  it('extracts the fields by rules alone and says so', () => {
    assert.equal(record.vendor.name, 'Musterbau GmbH');
    assert.equal(record.customer.name, 'Kunden AG');
    assert.equal(record.invoiceNumber, 'RE-2024-0815');
    assert.equal(record.invoiceDate, '2024-03-05');
    assert.equal(record.dueDate, '2024-03-19');
    assert.deepEqual([record.subtotal, record.tax, record.total, record.currency], ['248.00', '47.12', '295.12', 'EUR']);
    assert.equal(record.vendor.taxId, 'DE136695976');
    assert.deepEqual(record.model, RULES_ONLY_MODEL);
    assert.ok(record.warnings.some((w) => w.code === 'NO_MODEL'));
  });
  it('points fields back to the page', () => {
    const info = record.fields.total!;
    assert.equal(info.provenance?.page, 1);
    assert.match(info.provenance!.text, /295,12/);
    const [x0, y0] = info.provenance!.bbox!;
    assert.ok(x0 >= 455 && x0 < 470, `x0 ${x0}`);
    assert.ok(y0 > 320 && y0 < 345, `y0 ${y0}`);
  });
  it('is deterministic', async () => {
    assert.deepEqual(await processDocument(bytes, { file: 'rechnung.pdf', config: noModel }), record);
  });
});

describe('processDocument: errors', () => {
  it('rejects bytes that are no document with a stable code', async () => {
    await assert.rejects(processDocument(new TextEncoder().encode('hello, world'), { file: 'x.txt', config: noModel }),
      (err: { code?: string }) => err.code === 'UNSUPPORTED_MEDIA_TYPE');
  });
  it('rejects an empty file', async () => {
    await assert.rejects(processDocument(new Uint8Array(), { file: 'empty.pdf', config: noModel }),
      (err: { code?: string }) => err.code === 'EMPTY_DOCUMENT');
  });
});

describe('processDocument: with a model bundle', async () => {
  const tiny = resolve(import.meta.dirname, 'fixtures/tiny-model/plain');
  const withModel = loadConfig({ env: {}, overrides: { model: { dir: tiny } } });
  it('runs the ner stage and names the bundle in the record', async () => {
    const record = await processDocument(await makePdf([GERMAN_INVOICE]), { file: 'rechnung.pdf', config: withModel });
    assert.deepEqual(record.model, modelIdentity(withModel));
    assert.notEqual(record.model.name, RULES_ONLY_MODEL.name);
    assert.ok(!record.warnings.some((w) => w.code === 'NO_MODEL'));
    // rules still find the fields whatever the (untrained) model says
    assert.equal(record.total, '295.12');
    assert.equal(record.invoiceNumber, 'RE-2024-0815');
  });
});

describe('modelIdentity', () => {
  it('names the rules when no bundle is installed', () => {
    assert.deepEqual(modelIdentity(noModel), RULES_ONLY_MODEL);
  });
});
