"""Corpus JSONL -> CoNLL (`word<TAB>tag`, a blank line after each record) for `ledgerlens eval`.

The TypeScript evaluator reads words and tags only (no boxes), so its figures on layout data are
the no-layout case; train.py's dev scores use the boxes. Words with whitespace inside (none of
the converters emit them) are split, the first part keeping the tag and the rest getting I-.

  python3 training/to_conll.py runs/corpus/sroie-dev.jsonl runs/corpus/sroie-dev.conll [--types ORG,DATE]
"""
from __future__ import annotations

import argparse

from corpus import read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('dst')
    ap.add_argument('--types', default='', help='keep only these entity types (others become O)')
    a = ap.parse_args()
    keep = {t for t in a.types.split(',') if t}
    n = 0
    with open(a.dst, 'w', encoding='utf-8') as f:
        for rec in read_jsonl(a.src):
            for w, t in zip(rec['words'], rec['tags']):
                if keep and t != 'O' and t[2:] not in keep:
                    t = 'O'
                parts = w.split() or ['_']
                for k, p in enumerate(parts):
                    f.write(f"{p}\t{t if k == 0 or t == 'O' else 'I-' + t[2:]}\n")
            f.write('\n')
            n += 1
    print(f'{n} records -> {a.dst}')


if __name__ == '__main__':
    main()
