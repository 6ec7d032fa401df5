/**
 * The record-v2 benchmark (issue 12), one command for every figure:
 *  - xml:   UBL and CII output of every einvoices/dev record (fast path) and of N synthetic records
 *           validated against the official XSDs (xmllint), each also read back by the project's reader.
 * Usage: nice -n 10 node --import tsx bench/record.bench.ts [--synth 200] [--only xml]
 * Data: einvoices/dev under LEDGERLENS_DATA_DIR or ../shared/data. Synthetic invoices are generated
 * from seeds 900000.. (held out: never used while writing the finders; development used 800000..).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LedgerlensError } from '../src/core/errors.js';
import type { InvoiceRecord } from '../src/core/invoice-record.js';
import { writeCii } from '../src/einvoice/cii-write.js';
import { findEmbeddedInvoiceXml, parseInvoiceXml } from '../src/einvoice/einvoice.js';
import { writeUbl } from '../src/einvoice/ubl-write.js';
import type { EinvoiceOutput } from '../src/einvoice/write-common.js';
import { hasXmllint, schemaFor, validateXml } from '../src/einvoice/xsd-validate.js';
import { generateInvoice } from '../src/synth/generate.js';
import { sharedDataDir } from './data-dir.js';

const { values } = parseArgs({ options: { synth: { type: 'string', default: '200' }, only: { type: 'string' } } });
const only = new Set((values.only ?? 'xml').split(','));
const synthCount = Number(values.synth);
export const HELD_OUT_SEED = 900000;
const dataDir = sharedDataDir();
const devDir = dataDir ? join(dataDir, 'einvoices', 'dev') : null;
const xmlSource = { file: null, sha256: '0'.repeat(64), mediaType: 'application/xml' as const, bytes: 0, pages: 0 };

async function devRecords(): Promise<{ name: string; record: InvoiceRecord }[]> {
  if (!devDir) return [];
  const out: { name: string; record: InvoiceRecord }[] = [];
  for (const name of readdirSync(devDir).filter((n) => n.endsWith('.pdf')).sort()) {
    const found = await findEmbeddedInvoiceXml(new Uint8Array(readFileSync(join(devDir, name))));
    if (found) out.push({ name, record: parseInvoiceXml(found.xml, xmlSource) });
  }
  return out;
}

interface XmlTally { valid: number; invalid: number; incomplete: number; readBack: number; profiles: Map<string, number>; notes: string[] }

async function validateAll(records: { name: string; record: InvoiceRecord }[]): Promise<XmlTally> {
  const t: XmlTally = { valid: 0, invalid: 0, incomplete: 0, readBack: 0, profiles: new Map(), notes: [] };
  for (const { name, record } of records) {
    for (const write of [writeUbl, writeCii] as const) {
      let out: EinvoiceOutput;
      try {
        out = write(record);
      } catch (err) {
        if (!(err instanceof LedgerlensError) || err.code !== 'INCOMPLETE_RECORD') throw err;
        t.incomplete++;
        t.notes.push(`${name}: ${err.message}`);
        continue;
      }
      const key = schemaFor(out);
      t.profiles.set(key, (t.profiles.get(key) ?? 0) + 1);
      const v = await validateXml(out.xml, schemaFor(out));
      if (v.valid) t.valid++;
      else { t.invalid++; t.notes.push(`${name} ${out.syntax}: INVALID ${v.errors[0]}`); }
      if (parseInvoiceXml(out.xml, xmlSource).total === record.total) t.readBack++;
    }
  }
  return t;
}

function printXml(label: string, n: number, t: XmlTally): void {
  console.log(`${label}: ${n} records, ${2 * n} outputs: ${t.valid} XSD-valid, ${t.invalid} invalid, ${t.incomplete} refused (INCOMPLETE_RECORD); total read back by the reader in ${t.readBack}/${t.valid + t.invalid}`);
  console.log(`  by syntax and profile: ${[...t.profiles].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const note of t.notes) console.log(`  ${note}`);
}

if (only.has('xml')) {
  if (!hasXmllint()) {
    console.error('xmllint (libxml2-utils) is not installed: no XSD validation');
    process.exit(2);
  }
  const started = process.cpuUsage();
  const dev = await devRecords();
  if (dev.length) printXml('einvoices/dev (fast-path records)', dev.length, await validateAll(dev));
  else console.log('einvoices/dev: not found (set LEDGERLENS_DATA_DIR)');
  const synth: { name: string; record: InvoiceRecord }[] = [];
  for (let i = 0; i < synthCount; i++) {
    const g = await generateInvoice(HELD_OUT_SEED + i);
    synth.push({ name: g.name, record: g.record });
  }
  printXml(`synthetic truth records (seeds ${HELD_OUT_SEED}..${HELD_OUT_SEED + synthCount - 1})`, synth.length, await validateAll(synth));
  const cpu = process.cpuUsage(started);
  console.log(`  CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (xmllint runs in child processes)`);
}
