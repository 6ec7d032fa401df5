import { Tokenizer } from '@huggingface/tokenizers';

/** One word's tokens: ids, token strings and [start, end) character offsets relative to the word. */
export interface WordTokens {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
}

/** A word of free text with its character offsets. */
export interface TextWord {
  text: string;
  start: number;
  end: number;
}

const PUNCT = /[\p{P}\p{S}]/u;

/** BERT's notion of punctuation: ASCII non-alphanumeric printables and Unicode P* (S* too, harmless here). */
function isPunct(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCT.test(ch);
}

/**
 * Splits free text into words with offsets the way BertPreTokenizer does: on whitespace, and every
 * punctuation character is a word of its own. "Total: 1,234.50" -> Total | : | 1 | , | 234 | . | 50.
 */
export function splitWords(text: string): TextWord[] {
  const words: TextWord[] = [];
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) words.push({ text: text.slice(start, end), start, end });
    start = -1;
  };
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (/\s/u.test(ch)) {
      flush(i);
    } else if (isPunct(ch)) {
      flush(i);
      words.push({ text: ch, start: i, end: i + ch.length });
    } else if (start < 0) {
      start = i;
    }
    i += ch.length;
  }
  flush(text.length);
  return words;
}

/**
 * Splits free text into whitespace-separated words with offsets: the words DocumentText has (the PDF
 * text layer and OCR split runs on whitespace only), so "Total: 1,234.50" -> Total: | 1,234.50.
 */
export function splitWhitespace(text: string): TextWord[] {
  const words: TextWord[] = [];
  for (const m of text.matchAll(/\S+/gu)) words.push({ text: m[0], start: m.index!, end: m.index! + m[0].length });
  return words;
}

/** How a bundle's training data was cut into words: free text is segmented the same way. */
export type WordSplit = 'whitespace' | 'bert';
export const WORD_SPLITS: readonly WordSplit[] = ['whitespace', 'bert'];

export function segmentText(text: string, split: WordSplit): TextWord[] {
  return split === 'whitespace' ? splitWhitespace(text) : splitWords(text);
}

/**
 * @huggingface/tokenizers returns ids only (no offsets, no word ids), so words are tokenised one at a
 * time (cached per word string) and offsets are recovered by aligning each token's surface form to
 * the word. Special tokens are what the tokenizer's post-processor adds around a single sequence.
 */
export class WordTokenizer {
  readonly tokenizer: Tokenizer;
  readonly specials: { prefix: number[]; suffix: number[] };
  readonly padId: number;
  private readonly unkToken: string | null;
  private readonly subwordPrefix: string;
  private readonly spaceBeforeWord: boolean;
  private readonly cache = new Map<string, WordTokens>();

