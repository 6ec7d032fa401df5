"""Gather a default-bundle build's measured figures (train log, Python and TypeScript scores, parity,
speed, data sizes) into one results.json for model_card.py. Only reads files the build wrote."""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def last_json(path: Path, key: str | None = None) -> dict | None:
    if not path.exists():
        return None
    found = None
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line.startswith('{'):
            d = json.loads(line)
            if key is None or key in d:
                found = d
    return found


def corpus_size(path: Path) -> dict:
    docs = words = 0
    if path.exists():
        for line in path.read_text(encoding='utf-8').splitlines():
            if line.strip():
                docs += 1
                words += len(json.loads(line)['words'])
    return {'docs': docs, 'words': words}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', required=True)
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--wall-minutes', type=float, required=True)
    ap.add_argument('--build-command', default='bash training/build-default.sh')
    a = ap.parse_args()
    hp = json.loads((Path(a.bundle) / 'config.json').read_text(encoding='utf-8'))['ledgerlens']['hparams']
    boxes = hp.get('box_features', True)
    w = Path(a.work)
    c = w / 'corpus'
    summary = last_json(w / 'train' / 'log.jsonl', 'best_dev_f1') or {}
    data = {
        'synthetic invoices (train, `ledgerlens synth --seed 1`, one record per page)': corpus_size(w / 'synth-train' / 'corpus.jsonl'),
        'SROIE receipts train (first 526 by id, oversampled x2)': corpus_size(c / 'sroie-train.jsonl'),
        'invoice facts in running text (`training/prose-corpus.ts --seed 1`, zero boxes)': corpus_size(c / 'prose-train.jsonl'),
        'WNUT-17 train text (WordPiece vocabulary only, no labels)': corpus_size(c / 'wnut-train.jsonl'),
    }
    data = {k: v for k, v in data.items() if v['docs']}
    conv = (w / 'sroie-convert.txt')
    if conv.exists():
        data['SROIE receipts train (first 526 by id, oversampled x2)']['note'] = conv.read_text().strip().splitlines()[-1]
    scores = []
    sets = [('synthetic held-out (seed 2, 150 invoices)', 'score-synth.jsonl', 'synth-dev', None),
            ('SROIE dev (last 100 receipts), key fields ORG/DATE/ADDRESS/MONEY', 'score-sroie.jsonl', 'sroie-dev', 'types'),
            ('e-invoices dev (54 PDFs, text layer; never trained on), ORG/INVOICE_NO/DATE/MONEY', 'score-einvoice.jsonl',
             'einvoice-dev', 'types'),
            ('running text held-out (`prose-corpus.ts --seed 2`, 300 messages, no boxes)', 'score-prose.jsonl', 'prose-dev', None)]
    for name, py, ts, restricted in sets:
        r = last_json(w / py)
        if r:
            f1 = r['f1_types'] if restricted else r['f1']
            scores.append({'set': name + (' - with layout' if boxes else ' - PyTorch'), 'f1': f1,
                           'precision': r.get('precision_types', r['precision']) if restricted else r['precision'],
                           'recall': r.get('recall_types', r['recall']) if restricted else r['recall'],
                           'per_type': r['per_type'], 'by': 'training/score.py (PyTorch' + (', boxes)' if boxes else ')'),
                           'command': f"python3 training/score.py --run {w}/train --data <{ts}.jsonl>"
                                      + (f" --types {','.join(r['types'])}" if restricted else '')})
        t = w / f'ts-eval-{ts}.json'
        if t.exists():
            try:
                e = json.loads(t.read_text(encoding='utf-8'))
            except json.JSONDecodeError:
                continue
            types_ts = e.get('types') or {}
            per = {k: v['f1'] for k, v in types_ts.items()}
            micro = e.get('micro') or {}
            keep = restricted and r and r.get('types')
            if keep:
                # micro average over the scored types only, rebuilt from per-type precision/recall/support
                tp = sum(types_ts[k]['recall'] * types_ts[k]['support'] for k in keep if k in types_ts)
                pred = sum(types_ts[k]['recall'] * types_ts[k]['support'] / types_ts[k]['precision']
                           for k in keep if k in types_ts and types_ts[k]['precision'] > 0)
                gold = sum(types_ts[k]['support'] for k in keep if k in types_ts)
                pr, rc = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
                micro = {'precision': pr, 'recall': rc, 'f1': 2 * pr * rc / (pr + rc) if pr + rc else 0.0}
                per = {k: v for k, v in per.items() if k in keep}
            scores.append({'set': name + ' - words only', 'f1': micro.get('f1'),
                           'precision': micro.get('precision'), 'recall': micro.get('recall'),
                           'per_type': per, 'by': '`ledgerlens eval` (TypeScript, ONNX, no boxes)',
                           'command': f"npx ledgerlens eval --model {a.bundle} --data {w}/{ts}.conll --json"})
    check = w / 'check.txt'
    parity = speed = None
    if check.exists():
        for line in check.read_text().splitlines():
            d = json.loads(line)
            parity = d.get('parityMaxAbsDiff', parity)
            if 'wordsPerSecond' in d:
                speed = {**d, 'command': f'node --import tsx training/bundle-check.ts {a.bundle} --speed {c}/sroie-dev.jsonl'}
    by_set = {sc['set']: sc['f1'] for sc in scores}
    targets = []
    for what, key, target, note in [
            ('SROIE dev key fields', 'SROIE dev (last 100 receipts), key fields ORG/DATE/ADDRESS/MONEY - words only', 0.90,
             'TypeScript evaluator on the ONNX bundle'),
            ('synthetic held-out', 'synthetic held-out (seed 2, 150 invoices) - words only', 0.97, 'TypeScript evaluator on the ONNX bundle'),
            ('real e-invoices', 'e-invoices dev (54 PDFs, text layer; never trained on), ORG/INVOICE_NO/DATE/MONEY - words only', 0.85,
             'zero-shot on all 54 (no e-invoice in training); leave-one-generator-out folds were not run')]:
        if by_set.get(key) is not None:
            targets.append({'what': what, 'target': target, 'measured': by_set[key], 'note': note})
    out = {'train_summary': summary, 'targets': targets, 'data': data, 'scores': scores, 'speed': speed, 'parity': parity,
           'wall_minutes': a.wall_minutes, 'build_command': a.build_command,
           'limitations': [
               'Trained from scratch on about an hour of CPU at most: no pretraining; ORG and ADDRESS on unseen layouts are the weak spots.',
               'SROIE labels come from matching the key fields against the OCR (training/convert_sroie.py); the dev scores are against those labels.',
               'The e-invoice labels cover only the fields expected.json lists as printed, plus amount- and date-looking words; they score ORG, INVOICE_NO, DATE and MONEY.',
               'The TypeScript evaluator reads CoNLL words without boxes, so its figures are the no-layout case (the model is trained with 10 % of windows box-less for this).'
               if boxes else 'No layout input: it reads a document as a sequence of words, so on documents the layout bundle (models/ledgerlens-invoice) is the one the extractor uses.',
           ]}
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == '__main__':
    main()
