import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerlensError } from '../../core/errors.js';
import { decide, prepare, type Prepared } from '../decide.js';
import { memoryDoc, withMemory, type MemoryDoc } from '../memory.js';
import { SCORED_FIELDS, type FieldScorer, type ScoredField } from '../scorer/scorer.js';
import { readExamples, reviewedTruth, type ReviewedDocument } from './examples.js';
import { sameValue } from './truth.js';

/**
 * Learned versions in the store: `<store>/learned/v<n>.json` (format ledgerlens.memory/1: the
 * reviewed documents as layout memory, and how they scored when held back) and
 * `<store>/learned/current`, naming the version in use ("v3", or "none"). Versions are never
 * rewritten: learning adds one, rolling back moves the pointer.
 */
export const MEMORY_FORMAT = 'ledgerlens.memory/1';

export interface Validation {
  /** Reviewed documents scored, each with the memory of the other reviewed documents only. */
  documents: number;
  fields: number;
  rightWithout: number;
  rightWith: number;
  perField: Partial<Record<ScoredField, { fields: number; rightWithout: number; rightWith: number }>>;
}

export interface LearnedVersion {
  format: typeof MEMORY_FORMAT;
  version: number;
  createdAt: string;
  /** The scorer whose memory model reads these documents. */
  scorer: string;
  documents: number;
  tenants: string[];
  validation: Validation;
  memory: MemoryDoc[];
}

const dirOf = (store: string) => join(store, 'learned');
const pointerOf = (store: string) => join(dirOf(store), 'current');