  constructor(tokenizerJson: Record<string, unknown>, tokenizerConfig: Record<string, unknown> = {}) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    const model = (tokenizerJson.model ?? {}) as Record<string, unknown>;
    this.unkToken = typeof model.unk_token === 'string' ? model.unk_token : null;
    this.subwordPrefix = typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '';
    // Byte-level BPE (GPT-2, RoBERTa) marks word starts with a space: each word is encoded as " word",
    // as the Python tokenizers do for pre-split words (is_split_into_words with add_prefix_space).
    this.spaceBeforeWord = JSON.stringify(tokenizerJson.pre_tokenizer ?? null).includes('"ByteLevel"');
    this.specials = this.discoverSpecials();
    const padding = tokenizerJson.padding as { pad_id?: unknown } | null | undefined;
    this.padId = typeof padding?.pad_id === 'number' ? padding.pad_id
      : this.tokenizer.token_to_id('[PAD]') ?? this.tokenizer.token_to_id('<pad>') ?? 0;
  }

  /** Ids the post-processor puts before and after a single sequence ([CLS] ... [SEP] for BERT). */
  private discoverSpecials(): { prefix: number[]; suffix: number[] } {
    // A probe text that yields at least one token, so the specials' side (before/after) is unambiguous.
    const added = new Set([...this.tokenizer.get_added_tokens_decoder().values()].map((t) => t.content));
    const vocab = [...this.tokenizer.get_vocab(false).keys()].filter((t) => !added.has(t)).slice(0, 200);
    const candidates = ['a', 'e', '1', ...vocab.map((t) => t.replace(/^(##|\u0120|\u2581)/u, ''))];
    let bare: number[] = [];
    let probe = 'a';
    for (const c of candidates) {
      if (!c) continue;
      bare = this.tokenizer.encode(c, { add_special_tokens: false }).ids;
      probe = c;
      if (bare.length > 0) break;
    }
    const full: number[] = this.tokenizer.encode(probe, { add_special_tokens: true }).ids;
    for (let i = 0; bare.length > 0 && i + bare.length <= full.length; i++) {
      if (bare.every((id: number, k: number) => full[i + k] === id)) {
        const prefix = full.slice(0, i);
        const suffix = full.slice(i + bare.length);
        if (prefix.length + suffix.length > 0) return { prefix, suffix };
        break;
      }
    }
    // No post-processor: BERT-style vocabularies still expect [CLS] ... [SEP].
    const cls = this.tokenizer.token_to_id('[CLS]');
    const sep = this.tokenizer.token_to_id('[SEP]');
    if (cls !== undefined && sep !== undefined) return { prefix: [cls], suffix: [sep] };
    return { prefix: [], suffix: [] };
  }

  /** The tokens of one word (no special tokens), with offsets relative to the word. Cached. */
  tokenizeWord(word: string): WordTokens {
    let hit = this.cache.get(word);
    if (hit) return hit;
    const enc = this.tokenizer.encode(this.spaceBeforeWord ? ` ${word}` : word, { add_special_tokens: false });
    hit = { ids: enc.ids, tokens: enc.tokens, offsets: this.align(word, enc.tokens) };
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(word, hit);
    return hit;
  }

  /** The pipeline's convert_tokens_to_string: the tokenizer's decoder over token strings. */
  decode(tokens: string[]): string {
    const decoder = this.tokenizer.decoder;
    return decoder ? decoder.decode(tokens) : tokens.join(' ');
  }

  isUnknown(token: string): boolean {
    return token === this.unkToken;
  }

  /**
   * Character offsets of each token within the word: a token's surface form (subword prefix and
   * byte-level/metaspace markers removed) is searched from the end of the previous token, case- and
   * accent-insensitively; an unknown token covers the gap up to the next matched token.
   */
  private align(word: string, tokens: string[]): [number, number][] {
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const folded = [...word].map((ch) => fold(ch));
    // folded index -> original index, one entry per original UTF-16 position of each code point.
    const flat: string[] = [];
    const origin: number[] = [];
    let pos = 0;
    [...word].forEach((ch, k) => {
      for (const c of folded[k]!) { flat.push(c); origin.push(pos); }
      pos += ch.length;
    });
    const haystack = flat.join('');
    const toOrig = (i: number) => (i >= origin.length ? word.length : origin[i]!);
    const offsets: [number, number][] = [];
    const pending: number[] = [];
    let cursor = 0;
    tokens.forEach((token, t) => {
      if (token === this.unkToken) { pending.push(t); offsets.push([0, 0]); return; }
      let surface = token;
      if (this.subwordPrefix && surface.startsWith(this.subwordPrefix)) surface = surface.slice(this.subwordPrefix.length);
      surface = fold(surface.replace(/^[\u0120\u2581]/u, ''));
      let at = surface ? haystack.indexOf(surface, cursor) : -1;
      if (at < 0) at = cursor;
      const end = Math.min(haystack.length, at + Math.max(surface.length, 0));
      for (const p of pending) offsets[p] = [toOrig(cursor), toOrig(Math.max(at, Math.min(cursor + 1, haystack.length)))];
      pending.length = 0;
      offsets[t] = [toOrig(at), toOrig(end)];
      cursor = end;
    });
    for (const p of pending) offsets[p] = [toOrig(cursor), word.length];
    return offsets;
  }
}
