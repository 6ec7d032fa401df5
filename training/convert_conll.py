"""CoNLL-style files -> corpus JSONL (no layout: boxes all zeros).

CoNLL-2003: `word POS chunk NER` per line, -DOCSTART- separates documents, blank line ends a
sentence. WNUT-17: `token<TAB>tag`. The tag is the last column in both; tags are made IOB2.
`--tags pos` takes CoNLL-2003's POS column (the second) instead: a tag set for PoS tagging.

  python3 training/convert_conll.py --format conll2003 --split train --out runs/corpus/conll-train.jsonl
"""
from __future__ import annotations

import argparse

from corpus import data_dir, to_iob2, write_jsonl

FILES = {
    'conll2003': {'train': 'conll2003/train.txt', 'dev': 'conll2003/valid.txt', 'test': 'conll2003/test.txt'},
    'wnut17': {'train': 'wnut17/train.conll', 'dev': 'wnut17/dev.conll', 'test': 'wnut17/test.conll'},
}


def read_conll(path: str, source: str, split: str, column: int = -1) -> list[dict]:
    records, words, tags = [], [], []
    doc = 0

    def flush():
        if words:
            records.append({'id': f'{source}-{split}-{len(records)}', 'words': list(words),
                            'tags': to_iob2(tags) if column == -1 else list(tags), 'source': source, 'split': split,
                            'doc': doc})
            words.clear()
            tags.clear()

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                flush()
                continue
            cols = line.split('\t') if '\t' in line else line.split(' ')
            if cols[0] == '-DOCSTART-':
                flush()
                doc += 1
                continue
            words.append(cols[0])
            tags.append(cols[column])
    flush()
    return records


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--format', choices=sorted(FILES), required=True)
    ap.add_argument('--split', choices=['train', 'dev', 'test'], required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--tags', choices=['ner', 'pos'], default='ner', help='pos: CoNLL-2003 column 2')
    a = ap.parse_args()
    if a.tags == 'pos' and a.format != 'conll2003':
        ap.error('--tags pos needs --format conll2003')
    recs = read_conll(str(data_dir() / FILES[a.format][a.split]), a.format, a.split, 1 if a.tags == 'pos' else -1)
    n = write_jsonl(a.out, recs)
    print(f'{a.format} {a.split}: {n} sentences, {sum(len(r["words"]) for r in recs)} words -> {a.out}')


if __name__ == '__main__':
    main()
