"""Score a trained run (OUT/best.pt + OUT/tokenizer.json) on corpus files, with layout, seqeval default.

  python3 training/score.py --run runs/default/train --data runs/corpus/sroie-dev.jsonl --types ORG,DATE,ADDRESS,MONEY

Prints one JSON line per file: micro P/R/F1 over all types, per-type F1, and (with --types) the
F1 restricted to those types. --no-layout zeroes the boxes (what a words-only evaluator sees).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import is_chunk_labels, read_jsonl  # noqa: E402
from data import encode  # noqa: E402
from model import LayoutEncoder, token_char_table  # noqa: E402
from seqeval_score import score  # noqa: E402
from train import predict, token_accuracy  # noqa: E402
from wordpiece import WordPiece  # noqa: E402


def load_run(run: str, device: torch.device) -> tuple[LayoutEncoder, WordPiece, list[str], dict]:
    tok = WordPiece.load(str(Path(run) / 'tokenizer.json'))
    best = torch.load(Path(run) / 'best.pt', map_location=device)
    hp = dict(best['hparams'])
    hp.pop('seed', None)
    chars = {c: i + 2 for i, c in enumerate(sorted({c for t in tok.vocab for c in t.removeprefix('##')}))}
    model = LayoutEncoder(len(tok.vocab), len(best['labels']), token_char_table(tok.vocab, chars), len(chars) + 2,
                          [tok.cls_id, tok.sep_id, tok.pad_id], labels=best['labels'], **hp).to(device)
    model.load_state_dict(best['model'])
    return model.eval(), tok, best['labels'], hp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--data', nargs='+', required=True)
    ap.add_argument('--types', default='')
    ap.add_argument('--no-layout', action='store_true')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--dump', help='write the predicted tags (one JSON list per record and line) to this file')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    model, tok, labels, hp = load_run(a.run, device)
    types = [t for t in a.types.split(',') if t] or None
    for path in a.data:
        recs = list(read_jsonl(path))
        if a.no_layout:
            for r in recs:
                r['boxes'] = [[0, 0, 0, 0]] * len(r['words'])
        windows = encode(recs, tok, {l: i for i, l in enumerate(labels)}, hp['max_pos'])
        pred = predict(model, windows, recs, labels, tok.pad_id, device)
        if a.dump:
            with open(a.dump, 'w', encoding='utf-8') as f:
                f.writelines(json.dumps(p) + '\n' for p in pred)
        gold = [r['tags'] for r in recs]
        if not is_chunk_labels(labels):
            print(json.dumps({'data': path, 'docs': len(recs), 'accuracy': token_accuracy(gold, pred)}), flush=True)
            continue
        res = score(gold, pred)
        out = {'data': path, 'layout': not a.no_layout, 'docs': len(recs), 'f1': res['f1'], 'precision': res['precision'],
               'recall': res['recall'], 'per_type': {k: round(v['f1'], 4) for k, v in res['per_type'].items()}}
        if types:
            rt = score(gold, pred, types)
            out.update({'types': types, 'f1_types': rt['f1'], 'precision_types': rt['precision'], 'recall_types': rt['recall']})
        print(json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
