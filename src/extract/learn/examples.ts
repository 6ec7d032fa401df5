import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BBox, DocumentText } from '../../core/document-text.js';
import { getField, type InvoiceRecord } from '../../core/invoice-record.js';
import { SCORED_FIELDS, type ScoredField } from '../scorer/scorer.js';

/** `ledgerlens.example/1`, as src/service/training-examples.ts writes it (one file per record version). */
export interface ExampleFile {
  format: 'ledgerlens.example/1';
  documentId: string;
  tenant: string;
  version: number;
  kind: 'correction' | 'confirmation' | 'einvoice';
  labels: Array<{ path: string; value: string | null; source: 'words' | 'typed' | 'confirmed' | 'xml'; words: Array<{ page: number; bbox: BBox }> }>;
  text: DocumentText | null;
  record: InvoiceRecord;
}

/** A reviewed document: its example files, oldest version first. */
export interface ReviewedDocument { id: string; tenant: string; files: ExampleFile[] }

/**
 * Every reviewed document under `<store>/examples/<id>/v<n>.json`. A file that is not a readable
 * example is reported in `skipped` and left out; it never stops the others from being read.
 */
export function readExamples(examplesDir: string): { documents: ReviewedDocument[]; skipped: string[] } {
  const documents: ReviewedDocument[] = []; const skipped: string[] = [];
  if (!existsSync(examplesDir)) return { documents, skipped };
  for (const id of readdirSync(examplesDir).sort()) {
    const dir = join(examplesDir, id);
    let names: string[];
    try { names = readdirSync(dir).filter((f) => /^v\d+\.json$/.test(f)); } catch { continue; }
    const files: ExampleFile[] = [];
    for (const name of names) {
      try {
        const f = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ExampleFile;
        if (f.format !== 'ledgerlens.example/1' || !Array.isArray(f.labels) || !f.record) throw new Error('not a ledgerlens.example/1 file');
        files.push(f);
      } catch (err) {
        skipped.push(`${join(id, name)}: ${(err as Error).message}`);
      }
    }
    if (files.length) documents.push({ id, tenant: files[0]!.tenant ?? 'default', files: files.sort((a, b) => a.version - b.version) });
  }
  return { documents, skipped };
}

/**
 * What a reviewed document says of the scored fields: the newest reviewed value of every field a
 * correction touched; after a confirmation, every scored field of the confirmed record (a field the
 * reviewer left empty is labelled "not printed"). The boxes are the words the reviewer pointed at.
 */
export function reviewedTruth(doc: ReviewedDocument): { truth: Partial<Record<ScoredField, string | null>>; near: Partial<Record<ScoredField, Array<{ page: number; bbox: BBox }>>> } {
  const truth: Partial<Record<ScoredField, string | null>> = {};
  const near: Partial<Record<ScoredField, Array<{ page: number; bbox: BBox }>>> = {};
  const scored = new Set<string>(SCORED_FIELDS);
  for (const f of doc.files) {
    if (f.kind === 'confirmation' || f.labels.some((l) => l.source === 'confirmed')) {
      for (const field of SCORED_FIELDS) truth[field] = getField(f.record as never, field) ?? null;
    }
    for (const l of f.labels) {
      if (!scored.has(l.path)) continue;
      const field = l.path as ScoredField;
      truth[field] = getField(f.record as never, field) ?? null;
      if (l.words.length) near[field] = l.words.map((w) => ({ page: w.page, bbox: w.bbox }));
    }
  }
  return { truth, near };
}
