"""Train the Ledgerlens token classifier from scratch, score on dev (seqeval default), export a bundle.

  nice -n 10 python3 training/train.py --train runs/corpus/sroie-train.jsonl \\
      --dev runs/corpus/sroie-dev.jsonl --out runs/sroie --max-minutes 20

Resumable: state is saved to OUT/checkpoint.pt at every evaluation; rerunning the same command
continues from it (use --fresh to start over). The best dev state goes to OUT/best.pt; --bundle
exports it. A training file may carry a repeat factor: path.jsonl:3 (oversampling).
Runs on CUDA when available (--device), otherwise CPU with --threads threads.
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

# OpenBLAS's own thread pool on top of torch's threads oversubscribes a busy 2-core machine
# (measured here: 6.1 s/step with 2 torch threads vs 1.1 s/step with 1 thread and OPENBLAS 1).
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import INVOICE_LABELS, iob2_labels, is_chunk_labels, label_types, read_jsonl, tag_set  # noqa: E402
from crf import word_positions  # noqa: E402
from data import batches, collate, encode  # noqa: E402
from model import LayoutEncoder, token_char_table  # noqa: E402
from seqeval_score import score  # noqa: E402
from wordpiece import WordPiece, count_words, train as train_wordpiece  # noqa: E402


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--train', nargs='+', required=True, help='corpus JSONL files, optionally path:repeat')
    ap.add_argument('--dev', nargs='*', default=[])
    ap.add_argument('--test', nargs='*', default=[], help='scored once at the end with the best state')
    ap.add_argument('--out', required=True)
    ap.add_argument('--labels', default='invoice',
                    help="'invoice' (src/core/labels.ts), 'auto' (IOB2 types from train tags) or 'tags' (the train tags as they are, e.g. PoS)")
    ap.add_argument('--tokenizer', help='existing tokenizer.json; default: train one on --vocab-corpus')
    ap.add_argument('--vocab-corpus', nargs='*', help='text for the WordPiece vocab (default: the train files)')
    ap.add_argument('--vocab-size', type=int, default=8000)
    ap.add_argument('--pre-tokenizer', choices=['whitespace', 'bert'], default='whitespace',
                    help='new tokenizers: WhitespaceSplit (a word\'s inner pieces are ## continuations) or BertPreTokenizer')
    ap.add_argument('--d', type=int, default=192)
    ap.add_argument('--layers', type=int, default=3)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--ff', type=int, default=768)
    ap.add_argument('--lstm', action='store_true', help='a length-aware BiLSTM under the transformer')
    ap.add_argument('--lstm-layers', type=int, default=0, help='stacked pre-norm BiLSTM blocks (after the convs)')
    ap.add_argument('--lstm-hidden', type=int, default=0, help='BiLSTM units per direction (default d/2)')
    ap.add_argument('--crf', action='store_true', help='CRF output layer over words (decoded by the engine from config.json)')
    ap.add_argument('--word-dropout', type=float, default=0.0, help='share of training words whose pieces become [UNK]')
    ap.add_argument('--fragment-rare', type=float, default=0.0,
                    help='share of the occurrences of rare training words (seen at most 3 times) fed as the pieces an unseen word gets')
    ap.add_argument('--no-box-features', action='store_true', help='no 2D layout embeddings (corpora without boxes)')
    ap.add_argument('--punct-noise', type=float, default=0.0,
                    help="share of training words given a trailing , . ; or : (prose punctuation), label kept; fixed per run")
    ap.add_argument('--init', help='start from these weights (pretrain_mlm.py output); the label head and CRF start fresh')
    ap.add_argument('--conv-layers', type=int, default=0, help='residual 1D conv blocks before the transformer')
    ap.add_argument('--conv-kernel', type=int, default=5)
    ap.add_argument('--char-filters', type=int, default=128)
    ap.add_argument('--max-len', type=int, default=512)
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--embed-dropout', type=float, default=0.1)
    ap.add_argument('--no-layout-prob', type=float, default=0.0,
                    help='share of training windows whose boxes are zeroed, so the model also works without layout')
    ap.add_argument('--batch-tokens', type=int, default=4096)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--weight-decay', type=float, default=0.01)
    ap.add_argument('--warmup', type=float, default=0.05, help='fraction of the schedule')
    ap.add_argument('--schedule', choices=['linear', 'cosine', 'constant'], default='linear', help='LR after warmup')
    ap.add_argument('--epochs', type=float, default=10)
    ap.add_argument('--max-minutes', type=float, default=0, help='wall budget; the LR schedule follows it')
    ap.add_argument('--max-cpu-minutes', type=float, default=0,
                    help='CPU budget (this process, all threads): the schedule follows CPU time, so runs compare on a shared machine')
    ap.add_argument('--max-steps', type=int, default=0)
    ap.add_argument('--eval-every', type=int, default=200, help='steps')
    ap.add_argument('--score-types', default='', help='comma list: also report F1 restricted to these types')
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--threads', type=int, default=1, help='CPU threads (1 is fastest on a shared, busy 2-core machine)')
    ap.add_argument('--device', default='auto')
    ap.add_argument('--fresh', action='store_true')
    ap.add_argument('--bundle', help='export the best state as a bundle into this folder')
    ap.add_argument('--name', default='ledgerlens-invoice')
    ap.add_argument('--version', default='0.1.0')
    return ap.parse_args(argv)


def load(paths: list[str]) -> list[dict]:
    recs = []
    for spec in paths:
        path, _, rep = spec.partition(':')
        rs = list(read_jsonl(path))
        recs += rs * (int(rep) if rep else 1)
    return recs


def log(out: Path, msg: dict) -> None:
    line = json.dumps(msg)
    print(line, flush=True)
    with open(out / 'log.jsonl', 'a', encoding='utf-8') as f:
        f.write(line + '\n')


@torch.no_grad()
def predict(model, windows, records, id2label, pad_id, device, batch_tokens=8192) -> list[list[str]]:
    """Word labels: first piece's argmax, or with a CRF the Viterbi path over each window's words."""
    model.eval()
    model.freeze_char_cache()
    outside = 'O' if 'O' in id2label else id2label[0]
    preds = [[outside] * len(r['words']) for r in records]
    for b in batches(windows, batch_tokens, shuffle=False):
        t = collate(b, pad_id)
        logits = model(t['input_ids'].to(device), t['attention_mask'].to(device), t['bbox'].to(device)).cpu()
        if model.crf is not None:
            idx, mask = word_positions(t['labels'])
            paths = model.crf.decode(torch.log_softmax(logits.gather(1, idx.unsqueeze(-1).expand(-1, -1, logits.shape[2])), -1), mask)
            for w, path in zip(b, paths):
                for wi, c in zip(w.word_index, path):
                    preds[w.doc][wi] = id2label[c]
            continue
        best = logits.argmax(-1)
        for r, w in enumerate(b):
            pos = [k for k, l in enumerate(w.labels) if l != -100]
            for wi, k in zip(w.word_index, pos):
                preds[w.doc][wi] = id2label[int(best[r, k])]
    return preds


def token_accuracy(gold: list[list[str]], pred: list[list[str]]) -> float:
    pairs = [(g, p) for gs, ps in zip(gold, pred) for g, p in zip(gs, ps)]
    return sum(g == p for g, p in pairs) / max(len(pairs), 1)


def evaluate(model, windows, records, labels, pad_id, device, types: list[str]) -> dict:
    """Entity F1 (seqeval default) for chunk labels; token accuracy (as 'f1', the selection key) for tag sets."""
    pred = predict(model, windows, records, labels, pad_id, device)
    gold = [r['tags'] for r in records]
    if not is_chunk_labels(labels):
        acc = token_accuracy(gold, pred)
        return {'f1': acc, 'accuracy': acc}
    res = score(gold, pred)
    out = {'f1': res['f1'], 'precision': res['precision'], 'recall': res['recall'],
           'accuracy': round(token_accuracy(gold, pred), 5),
           'per_type': {k: round(v['f1'], 4) for k, v in res['per_type'].items()}}
    if types:
        out['f1_types'] = score(gold, pred, types)['f1']
    return out


def punct_noise(records: list[dict], p: float, rng: random.Random) -> list[dict]:
    """Copies of the records where a share p of the words not already ending in punctuation get a
    trailing , . ; or : (as words read from running text do), each keeping its tag."""
    out = []
    for r in records:
        words = [w + rng.choice(',.;:') if w and w[-1].isalnum() and rng.random() < p else w for w in r['words']]
        out.append({**r, 'words': words})
    return out


def schedule(p: float, warmup: float, kind: str) -> float:
    """LR factor at progress p in [0, 1]: linear warmup, then linear decay to 0, cosine, or constant."""
    if p < warmup:
        return min(1.0, p / warmup)
    q = (p - warmup) / max(1 - warmup, 1e-9)
    if kind == 'constant':
        return 1.0
    if kind == 'cosine':
        return 0.5 * (1 + math.cos(math.pi * min(q, 1.0)))
    return max(0.0, 1 - q)


def rare_fragments(records: list[dict], tok: WordPiece, p: float, seed: int):
    """None, or a pieces function that gives a share p of the occurrences of words seen at most 3 times
    in training the pieces of an unseen word (WordPiece.fragment_word): unseen test words are split
    into pieces the model otherwise rarely sees labelled. Fixed for the run (seeded)."""
    if p <= 0:
        return None
    counts: dict[str, int] = {}
    for r in records:
        for w in r['words']:
            counts[w] = counts.get(w, 0) + 1
    rng = random.Random(seed + 7)
    return lambda w: tok.fragment_word(w) if counts.get(w, 0) <= 3 and rng.random() < p else tok.encode_word(w)


def word_dropout(ids: torch.Tensor, labels: torch.Tensor, p: float, unk_id: int, rng: random.Random,
                 specials: list[int]) -> torch.Tensor:
    """Replaces every piece of a share p of the words by [UNK]. A word is its labelled first piece and
    the unlabelled pieces after it; special tokens and padding are never replaced."""
    gen = torch.Generator().manual_seed(rng.randrange(2 ** 31))
    starts = labels != -100
    drop = starts & (torch.rand(ids.shape, generator=gen) < p)
    word = torch.cumsum(starts.long(), 1)  # the word number of each piece; 0 for [CLS]
    hit = torch.zeros(ids.shape[0], int(word.max()) + 1, dtype=torch.bool)
    hit.scatter_(1, word.masked_fill(~drop, 0), drop)
    hit[:, 0] = False
    dropped = hit.gather(1, word)
    for sid in specials:
        dropped &= ids != sid
    return ids.masked_fill(dropped, unk_id)


def loss_of(model, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy over labelled pieces, or the CRF's negative log-likelihood per word."""
    if model.crf is None:
        return torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)
    idx, mask = word_positions(labels.cpu())
    idx, mask = idx.to(logits.device), mask.to(logits.device)
    keep = mask[:, 0]
    em = logits.gather(1, idx.unsqueeze(-1).expand(-1, -1, logits.shape[2]))[keep]
    tags = labels.gather(1, idx)[keep]
    return model.crf.nll(em, tags, mask[keep]) / mask.sum().clamp(min=1)


