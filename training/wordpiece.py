"""Cased WordPiece: a trainer in pure Python, an encoder, and the Hugging Face tokenizer.json format.

The encoder reproduces what @huggingface/tokenizers does with the tokenizer.json written here:
BertNormalizer (clean_text, CJK spacing, no lowercase, no accent stripping) -> BertPreTokenizer
(split on whitespace, isolate each punctuation char), or WhitespaceSplit (split on whitespace only,
so every piece inside a word after the first is a ## continuation: "1,234.50" -> 1 ##,234 ##.50, and
the piece sequence tells where words start) -> WordPiece (greedy longest match, "##"
continuation, a word longer than 100 chars or with an unmatchable piece becomes [UNK]).
Training merges symbol pairs by frequency, BPE-style, as the Hugging Face WordPiece trainer does.

  python3 training/wordpiece.py --corpus a.jsonl b.jsonl --vocab-size 8000 --out tokenizer.json
"""
from __future__ import annotations

import argparse
import collections
import heapq
import json
import unicodedata
from typing import Iterable

SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
PREFIX = '##'
MAX_CHARS = 100


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith('P')


def _is_ws(ch: str) -> bool:
    return ch in ' \t\n\r' or unicodedata.category(ch) == 'Zs'


def _is_control(ch: str) -> bool:
    if ch in '\t\n\r':
        return False
    return unicodedata.category(ch) in ('Cc', 'Cf', 'Cn', 'Co', 'Cs')


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text: str) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_ws(ch):
            out.append(' ')
        elif _is_cjk(cp):
            out.append(f' {ch} ')
        else:
            out.append(ch)
    return ''.join(out)


def pre_tokenize(text: str) -> list[str]:
    pieces, cur = [], []
    for ch in text:
        if _is_ws(ch):
            if cur:
                pieces.append(''.join(cur))
                cur = []
        elif _is_punct(ch):
            if cur:
                pieces.append(''.join(cur))
                cur = []
            pieces.append(ch)
        else:
            cur.append(ch)
    if cur:
        pieces.append(''.join(cur))
    return pieces


PRE_TOKENIZERS = {'bert': 'BertPreTokenizer', 'whitespace': 'WhitespaceSplit'}


def split_words(text: str, pre: str) -> list[str]:
    return pre_tokenize(text) if pre == 'bert' else text.split()


class WordPiece:
    def __init__(self, vocab: dict[str, int], pre: str = 'bert'):
        self.vocab = vocab
        self.pre = pre
        self.inv = {i: t for t, i in vocab.items()}
        self.unk_id = vocab['[UNK]']
        self.cls_id = vocab['[CLS]']
        self.sep_id = vocab['[SEP]']
        self.pad_id = vocab['[PAD]']
        self.mask_id = vocab['[MASK]']
        self._cache: dict[str, list[int]] = {}

    def _piece(self, word: str, bar: int = -1) -> list[int]:
        if len(word) > MAX_CHARS:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            cur = None
            while start < end:
                sub = word[start:end] if start == 0 else PREFIX + word[start:end]
                if sub in self.vocab and self.vocab[sub] != bar:
                    cur = self.vocab[sub]
                    break
                end -= 1
            if cur is None:
                return [self.unk_id]
            ids.append(cur)
            start = end
        return ids

    def encode_word(self, word: str) -> list[int]:
        """Token ids of one OCR/corpus word, no specials (the engine tokenises word by word too)."""
        hit = self._cache.get(word)
        if hit is None:
            hit = [i for p in split_words(normalize(word), self.pre) for i in self._piece(p)]
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def fragment_word(self, word: str) -> list[int]:
        """The pieces of a word as if the word itself were not in the vocabulary: each of its
        pre-tokenised parts that is one whole piece is split greedily with that piece barred. This is
        how a word never seen in training reaches the model; `--fragment-rare` trains on it."""
        out: list[int] = []
        for p in split_words(normalize(word), self.pre):
            ids = self._piece(p)
            if len(ids) == 1 and len(p) > 1 and ids[0] != self.unk_id:
                ids = self._piece(p, bar=ids[0])
            out += ids
        return out

    def tokens(self, ids: Iterable[int]) -> list[str]:
        return [self.inv[i] for i in ids]

    @classmethod
    def load(cls, path: str) -> 'WordPiece':
        with open(path, encoding='utf-8') as f:
            j = json.load(f)
        kind = (j.get('pre_tokenizer') or {}).get('type', 'BertPreTokenizer')
        pre = {v: k for k, v in PRE_TOKENIZERS.items()}.get(kind)
        if pre is None:
            raise ValueError(f'{path}: pre_tokenizer {kind} is not one this encoder reproduces')
        return cls(j['model']['vocab'], pre)

    def save(self, path: str) -> None:
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(tokenizer_json(self.vocab, self.pre), f, ensure_ascii=False)


