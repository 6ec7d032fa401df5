import { readFileSync } from 'node:fs';
import { LedgerlensError } from '../core/errors.js';

/** One CoNLL sentence: words and their gold tags. */
export interface ConllSentence { words: string[]; tags: string[] }

/**
 * Parses CoNLL columns: whitespace-separated, the word first and the tag last (middle columns such
 * as POS and chunk tags are ignored), or the tag from column `column` (1-based: 2 is CoNLL-2003's
 * POS). Blank lines end sentences; -DOCSTART- lines are skipped and end a sentence too. A line with a
 * single column, or without the asked column, is malformed (INVALID_INPUT, with its line number).
 */
export function parseConll(text: string, options: { column?: number } = {}): ConllSentence[] {
  const sentences: ConllSentence[] = [];
  let cur: ConllSentence = { words: [], tags: [] };
  const flush = () => {
    if (cur.words.length > 0) sentences.push(cur);
    cur = { words: [], tags: [] };
  };
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return flush();
    const cols = trimmed.split(/\s+/);
    if (cols[0] === '-DOCSTART-') return flush();
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
