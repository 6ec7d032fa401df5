"""SROIE receipts -> corpus JSONL, labelled by matching the key fields against the dataset's OCR.

Source: sroie/train/box/KEY.txt (the dataset's own OCR lines: 8 coordinates, then the text; the
text may contain commas) and entities/KEY.txt (company, date, address, total as printed); page
size from metadata.jsonl. (metadata.jsonl's own "words" cut each OCR line at its first comma, so
the box files are read instead.) Lines are split into whitespace words; a word's box is its share
of the line box by character offsets. Rules (same conventions as the synthetic invoices):
  company -> ORG      every occurrence of the company's word sequence (punctuation-insensitive)
  address -> ADDRESS  maximal runs of >= 2 consecutive words that all belong to the address
                      (a receipt prints its address over several lines, sometimes interleaved)
  date    -> DATE     the words containing the date string, and every other date-looking word
  total   -> MONEY    every amount-looking word (dd.dd with optional RM/$ and thousands
                      separators): on invoices every amount is MONEY, so receipts follow suit
  (extra) TAX_ID      12-digit GST registration numbers on a line that mentions GST
  (extra) INVOICE_NO  the first word with a digit after "INVOICE NO:", "RECEIPT #", "BILL :"...
                      (same line, or the first word of the next line when the key ends a line)
A field counts as matched when at least one word got its label from the field's own value
(address: >= 60 % of its words covered). Split: the last 100 receipts by sorted id are dev.

  python3 training/convert_sroie.py --out-dir runs/corpus
"""
from __future__ import annotations

import argparse
import json
import re

from corpus import data_dir, normalize_box, write_jsonl

AMOUNT = re.compile(r'^[-@]?(?:RM|\$|MYR)?[-(]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}\)?(?:SR|ZR|S|Z)?$', re.I)
INVOICE_KEY = re.compile(r'\b(INVOICE|INV|RECEIPT|RCPT|BILL|DOC|TRANS|TXN|SLIP|ORDER)\s*(NO|NUM|NUMBER|#)?[\s.:#]*$', re.I)
DATE = re.compile(r'\b(\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\b')
MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC'


def norm(w: str) -> str:
    return re.sub(r'[^0-9A-Za-z]', '', w).upper()


def amount_value(w: str) -> str | None:
    if not AMOUNT.match(w):
        return None
    return re.sub(r'[^0-9.]', '', w.upper().removesuffix('SR').removesuffix('ZR'))


def read_lines(key: str) -> list[tuple[list[float], str]]:
    path = data_dir() / 'sroie' / 'train' / 'box' / f'{key}.txt'
    out = []
    for line in path.read_text(encoding='utf-8', errors='replace').splitlines():
        parts = line.split(',', 8)
        if len(parts) < 9 or not parts[8].strip():
            continue
        c = [float(v) for v in parts[:8]]
        xs, ys = c[0::2], c[1::2]
        out.append(([min(xs), min(ys), max(xs), max(ys)], parts[8]))
    return out


def split_line(box: list[float], text: str) -> list[tuple[str, list[float]]]:
    """Whitespace words of one OCR line, each with its share of the line box."""
    x0, y0, x1, y1 = box
    n = max(len(text), 1)
    return [(m.group(), [x0 + (x1 - x0) * m.start() / n, y0, x0 + (x1 - x0) * m.end() / n, y1])
            for m in re.finditer(r'\S+', text)]


def label_sequence(words: list[str], tags: list[str], value: str, typ: str) -> bool:
    """Tag every occurrence of value's normalised word sequence; punctuation-only words inside ride along."""
    target = [t for t in (norm(w) for w in value.split()) if t]
    idx = [(i, norm(w)) for i, w in enumerate(words) if norm(w)]
    found = False
    for s in range(len(idx) - len(target) + 1 if target else 0):
        if [t for _, t in idx[s:s + len(target)]] == target:
            a, b = idx[s][0], idx[s + len(target) - 1][0]
            if all(t == 'O' for t in tags[a:b + 1]):
                tags[a:b + 1] = [f'B-{typ}'] + [f'I-{typ}'] * (b - a)
                found = True
    return found


def label_address(words: list[str], tags: list[str], value: str) -> bool:
    vocab = [t for t in (norm(w) for w in value.split()) if t]
    vset = set(vocab)
    covered: set[str] = set()
    i = 0
    while i < len(words):
        j, hits = i, []
        while j < len(words) and tags[j] == 'O' and (norm(words[j]) in vset or (not norm(words[j]) and j > i)):
            if norm(words[j]):
                hits.append(j)
            j += 1
        if len(hits) >= 2 or (hits and len(vocab) <= 1):
            a, b = hits[0], hits[-1]
            tags[a:b + 1] = ['B-ADDRESS'] + ['I-ADDRESS'] * (b - a)
            covered.update(norm(words[k]) for k in hits)
        i = max(j, i + 1)
    return bool(vocab) and len(covered) >= 0.6 * len(vset)


