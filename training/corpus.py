"""The Ledgerlens training corpus: JSON Lines, one example per line.

Record: {"id": str, "words": [str], "boxes": [[x0, y0, x1, y1]] (ints 0-1000, LayoutLM-style;
absent or all zeros when the source has no layout), "tags": [IOB2 str], "source": str, ...}.
Extra keys (e.g. "split", "doc") are kept and ignored by the trainer.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator

#: Invoice entity types, same order as src/core/labels.ts (IOB2: O, then B-/I- per type).
INVOICE_TYPES = ['ORG', 'PERSON', 'ADDRESS', 'DATE', 'MONEY', 'INVOICE_NO', 'TAX_ID']


def iob2_labels(types: Iterable[str]) -> list[str]:
    return ['O'] + [f'{p}-{t}' for t in types for p in ('B', 'I')]


INVOICE_LABELS = iob2_labels(INVOICE_TYPES)


def data_dir() -> Path:
    """$LEDGERLENS_DATA_DIR, else ../shared/data relative to the repo root (or the nearest
    ancestor folder holding shared/data, so worktrees nested deeper find it too)."""
    env = os.environ.get('LEDGERLENS_DATA_DIR')
    if env:
        return Path(env)
    root = Path(__file__).resolve().parent.parent
    for base in [root.parent, *root.parent.parents]:
        if (base / 'shared' / 'data').is_dir():
            return base / 'shared' / 'data'
    return root.parent / 'shared' / 'data'


def clamp_box(box: list[float]) -> list[int]:
    return [max(0, min(1000, int(round(v)))) for v in box]


def normalize_box(box: list[float], width: float, height: float) -> list[int]:
    """Pixel box -> 0-1000 ints relative to the page size (LayoutLM convention)."""
    x0, y0, x1, y1 = box
    return clamp_box([1000 * x0 / width, 1000 * y0 / height, 1000 * x1 / width, 1000 * y1 / height])


def validate(rec: dict) -> None:
    n = len(rec['words'])
    if len(rec['tags']) != n:
        raise ValueError(f"{rec.get('id')}: {n} words but {len(rec['tags'])} tags")
    boxes = rec.get('boxes')
    if boxes is not None and len(boxes) != n:
        raise ValueError(f"{rec.get('id')}: {n} words but {len(boxes)} boxes")
    if not all(t == 'O' or t[:2] in ('B-', 'I-') for t in rec['tags']):
        return  # a tag set (PoS), not IOB2
    prev = 'O'
    for t in rec['tags']:
        if t.startswith('I-') and prev[2:] != t[2:]:
            raise ValueError(f"{rec.get('id')}: I- tag {t} after {prev} (not IOB2)")
        prev = t


def to_iob2(tags: list[str]) -> list[str]:
    """IOB1 or IOB2 -> IOB2 (an I- that starts an entity becomes B-)."""
    out, prev = [], 'O'
    for t in tags:
        if t.startswith('I-') and (prev == 'O' or prev[2:] != t[2:]):
            t = 'B-' + t[2:]
        out.append(t)
        prev = t
    return out


def write_jsonl(path: str | Path, records: Iterable[dict]) -> int:
    n = 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        for rec in records:
            validate(rec)
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
            n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[dict]:
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                if not rec.get('boxes'):
                    rec['boxes'] = [[0, 0, 0, 0]] * len(rec['words'])
                yield rec


def tag_set(records: Iterable[dict]) -> list[str]:
    """The tags as they are (a tag set such as PoS, no IOB structure), sorted."""
    return sorted({t for r in records for t in r['tags']})


def is_chunk_labels(labels: list[str]) -> bool:
    """O and B-/I-/E-/S- chunk tags (score entities); anything else is a tag set (score tokens).
    Same rule as src/eval/token-accuracy.ts isChunkLabelSet."""
    return any(l != 'O' for l in labels) and all(l == 'O' or (len(l) > 2 and l[0] in 'BIESLU' and l[1] == '-') for l in labels)


def label_types(records: Iterable[dict]) -> list[str]:
    """Entity types seen in tags, sorted."""
    return sorted({t[2:] for r in records for t in r['tags'] if t != 'O'})
