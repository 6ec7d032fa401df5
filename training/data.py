"""Corpus records -> model windows, with Hugging Face token-classification label alignment.

Each word is tokenised on its own (as the engine does); the first piece carries the word's label
id, the other pieces and [CLS]/[SEP] get -100. A word whose text yields no piece becomes [UNK] so
every word keeps a prediction slot. All pieces of a word share the word's box. Documents longer
than max_len - 2 pieces are cut at word boundaries into consecutive windows (no overlap).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

import torch

from wordpiece import WordPiece

CLS_BOX = [0, 0, 0, 0]
SEP_BOX = [1000, 1000, 1000, 1000]


@dataclass
class Window:
    doc: int                 # index of the record
    word_index: list[int]    # record word index of each labelled (first-piece) position
    ids: list[int]
    boxes: list[list[int]]
    labels: list[int]        # -100 where not scored


def encode(records: list[dict], tok: WordPiece, label2id: dict[str, int], max_len: int,
           pieces_of: Callable[[str], list[int]] | None = None) -> list[Window]:
    """pieces_of: a word's pieces (default tok.encode_word; training may pass a noisier one)."""
    out: list[Window] = []
    room = max_len - 2
    pieces_of = pieces_of or tok.encode_word
    for d, rec in enumerate(records):
        pieces = [pieces_of(w) or [tok.unk_id] for w in rec['words']]
        i = 0
        while i < len(pieces):
            ids, boxes, labels, widx = [tok.cls_id], [CLS_BOX], [-100], []
            while i < len(pieces) and len(ids) - 1 + min(len(pieces[i]), room) <= room:
                p = pieces[i][:room]
                ids += p
                boxes += [list(rec['boxes'][i])] * len(p)
                labels += [label2id.get(rec['tags'][i], 0)] + [-100] * (len(p) - 1)
                widx.append(i)
                i += 1
            ids.append(tok.sep_id)
            boxes.append(SEP_BOX)
            labels.append(-100)
            out.append(Window(d, widx, ids, boxes, labels))
    return out


def batches(windows: list[Window], batch_tokens: int, shuffle: bool, rng: random.Random | None = None) -> list[list[Window]]:
    """Length-bucketed batches of at most batch_tokens padded tokens."""
    order = sorted(range(len(windows)), key=lambda k: len(windows[k].ids))
    if shuffle and rng is not None:
        # sort within shuffled chunks so batches stay tight but vary between epochs
        order = list(range(len(windows)))
        rng.shuffle(order)
        chunk = 100 * 32
        order = [k for c in range(0, len(order), chunk) for k in sorted(order[c:c + chunk], key=lambda k: len(windows[k].ids))]
    out, cur, longest = [], [], 0
    for k in order:
        n = len(windows[k].ids)
        if cur and max(longest, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(windows[k])
        longest = max(longest, n)
    if cur:
        out.append(cur)
    if shuffle and rng is not None:
        rng.shuffle(out)
    return out


def collate(batch: list[Window], pad_id: int) -> dict[str, torch.Tensor]:
    s = max(len(w.ids) for w in batch)
    ids = torch.full((len(batch), s), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), s), dtype=torch.long)
    boxes = torch.zeros((len(batch), s, 4), dtype=torch.long)
    labels = torch.full((len(batch), s), -100, dtype=torch.long)
    for r, w in enumerate(batch):
        n = len(w.ids)
        ids[r, :n] = torch.tensor(w.ids)
        mask[r, :n] = 1
        boxes[r, :n] = torch.tensor(w.boxes)
        labels[r, :n] = torch.tensor(w.labels)
    return {'input_ids': ids, 'attention_mask': mask, 'bbox': boxes, 'labels': labels}