def label_invoice_no(words: list[str], tags: list[str], line_of: list[int]) -> None:
    for i in range(len(words) - 1):
        line_start = max(k for k in range(i + 1) if k == 0 or line_of[k] != line_of[k - 1])
        prefix = ' '.join(words[line_start:i + 1])
        if INVOICE_KEY.search(prefix) and not re.search(r'\bDATE\b', prefix, re.I):
            j = i + 1
            w = words[j]
            if tags[j] == 'O' and re.search(r'\d', w) and not re.search(r'\d:\d\d', w) and len(w) >= 3:
                tags[j] = 'B-INVOICE_NO'


def convert(key: str, ent: dict, width: float, height: float) -> tuple[dict, dict]:
    words, boxes, line_of = [], [], []
    for li, (box, text) in enumerate(read_lines(key)):
        for w, b in split_line(box, text):
            words.append(w)
            boxes.append(normalize_box(b, width, height))
            line_of.append(li)
    tags = ['O'] * len(words)
    matched = {}
    # amounts first: they are single words and never part of a name or address
    total = re.sub(r'[^0-9.]', '', ent.get('total', '') or '')
    matched['total'] = False
    for i, w in enumerate(words):
        v = amount_value(w)
        if v is not None:
            tags[i] = 'B-MONEY'
            if total and v.lstrip('0') == total.lstrip('0'):
                matched['total'] = True
    date = (ent.get('date') or '').strip()
    matched['date'] = False
    for i, w in enumerate(words):
        if tags[i] != 'O':
            continue
        if date and (date in w or norm(w) == norm(date)) and norm(date):
            tags[i] = 'B-DATE'
            matched['date'] = True
        elif DATE.search(w) and not re.search(r'\d{5,}', w):
            tags[i] = 'B-DATE'
    if date and not matched['date']:  # dates printed over several words: "25 DEC 2018"
        matched['date'] = label_sequence(words, tags, date, 'DATE')
    lines_text = {}
    for i, w in enumerate(words):
        lines_text.setdefault(line_of[i], []).append(w)
    for i, w in enumerate(words):
        if tags[i] == 'O' and re.fullmatch(r'[(:#]?\d{12}[):]?', w) and 'GST' in ' '.join(lines_text[line_of[i]]).upper():
            tags[i] = 'B-TAX_ID'
    label_invoice_no(words, tags, line_of)
    matched['company'] = bool(ent.get('company')) and label_sequence(words, tags, ent['company'], 'ORG')
    matched['address'] = bool(ent.get('address')) and label_address(words, tags, ent['address'])
    rec = {'id': f'sroie-{key}', 'words': words, 'boxes': boxes, 'tags': tags, 'source': 'sroie', 'doc': key}
    return rec, matched


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('--dev', type=int, default=100, help='the last N receipts by sorted id are dev')
    a = ap.parse_args()
    root = data_dir() / 'sroie' / 'train'
    meta = {}
    with open(root / 'metadata.jsonl', encoding='utf-8') as f:
        for line in f:
            d = json.loads(line)
            meta[d['key']] = d
    keys = sorted(meta)
    split = {k: ('dev' if i >= len(keys) - a.dev else 'train') for i, k in enumerate(keys)}
    out = {'train': [], 'dev': []}
    stats = {f: 0 for f in ('company', 'date', 'address', 'total')}
    present = dict(stats)
    for k in keys:
        ent = json.loads((root / 'entities' / f'{k}.txt').read_text(encoding='utf-8', errors='replace'))
        size = meta[k]['image_size']
        rec, matched = convert(k, ent, size['width'], size['height'])
        rec['split'] = split[k]
        out[split[k]].append(rec)
        for f in stats:
            present[f] += bool(ent.get(f))
            stats[f] += bool(matched.get(f))
    for s, recs in out.items():
        write_jsonl(f'{a.out_dir}/sroie-{s}.jsonl', recs)
        print(f'sroie {s}: {len(recs)} receipts, {sum(len(r["words"]) for r in recs)} words')
    print('fields matched: ' + ', '.join(f'{f} {stats[f]}/{present[f]}' for f in stats))


if __name__ == '__main__':
    main()
