import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getField, InvoiceRecordSchema, type CoreField, type InvoiceRecord } from '../core/invoice-record.js';
import { readEmbeddedInvoice } from './einvoice.js';

/**
 * Compares the fast path with the reference records of a folder of e-invoice PDFs
 * (NAME.pdf beside NAME.expected.json, as in ../shared/data/einvoices/dev): every key of the
 * expected record except "printed" is compared, nested party keys by their dotted path, and the
 * whole record must pass the InvoiceRecord schema.
 */

export interface FieldMismatch { field: string; expected: string | null; actual: string | null }
export interface FileCheck { file: string; compared: number; mismatches: FieldMismatch[]; error: string | null }

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

export async function checkFile(pdfPath: string, expectedPath: string): Promise<FileCheck> {
  const file = pdfPath.split('/').pop()!;
  const expected = JSON.parse(await readFile(expectedPath, 'utf8')) as Record<string, unknown>;
  const bytes = new Uint8Array(await readFile(pdfPath));
  const source = {
    file, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType: 'application/pdf' as const, bytes: bytes.byteLength, pages: 0,
  };
  const fields = expectedFields(expected);
  let record: InvoiceRecord | null;
  try {
    record = await readEmbeddedInvoice(bytes, 'application/pdf', source);
  } catch (err) {
    return { file, compared: fields.length, mismatches: [], error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  if (!record) return { file, compared: fields.length, mismatches: [], error: 'no embedded invoice XML found' };
  const valid = InvoiceRecordSchema.safeParse(record);
  if (!valid.success) return { file, compared: fields.length, mismatches: [], error: `record fails the schema: ${valid.error.message}` };
  const mismatches = fields
    .map(([field, want]) => ({ field, expected: want, actual: getField(record, field as CoreField) }))
    .filter((m) => m.expected !== m.actual);
  return { file, compared: fields.length, mismatches, error: null };
}

export async function checkEinvoiceDir(dir: string): Promise<FileCheck[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.pdf')).sort();
  const out: FileCheck[] = [];
  for (const name of names) out.push(await checkFile(join(dir, name), join(dir, name.replace(/\.pdf$/, '.expected.json'))));
  return out;
}

/**
 * The shared data folder: LEDGERLENS_DATA_DIR, else ../shared/data beside the repository root
 * (one level further up too, for checkouts in a worktree folder). Null when absent.
 */
export function locateDataDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env['LEDGERLENS_DATA_DIR'] ? [env['LEDGERLENS_DATA_DIR']] : [join(repoRoot, '..', 'shared', 'data'), join(repoRoot, '..', '..', 'shared', 'data')];
  return candidates.find((c) => existsSync(c)) ?? null;
}
