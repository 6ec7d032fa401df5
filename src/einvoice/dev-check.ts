import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getField, InvoiceRecordSchema, LINE_ITEM_COLUMNS, TAX_BREAKDOWN_COLUMNS, type InvoiceRecord, type RecordField,
} from '../core/invoice-record.js';
import { validBic, validIban } from '../core/record-ids.js';
import { documentTypeOfCode } from './code-lists.js';
import { findEmbeddedInvoiceXml, parseInvoiceXml } from './einvoice.js';

/**
 * Compares the fast path with two references over a folder of e-invoice PDFs (NAME.pdf beside
 * NAME.expected.json, as in ../shared/data/einvoices/dev):
 * - the core fields: every key of NAME.expected.json except "printed", nested party keys by their
 *   dotted path;
 * - the version-2 fields (document type, purchase order, customer tax id, payment account and
 *   reference, payment-terms text, discount, shipping, prepaid, amount due, tax breakdown, every
 *   line-item column): an independent reading of the same XML by bench/einvoice_reference.py
 *   (Python ElementTree), when a python3 is available.
 * The whole record must also pass the InvoiceRecord schema.
 */

export interface FieldMismatch { field: string; expected: string | null; actual: string | null }
export interface FileCheck {
  file: string;
  compared: number;
  mismatches: FieldMismatch[];
  /** Version-2 fields compared with the independent reading (0 when it did not run). */
  comparedV2: number;
  mismatchesV2: FieldMismatch[];
  error: string | null;
}

function expectedFields(expected: Record<string, unknown>): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'printed') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) out.push([`${key}.${sub}`, v === null ? null : String(v)]);
    } else out.push([key, value === null ? null : String(value)]);
  }
  return out;
}

/** What bench/einvoice_reference.py reports for one XML file. */
export type ReferenceReading = Record<string, unknown> & {
  typeCode: string | null;
  taxBreakdown: Record<string, string | null>[];
  lineItems: Record<string, string | null>[];
};

const V2_SCALARS: RecordField[] = [
  'purchaseOrder', 'customer.taxId', 'payment.reference',
  'paymentTerms.text', 'discount', 'shipping', 'prepaid', 'amountDue',
];

/** Version-2 field values of a record against the reference reading, as (field, expected, actual) rows. */
export function compareV2(record: InvoiceRecord, ref: ReferenceReading): { compared: number; mismatches: FieldMismatch[] } {
  const rows: FieldMismatch[] = [{ field: 'documentType', expected: documentTypeOfCode(ref.typeCode) ?? 'invoice', actual: record.documentType }];
  for (const f of V2_SCALARS) rows.push({ field: f, expected: (ref[f] as string | null) ?? null, actual: getField(record, f) });
  // The payee account: the first stated IBAN that ibantools accepts (else the first account naming a BIC or holder).
  const accounts = (ref['accounts'] as { iban: string | null; bic: string | null; holder: string | null }[] | undefined) ?? [];
  const valid = accounts.map((a) => ({ ...a, iban: validIban(a.iban) })).find((a) => a.iban !== null);
  const account = valid ?? accounts.map((a) => ({ ...a, iban: null })).find((a) => a.bic !== null || a.holder !== null);
  rows.push(
    { field: 'payment.iban', expected: account?.iban ?? null, actual: record.payment.iban },
    { field: 'payment.bic', expected: validBic(account?.bic ?? null), actual: record.payment.bic },
    { field: 'payment.accountHolder', expected: account?.holder ?? null, actual: record.payment.accountHolder },
  );
  const table = <T extends string>(name: string, want: Record<string, string | null>[], got: Record<T, string | null>[], columns: readonly T[]) => {
    rows.push({ field: `${name}.length`, expected: String(want.length), actual: String(got.length) });
    want.forEach((w, i) => {
      for (const c of columns) rows.push({ field: `${name}.${i}.${c}`, expected: w[c] ?? null, actual: got[i]?.[c] ?? null });
    });
  };
  table('taxBreakdown', ref.taxBreakdown, record.taxBreakdown, TAX_BREAKDOWN_COLUMNS);
  table('lineItems', ref.lineItems, record.lineItems, LINE_ITEM_COLUMNS);
  return { compared: rows.length, mismatches: rows.filter((r) => r.expected !== r.actual) };
}