def tokenizer_json(vocab: dict[str, int], pre: str = 'bert') -> dict:
    cls_id, sep_id = vocab['[CLS]'], vocab['[SEP]']
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [{'id': vocab[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
                          'normalized': False, 'special': True} for t in SPECIALS],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': None, 'lowercase': False},
        'pre_tokenizer': {'type': PRE_TOKENIZERS[pre]},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                       {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 1}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 1}}],
            'special_tokens': {'[CLS]': {'id': '[CLS]', 'ids': [cls_id], 'tokens': ['[CLS]']},
                               '[SEP]': {'id': '[SEP]', 'ids': [sep_id], 'tokens': ['[SEP]']}},
        },
        'decoder': {'type': 'WordPiece', 'prefix': PREFIX, 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': PREFIX,
                  'max_input_chars_per_word': MAX_CHARS, 'vocab': vocab},
    }


def train(word_counts: collections.Counter, vocab_size: int, min_frequency: int = 2,
          limit_alphabet: int = 1000) -> dict[str, int]:
    """BPE-style merges over pre-tokenized words; returns token -> id with the specials first."""
    char_counts: collections.Counter = collections.Counter()
    for w, c in word_counts.items():
        for ch in w:
            char_counts[ch] += c
    alphabet = {ch for ch, _ in char_counts.most_common(limit_alphabet)}
    # Latin-1, Latin Extended-A and currency signs always get a token: invoices in German, French...
    alphabet |= {ch for ch in map(chr, [*range(0x21, 0x7F), *range(0xA1, 0x180), 0x20AC, 0x2013, 0x2014, 0x2019, 0x201C, 0x201D])
                 if not _is_ws(ch) and not _is_control(ch)}
    vocab: list[str] = list(SPECIALS)
    seen = set(vocab)
    for ch in sorted(alphabet):
        for t in (ch, PREFIX + ch):
            if t not in seen:
                seen.add(t)
                vocab.append(t)
    words, counts = [], []
    for w, c in word_counts.items():
        if len(w) > MAX_CHARS or any(ch not in alphabet for ch in w):
            continue
        words.append([w[0]] + [PREFIX + ch for ch in w[1:]])
        counts.append(c)
    pair_counts: collections.Counter = collections.Counter()
    where: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for i, sym in enumerate(words):
        for a, b in zip(sym, sym[1:]):
            pair_counts[(a, b)] += counts[i]
            where[(a, b)].add(i)
    # max-heap with lazy invalidation: every count change pushes a fresh entry; stale ones are skipped
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    while len(vocab) < vocab_size and heap:
        negc, (a, b) = heapq.heappop(heap)
        c = pair_counts.get((a, b), 0)
        if c != -negc or c <= 0:
            continue
        if c < min_frequency:
            break
        merged = a + b[len(PREFIX):]
        if merged not in seen:
            seen.add(merged)
            vocab.append(merged)
        touched: set[tuple[str, str]] = set()
        for i in list(where.pop((a, b), ())):
            sym = words[i]
            for x, y in zip(sym, sym[1:]):
                pair_counts[(x, y)] -= counts[i]
                if pair_counts[(x, y)] <= 0:
                    del pair_counts[(x, y)]
                else:
                    touched.add((x, y))
                where[(x, y)].discard(i)
            out, k = [], 0
            while k < len(sym):
                if k + 1 < len(sym) and sym[k] == a and sym[k + 1] == b:
                    out.append(merged)
                    k += 2
                else:
                    out.append(sym[k])
                    k += 1
            words[i] = out
            for x, y in zip(out, out[1:]):
                pair_counts[(x, y)] += counts[i]
                where[(x, y)].add(i)
                touched.add((x, y))
        pair_counts.pop((a, b), None)
        for p in touched:
            if p in pair_counts:
                heapq.heappush(heap, (-pair_counts[p], p))
    return {t: i for i, t in enumerate(vocab)}


def count_words(paths: Iterable[str], pre: str = 'bert') -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for p in paths:
        with open(p, encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    for w in json.loads(line)['words']:
                        counts.update(split_words(normalize(w), pre))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', nargs='+', required=True)
    ap.add_argument('--vocab-size', type=int, default=8000)
    ap.add_argument('--min-frequency', type=int, default=2)
    ap.add_argument('--pre-tokenizer', choices=sorted(PRE_TOKENIZERS), default='whitespace')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    vocab = train(count_words(a.corpus, a.pre_tokenizer), a.vocab_size, a.min_frequency)
    WordPiece(vocab, a.pre_tokenizer).save(a.out)
    print(f'wordpiece: {len(vocab)} tokens -> {a.out}')


if __name__ == '__main__':
    main()