function writeAtomic(file: string, data: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.part`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** The versions written so far, oldest first. */
export function learnedVersions(store: string): number[] {
  const dir = dirOf(store);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => /^v(\d+)\.json$/.exec(f)?.[1]).filter((v): v is string => !!v).map(Number).sort((a, b) => a - b);
}

/** The version in use: null when none is (never learned, or rolled back past the first). */
export function currentVersion(store: string): number | null {
  const file = pointerOf(store);
  if (!existsSync(file)) return null;
  const m = /^v(\d+)\s*$/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : null;
}

export function readVersion(store: string, version: number): LearnedVersion {
  const file = join(dirOf(store), `v${version}.json`);
  let v: LearnedVersion;
  try { v = JSON.parse(readFileSync(file, 'utf8')) as LearnedVersion; } catch (err) {
    throw new LedgerlensError('MODEL_INVALID', `${file}: ${(err as Error).message}`, { cause: err });
  }
  if (v.format !== MEMORY_FORMAT || !Array.isArray(v.memory)) throw new LedgerlensError('MODEL_INVALID', `${file}: not a ${MEMORY_FORMAT} file`);
  return v;
}

/** Puts a version in use (or none: null). */
export function setCurrent(store: string, version: number | null): void {
  if (version !== null && !learnedVersions(store).includes(version)) throw new LedgerlensError('NOT_FOUND', `no learned version v${version} in ${dirOf(store)}`);
  writeAtomic(pointerOf(store), `${version === null ? 'none' : `v${version}`}\n`);
}

/** Rolls back to the version before the current one (none before the first). */
export function rollback(store: string): number | null {
  const current = currentVersion(store);
  if (current === null) throw new LedgerlensError('CONFLICT', 'no learned version is in use: nothing to roll back');
  const previous = learnedVersions(store).filter((v) => v < current).at(-1) ?? null;
  setCurrent(store, previous);
  return previous;
}

let cached: { key: string; memory: MemoryDoc[] } | null = null;

/**
 * The layout memory in use in a store, re-read when the pointer changes (a learn or a rollback
 * takes effect with the next document, in every process that reads the store).
 */
export function loadLearnedMemory(store: string): MemoryDoc[] {
  const file = pointerOf(store);
  if (!existsSync(file)) return [];
  const st = statSync(file);
  const key = `${file}:${st.mtimeMs}:${st.size}`;
  if (cached?.key === key) return cached.memory;
  const version = currentVersion(store);
  const memory = version === null ? [] : readVersion(store, version).memory;
  cached = { key, memory };
  return memory;
}

interface Held { doc: ReviewedDocument; memory: MemoryDoc; prep: Prepared; truth: Partial<Record<ScoredField, string | null>> }

/** Each reviewed document scored without memory and with the memory of the others (same tenant). */
export function validate(held: readonly Held[], scorer: FieldScorer): Validation {
  const v: Validation = { documents: held.length, fields: 0, rightWithout: 0, rightWith: 0, perField: {} };
  const pool = held.map((h) => h.memory);
  for (const h of held) {
    const fields = SCORED_FIELDS.filter((f) => f in h.truth);
    const without = decide(h.prep, scorer, fields);
    const mem = withMemory(scorer, h.prep, pool.filter((m) => m.id !== h.memory.id), h.doc.tenant);
    const withM = mem === scorer ? without : decide(h.prep, mem, fields);
    for (const field of fields) {
      const want = h.truth[field] ?? null;
      const a = sameValue(field, without.get(field)?.c?.value ?? null, want) ? 1 : 0;
      const b = sameValue(field, withM.get(field)?.c?.value ?? null, want) ? 1 : 0;
      const pf = v.perField[field] ?? { fields: 0, rightWithout: 0, rightWith: 0 };
      pf.fields++; pf.rightWithout += a; pf.rightWith += b; v.perField[field] = pf;
      v.fields++; v.rightWithout += a; v.rightWith += b;
    }
  }
  return v;
}

export interface LearnResult { version: number | null; accepted: boolean; validation: Validation; documents: number; skipped: string[]; reason: string }

/**
 * `ledgerlens learn`: the reviewed documents of `<store>/examples` become a new learned version
 * when, held back one at a time, they come out at least as right with the others' memory as
 * without (or `force`). The new version is put in use at once; the old one stays for rollback.
 */
export function learn(store: string, scorer: FieldScorer, options: { force?: boolean; log?: (s: string) => void } = {}): LearnResult {
  const log = options.log ?? (() => {});
  if (!scorer.memory) throw new LedgerlensError('MODEL_INVALID', `the model bundle's scorer (${scorer.name}) has no memory model: refit it with \`npm run fit-scorer\``);
  const { documents, skipped } = readExamples(join(store, 'examples'));
  const held: Held[] = [];
  for (const [i, doc] of documents.entries()) {
    const text = doc.files.at(-1)!.text;
    const { truth, near } = reviewedTruth(doc);
    if (!text || Object.keys(truth).length === 0) continue;
    const prep = prepare(text, null);
    held.push({ doc, prep, truth, memory: memoryDoc(doc.id, doc.tenant, prep, truth, near) });
    if ((i + 1) % 25 === 0) log(`read ${i + 1}/${documents.length} reviewed documents`);
  }
  if (held.length === 0) throw new LedgerlensError('INVALID_INPUT', `no reviewed documents with text in ${join(store, 'examples')}: correct or confirm documents on the review page first`);
  const validation = validate(held, scorer);
  const accepted = validation.rightWith >= validation.rightWithout;
  const reason = `held back one at a time, ${validation.rightWith}/${validation.fields} fields right with the others' memory, ${validation.rightWithout}/${validation.fields} without`;
  if (!accepted && !options.force) return { version: null, accepted, validation, documents: held.length, skipped, reason };
  const version = (learnedVersions(store).at(-1) ?? 0) + 1;
  const file: LearnedVersion = {
    format: MEMORY_FORMAT, version, createdAt: new Date().toISOString(), scorer: scorer.name, documents: held.length,
    tenants: [...new Set(held.map((h) => h.doc.tenant))].sort(), validation, memory: held.map((h) => h.memory),
  };
  writeAtomic(join(dirOf(store), `v${version}.json`), JSON.stringify(file));
  setCurrent(store, version);
  return { version, accepted, validation, documents: held.length, skipped, reason };
}