def main(argv=None) -> dict:
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    device = torch.device('cuda' if a.device == 'auto' and torch.cuda.is_available() else
                          ('cpu' if a.device == 'auto' else a.device))
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    train_recs = load(a.train)
    if a.punct_noise > 0:
        train_recs = punct_noise(train_recs, a.punct_noise, random.Random(a.seed + 1))
    dev_recs = load(a.dev)
    labels = (INVOICE_LABELS if a.labels == 'invoice' else tag_set(train_recs) if a.labels == 'tags'
              else iob2_labels(label_types(train_recs)))
    label2id = {l: i for i, l in enumerate(labels)}
    tok_path = out / 'tokenizer.json'
    if a.tokenizer:
        tok = WordPiece.load(a.tokenizer)
    elif tok_path.exists() and not a.fresh:
        tok = WordPiece.load(str(tok_path))
    else:
        t0 = time.time()
        src = a.vocab_corpus or [s.partition(':')[0] for s in a.train]
        tok = WordPiece(train_wordpiece(count_words(src, a.pre_tokenizer), a.vocab_size), a.pre_tokenizer)
        log(out, {'event': 'tokenizer', 'vocab': len(tok.vocab), 'seconds': round(time.time() - t0, 1)})
    tok.save(str(tok_path))
    chars = {c: i + 2 for i, c in enumerate(sorted({c for t in tok.vocab for c in t.removeprefix('##')}))}
    hp = dict(d=a.d, layers=a.layers, heads=a.heads, ff=a.ff, lstm=a.lstm, conv_layers=a.conv_layers,
              conv_kernel=a.conv_kernel, max_pos=a.max_len,
              char_filters=a.char_filters, dropout=a.dropout, embed_dropout=a.embed_dropout,
              lstm_layers=a.lstm_layers, lstm_hidden=a.lstm_hidden, crf=a.crf, box_features=not a.no_box_features)
    model = LayoutEncoder(len(tok.vocab), len(labels), token_char_table(tok.vocab, chars), len(chars) + 2,
                          [tok.cls_id, tok.sep_id, tok.pad_id], labels=labels, **hp).to(device)
    if a.init and not (out / 'checkpoint.pt').exists() or a.init and a.fresh:
        init = torch.load(a.init, map_location=device)['model']
        own = model.state_dict()
        take = {k: v for k, v in init.items() if k in own and own[k].shape == v.shape and not k.startswith(('head.', 'crf.'))}
        model.load_state_dict(take, strict=False)
        log(out, {'event': 'init', 'from': a.init, 'tensors': len(take), 'of': len(own)})
    train_w = encode(train_recs, tok, label2id, a.max_len, rare_fragments(train_recs, tok, a.fragment_rare, a.seed))
    dev_w = encode(dev_recs, tok, label2id, a.max_len)
    n_tokens = sum(len(w.ids) for w in train_w)
    rng = random.Random(a.seed)
    steps_per_epoch = len(batches(train_w, a.batch_tokens, shuffle=True, rng=random.Random(0)))
    total_steps = a.max_steps or int(math.ceil(a.epochs * steps_per_epoch))
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.dim() < 2 or 'ln' in n else decay).append(p)
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.weight_decay},
                             {'params': no_decay, 'weight_decay': 0.0}], lr=a.lr)
    state = {'step': 0, 'epoch': 0, 'elapsed': 0.0, 'best': -1.0, 'history': []}
    ckpt = out / 'checkpoint.pt'
    if ckpt.exists() and not a.fresh:
        c = torch.load(ckpt, map_location=device)
        model.load_state_dict(c['model'])
        opt.load_state_dict(c['opt'])
        state = c['state']
        rng.setstate(c['rng'])
        log(out, {'event': 'resume', 'step': state['step']})
    log(out, {'event': 'start', 'train_docs': len(train_recs), 'train_windows': len(train_w), 'train_tokens': n_tokens,
              'dev_docs': len(dev_recs), 'params': sum(p.numel() for p in model.parameters()), 'labels': len(labels),
              'steps_per_epoch': steps_per_epoch, 'total_steps': total_steps, 'device': str(device), 'hparams': hp})
    types = [t for t in a.score_types.split(',') if t]
    budget = a.max_minutes * 60
    cpu_budget = a.max_cpu_minutes * 60
    t_start = time.time() - state['elapsed']
    cpu_start = time.process_time() - state.get('cpu', 0.0)  # CPU seconds of this process, all threads

    def progress() -> float:
        p = state['step'] / max(total_steps, 1)
        if budget:
            p = max(p, (time.time() - t_start) / budget)
        if cpu_budget:
            p = max(p, (time.process_time() - cpu_start) / cpu_budget)
        return min(p, 1.0)

    def checkpoint(final: bool = False) -> None:
        state['elapsed'] = time.time() - t_start
        state['cpu'] = time.process_time() - cpu_start
        res = evaluate(model, dev_w, dev_recs, labels, tok.pad_id, device, types) if dev_recs else {'f1': 0.0}
        state['history'].append({'step': state['step'], 'epoch': round(state['epoch'], 2), **res})
        improved = res['f1'] > state['best'] or not dev_recs
        if improved:
            state['best'] = res['f1']
            torch.save({'model': model.state_dict(), 'hparams': hp, 'labels': labels, 'step': state['step']}, out / 'best.pt')
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'state': state, 'rng': rng.getstate()}, ckpt)
        log(out, {'event': 'eval', 'step': state['step'], 'epoch': round(state['epoch'], 2),
                  'minutes': round(state['elapsed'] / 60, 2), 'cpu_minutes': round(state['cpu'] / 60, 2), 'best': improved, **res})
        model.train()

    model.train()
    done = progress() >= 1.0
    loss_sum, loss_n, t_log = 0.0, 0, time.time()
    while not done:
        epoch_batches = batches(train_w, a.batch_tokens, shuffle=True, rng=rng)
        skip = int(round((state['epoch'] % 1) * len(epoch_batches)))
        for b in epoch_batches[skip:]:
            p = progress()
            lr = a.lr * schedule(p, a.warmup, a.schedule)
            for g in opt.param_groups:
                g['lr'] = lr
            t = collate(b, tok.pad_id)
            if a.no_layout_prob > 0:
                drop = torch.tensor([rng.random() < a.no_layout_prob for _ in b])
                t['bbox'][drop] = 0
            if a.word_dropout > 0:
                t['input_ids'] = word_dropout(t['input_ids'], t['labels'], a.word_dropout, tok.unk_id, rng,
                                              [tok.cls_id, tok.sep_id, tok.pad_id])
            t = {k: v.to(device) for k, v in t.items()}
            logits = model(t['input_ids'], t['attention_mask'], t['bbox'])
            loss = loss_of(model, logits, t['labels'])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state['step'] += 1
            state['epoch'] += 1 / len(epoch_batches)
            loss_sum += float(loss)
            loss_n += 1
            if time.time() - t_log > 60:
                log(out, {'event': 'train', 'step': state['step'], 'epoch': round(state['epoch'], 2), 'lr': round(lr, 6),
                          'loss': round(loss_sum / loss_n, 4), 'minutes': round((time.time() - t_start) / 60, 2),
                          'cpu_minutes': round((time.process_time() - cpu_start) / 60, 2)})
                loss_sum, loss_n, t_log = 0.0, 0, time.time()
            if progress() >= 1.0 or (a.max_steps and state['step'] >= a.max_steps):
                done = True
                break
            if state['step'] % a.eval_every == 0:
                checkpoint()
        state['epoch'] = round(state['epoch'])
    checkpoint(final=True)
    best = torch.load(out / 'best.pt', map_location=device)
    model.load_state_dict(best['model'])
    summary = {'event': 'done', 'best_dev_f1': state['best'], 'best_step': best['step'], 'steps': state['step'],
               'minutes': round((time.time() - t_start) / 60, 2), 'cpu_minutes': round(state['cpu'] / 60, 2)}
    test_recs = load(a.test)
    if test_recs:
        summary['test'] = evaluate(model, encode(test_recs, tok, label2id, a.max_len), test_recs, labels, tok.pad_id, device, types)
    if dev_recs:
        summary['dev'] = evaluate(model, dev_w, dev_recs, labels, tok.pad_id, device, types)
    if a.bundle:
        from export import export_bundle
        export_bundle(model, tok, labels, {**hp, 'seed': a.seed}, a.bundle, a.name, a.version,
                      parity_path=out / 'parity.json',
                      extra={'train_files': [Path(s.partition(':')[0]).name + (':' + s.partition(':')[2] if ':' in s else '')
                                             for s in a.train]})
        summary['bundle'] = a.bundle
    log(out, summary)
    return summary


if __name__ == '__main__':
    main()
