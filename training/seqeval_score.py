"""Entity-level precision / recall / F1 as seqeval computes them (default, lenient IOB2 mode).

Chunks follow seqeval's get_entities: a chunk ends when the tag is O or B, or the type changes;
an I- after O or after another type starts a new chunk. Scores are micro-averaged over types.
"""
from __future__ import annotations

from collections import Counter


def _split(tag: str) -> tuple[str, str]:
    if tag == 'O':
        return 'O', '_'
    p, _, t = tag.partition('-')
    return p, (t or '_')


def get_entities(seqs: list[list[str]]) -> list[tuple[str, int, int]]:
    flat: list[str] = []
    for s in seqs:
        flat += list(s) + ['O']
    chunks, prev_tag, prev_type, begin = [], 'O', '', 0
    for i, chunk in enumerate(flat + ['O']):
        tag, typ = _split(chunk)
        end = (prev_tag in ('E', 'S') or (prev_tag in ('B', 'I') and tag in ('B', 'S', 'O'))
               or (prev_tag not in ('O', '.') and prev_type != typ))
        if end:
            chunks.append((prev_type, begin, i - 1))
        start = (tag in ('B', 'S') or (prev_tag in ('E', 'S', 'O') and tag in ('E', 'I'))
                 or (tag not in ('O', '.') and prev_type != typ))
        if start:
            begin = i
        prev_tag, prev_type = tag, typ
    return chunks


def score(gold: list[list[str]], pred: list[list[str]], types: list[str] | None = None) -> dict:
    """Micro P/R/F1 plus per-type figures; `types` restricts scoring to those entity types."""
    g = set(get_entities(gold))
    p = set(get_entities(pred))
    if types is not None:
        g = {e for e in g if e[0] in types}
        p = {e for e in p if e[0] in types}
    tp = len(g & p)
    out = {'precision': tp / len(p) if p else 0.0, 'recall': tp / len(g) if g else 0.0}
    pr, rc = out['precision'], out['recall']
    out['f1'] = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    gc, pc, tc = Counter(e[0] for e in g), Counter(e[0] for e in p), Counter(e[0] for e in g & p)
    per = {}
    for t in sorted(set(gc) | set(pc)):
        P = tc[t] / pc[t] if pc[t] else 0.0
        R = tc[t] / gc[t] if gc[t] else 0.0
        per[t] = {'precision': P, 'recall': R, 'f1': 2 * P * R / (P + R) if P + R else 0.0, 'support': gc[t]}
    out['per_type'] = per
    return out
