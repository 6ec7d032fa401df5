"""Masked-LM pretraining of the encoder on unlabelled text (corpus JSONL; tags, if any, are ignored).

  nice -n 10 python3 training/pretrain_mlm.py --corpus a.jsonl b.jsonl --tokenizer runs/x/tokenizer.json \\
      --out runs/x-mlm --max-cpu-minutes 20 --d 256 --lstm-layers 2 ...   (the same model flags as train.py)
  python3 training/train.py ... --tokenizer runs/x/tokenizer.json --init runs/x-mlm/mlm.pt

BERT's recipe: 15 % of the pieces are chosen; of those 80 % become [MASK], 10 % a random piece,
10 % stay; the loss is cross-entropy on the chosen pieces, predicted from the encoder's final states
through a linear head tied to the piece embeddings. The char features of a masked piece are those
of [MASK] (the input is the mask token), so nothing leaks. Saves OUT/mlm.pt (encoder weights +
hparams) at every log line and at the end; resumable like train.py.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import batches, collate, encode  # noqa: E402
from model import LayoutEncoder, token_char_table  # noqa: E402
from train import load, schedule  # noqa: E402
from wordpiece import WordPiece  # noqa: E402


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--corpus', nargs='+', required=True, help='JSONL files, optionally path:repeat')
    ap.add_argument('--tokenizer', required=True)
    ap.add_argument('--out', required=True)
    for name, default in [('d', 192), ('layers', 3), ('heads', 4), ('ff', 768), ('lstm-layers', 0), ('lstm-hidden', 0),
                          ('conv-layers', 0), ('conv-kernel', 5), ('char-filters', 128), ('max-len', 512), ('batch-tokens', 4096)]:
        ap.add_argument(f'--{name}', type=int, default=default)
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--embed-dropout', type=float, default=0.1)
    ap.add_argument('--no-box-features', action='store_true')
    ap.add_argument('--mask-prob', type=float, default=0.15)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--warmup', type=float, default=0.05)
    ap.add_argument('--max-cpu-minutes', type=float, required=True, help='CPU budget; the LR schedule follows it')
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--fresh', action='store_true')
    return ap.parse_args(argv)


def mask_pieces(ids: torch.Tensor, attention: torch.Tensor, specials: list[int], vocab: int, mask_id: int,
                p: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    real = attention.bool()
    for sid in specials:
        real &= ids != sid
    chosen = real & (torch.rand(ids.shape, generator=gen) < p)
    targets = torch.where(chosen, ids, torch.full_like(ids, -100))
    r = torch.rand(ids.shape, generator=gen)
    out = ids.clone()
    out[chosen & (r < 0.8)] = mask_id
    rand_ids = torch.randint(5, vocab, ids.shape, generator=gen)
    swap = chosen & (r >= 0.8) & (r < 0.9)
    out[swap] = rand_ids[swap]
    return out, targets


def main(argv=None) -> None:
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    tok = WordPiece.load(a.tokenizer)
    recs = load(a.corpus)
    for r in recs:
        r['tags'] = ['O'] * len(r['words'])
    chars = {c: i + 2 for i, c in enumerate(sorted({c for t in tok.vocab for c in t.removeprefix('##')}))}
    hp = dict(d=a.d, layers=a.layers, heads=a.heads, ff=a.ff, lstm=False, conv_layers=a.conv_layers,
              conv_kernel=a.conv_kernel, max_pos=a.max_len, char_filters=a.char_filters, dropout=a.dropout,
              embed_dropout=a.embed_dropout, lstm_layers=a.lstm_layers, lstm_hidden=a.lstm_hidden,
              box_features=not a.no_box_features)
    model = LayoutEncoder(len(tok.vocab), 1, token_char_table(tok.vocab, chars), len(chars) + 2,
                          [tok.cls_id, tok.sep_id, tok.pad_id], **hp)
    bias = torch.nn.Parameter(torch.zeros(len(tok.vocab)))
    windows = encode(recs, tok, {'O': 0}, a.max_len)
    params = list(model.parameters()) + [bias]
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.01)
    state = {'step': 0, 'elapsed': 0.0}
    ckpt = out / 'checkpoint.pt'
    if ckpt.exists() and not a.fresh:
        c = torch.load(ckpt)
        model.load_state_dict(c['model'])
        bias.data.copy_(c['bias'])
        opt.load_state_dict(c['opt'])
        state = c['state']
    rng = random.Random(a.seed + state['step'])
    gen = torch.Generator().manual_seed(a.seed + state['step'])
    budget = a.max_cpu_minutes * 60
    t_start = time.time() - state['elapsed']
    cpu_start = time.process_time() - state.get('cpu', 0.0)
    n_tokens = sum(len(w.ids) for w in windows)
    print(json.dumps({'event': 'start', 'docs': len(recs), 'windows': len(windows), 'tokens': n_tokens,
                      'params': sum(p.numel() for p in params), 'hparams': hp}), flush=True)

    def save() -> None:
        state['elapsed'] = time.time() - t_start
        state['cpu'] = time.process_time() - cpu_start
        torch.save({'model': model.state_dict(), 'hparams': hp}, out / 'mlm.pt')
        torch.save({'model': model.state_dict(), 'bias': bias.data, 'opt': opt.state_dict(), 'state': state}, ckpt)

    model.train()
    loss_sum, loss_n, t_log, done = 0.0, 0, time.time(), False
    while not done:
        for b in batches(windows, a.batch_tokens, shuffle=True, rng=rng):
            p = min(1.0, (time.process_time() - cpu_start) / budget)
            if p >= 1.0:
                done = True
                break
            for g in opt.param_groups:
                g['lr'] = a.lr * schedule(p, a.warmup, 'linear')
            t = collate(b, tok.pad_id)
            ids, targets = mask_pieces(t['input_ids'], t['attention_mask'], [tok.cls_id, tok.sep_id, tok.pad_id],
                                       len(tok.vocab), tok.mask_id, a.mask_prob, gen)
            h = model.features(ids, t['attention_mask'], t['bbox'])
            sel = targets != -100
            if not sel.any():
                continue
            logits = h[sel] @ model.tok.weight.t() + bias  # tied to the piece embeddings
            loss = torch.nn.functional.cross_entropy(logits, targets[sel])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            state['step'] += 1
            loss_sum += float(loss)
            loss_n += 1
            if time.time() - t_log > 60:
                save()
                print(json.dumps({'event': 'train', 'step': state['step'], 'loss': round(loss_sum / loss_n, 4),
                                  'ppl': round(math.exp(min(loss_sum / loss_n, 20)), 1),
                                  'minutes': round(state['elapsed'] / 60, 2), 'cpu_minutes': round(state['cpu'] / 60, 2)}), flush=True)
                loss_sum, loss_n, t_log = 0.0, 0, time.time()
    save()
    print(json.dumps({'event': 'done', 'steps': state['step'], 'minutes': round(state['elapsed'] / 60, 2),
                      'cpu_minutes': round(state['cpu'] / 60, 2), 'out': str(out / 'mlm.pt')}), flush=True)


if __name__ == '__main__':
    main()
