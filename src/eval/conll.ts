import { readFileSync } from 'node:fs';
import { LedgerlensError } from '../core/errors.js';

/** One CoNLL sentence: words and their gold tags (and, from corpus JSONL, 0-1000 word boxes). */
export interface ConllSentence {
  words: string[];
  tags: string[];
  boxes?: [number, number, number, number][];
  /** CoNLL: the document (count of -DOCSTART- lines before it, from 0); sentences without one share 0. */
  doc?: number;
}

/**
 * Parses CoNLL columns: whitespace-separated, the word first and the tag last (middle columns such
 * as POS and chunk tags are ignored), or the tag from column `column` (1-based: 2 is CoNLL-2003's
 * POS). Blank lines end sentences; -DOCSTART- lines are skipped and end a sentence too. A line with a
 * single column, or without the asked column, is malformed (INVALID_INPUT, with its line number).
 */
export function parseConll(text: string, options: { column?: number } = {}): ConllSentence[] {
  const sentences: ConllSentence[] = [];
  let doc = 0;
  let seenDoc = false;
  let cur: ConllSentence = { words: [], tags: [] };
  const flush = () => {
    if (cur.words.length > 0) sentences.push({ ...cur, doc });
    cur = { words: [], tags: [] };
  };
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return flush();
    const cols = trimmed.split(/\s+/);
    if (cols[0] === '-DOCSTART-') {
      flush();
      if (seenDoc) doc++;
      seenDoc = true;
      return;
    }
    if (cols.length < 2) throw new LedgerlensError('INVALID_INPUT', `CoNLL line ${i + 1}: expected "word ... tag", got "${trimmed}"`);
    const at = options.column === undefined ? cols.length - 1 : options.column - 1;
    if (at < 1 || at >= cols.length) throw new LedgerlensError('INVALID_INPUT', `CoNLL line ${i + 1}: no column ${options.column} in "${trimmed}"`);
    cur.words.push(cols[0]!);
    cur.tags.push(cols[at]!);
  });
  flush();
  return sentences;
}

export function readConll(file: string, options: { column?: number } = {}): ConllSentence[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LedgerlensError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`);
  }
  return parseConll(text, options);
}

/**
 * The training corpus format (JSON Lines: `{"words": [...], "tags": [...], "boxes": [[x0,y0,x1,y1]...]}`,
 * boxes 0-1000 of the page, optional): one record per sentence or page, boxes kept so layout models
 * are scored with the layout the service gives them. All-zero boxes count as absent.
 */
export function parseCorpusJsonl(text: string): ConllSentence[] {
  return text.split(/\r?\n/).map((line, i) => ({ line, i })).filter(({ line }) => line.trim() !== '').map(({ line, i }) => {
    let rec: { words?: unknown; tags?: unknown; boxes?: unknown };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch (err) {
      throw new LedgerlensError('INVALID_INPUT', `corpus line ${i + 1} is not JSON: ${(err as Error).message}`);
    }
    const { words, tags, boxes } = rec;
    if (!Array.isArray(words) || !Array.isArray(tags) || words.length !== tags.length
      || !words.every((w) => typeof w === 'string') || !tags.every((t) => typeof t === 'string')) {
      throw new LedgerlensError('INVALID_INPUT', `corpus line ${i + 1}: needs "words" and "tags", string arrays of one length`);
    }
    const sentence: ConllSentence = { words: words as string[], tags: tags as string[] };
    if (Array.isArray(boxes) && boxes.length > 0) {
      const ok = boxes.length === words.length && boxes.every((b) => Array.isArray(b) && b.length === 4 && b.every((v) => Number.isFinite(v)));
      if (!ok) throw new LedgerlensError('INVALID_INPUT', `corpus line ${i + 1}: "boxes" must hold one [x0, y0, x1, y1] per word`);
      const clamp = (v: number) => Math.max(0, Math.min(1000, Math.round(v)));
      const bs = (boxes as number[][]).map((b) => b.map(clamp) as [number, number, number, number]);
      if (bs.some((b) => b.some((v) => v !== 0))) sentence.boxes = bs;
    }
    return sentence;
  });
}

/** A CoNLL file, or corpus JSON Lines when the name ends in .jsonl. */
export function readLabelledFile(file: string, options: { column?: number } = {}): ConllSentence[] {
  if (!file.endsWith('.jsonl')) return readConll(file, options);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LedgerlensError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`);
  }
  return parseCorpusJsonl(text);
}