/** The Python interpreter for the reference reading: Debian's, else the one on PATH; null when none runs. */
function python(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(p, ['-c', 'import xml.etree.ElementTree'], { stdio: 'ignore' });
      return p;
    } catch { /* try the next */ }
  }
  return null;
}

/** bench/einvoice_reference.py, from the sources (src/einvoice) or the build (dist/src/einvoice). */
const REFERENCE_SCRIPT = [join(import.meta.dirname, '..', '..', 'bench', 'einvoice_reference.py'), join(import.meta.dirname, '..', '..', '..', 'bench', 'einvoice_reference.py')]
  .find((p) => existsSync(p)) ?? 'bench/einvoice_reference.py';

/** Runs the independent reading over XML documents (name -> bytes); null when no Python is available. */
export function referenceReadings(xmls: Map<string, Uint8Array>): Map<string, ReferenceReading> | null {
  const py = python();
  if (py === null || xmls.size === 0 || !existsSync(REFERENCE_SCRIPT)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-einvoice-ref-'));
  try {
    const files = [...xmls].map(([name, bytes]) => {
      const file = join(dir, `${name}.xml`);
      writeFileSync(file, bytes);
      return file;
    });
    const out = JSON.parse(execFileSync(py, [REFERENCE_SCRIPT, ...files], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8')) as Record<string, ReferenceReading>;
    return new Map([...xmls.keys()].map((name) => [name, out[`${name}.xml`]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Loaded { file: string; expected: [string, string | null][]; record: InvoiceRecord | null; xml: Uint8Array | null; error: string | null }

async function load(pdfPath: string, expectedPath: string): Promise<Loaded> {
  const file = pdfPath.split('/').pop()!;
  const expected = expectedFields(JSON.parse(await readFile(expectedPath, 'utf8')) as Record<string, unknown>);
  const bytes = new Uint8Array(await readFile(pdfPath));
  const source = {
    file, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType: 'application/pdf' as const, bytes: bytes.byteLength, pages: 0,
  };
  try {
    const embedded = await findEmbeddedInvoiceXml(bytes);
    if (!embedded) return { file, expected, record: null, xml: null, error: 'no embedded invoice XML found' };
    const record = parseInvoiceXml(embedded.xml, source);
    const valid = InvoiceRecordSchema.safeParse(record);
    if (!valid.success) return { file, expected, record: null, xml: null, error: `record fails the schema: ${valid.error.message}` };
    return { file, expected, record, xml: embedded.xml, error: null };
  } catch (err) {
    return { file, expected, record: null, xml: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

export async function checkEinvoiceDir(dir: string): Promise<FileCheck[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.pdf')).sort();
  const loaded: Loaded[] = [];
  for (const name of names) loaded.push(await load(join(dir, name), join(dir, name.replace(/\.pdf$/, '.expected.json'))));
  const refs = referenceReadings(new Map(loaded.filter((l) => l.xml).map((l) => [l.file, l.xml!])));
  return loaded.map((l) => {
    if (l.error || !l.record) return { file: l.file, compared: l.expected.length, mismatches: [], comparedV2: 0, mismatchesV2: [], error: l.error };
    const record = l.record;
    const mismatches = l.expected
      .map(([field, want]) => ({ field, expected: want, actual: getField(record, field as RecordField) }))
      .filter((m) => m.expected !== m.actual);
    const ref = refs?.get(l.file);
    const v2 = ref ? compareV2(record, ref) : { compared: 0, mismatches: [] };
    return { file: l.file, compared: l.expected.length, mismatches, comparedV2: v2.compared, mismatchesV2: v2.mismatches, error: null };
  });
}

/**
 * The shared data folder: LEDGERLENS_DATA_DIR, else ../shared/data beside the repository root
 * (one level further up too, for checkouts in a worktree folder). Null when absent.
 */
export function locateDataDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env['LEDGERLENS_DATA_DIR'] ? [env['LEDGERLENS_DATA_DIR']] : [join(repoRoot, '..', 'shared', 'data'), join(repoRoot, '..', '..', 'shared', 'data')];
  return candidates.find((c) => existsSync(c)) ?? null;
}
