#!/usr/bin/env python3
"""Builds the tiny token-classification bundles committed under test/fixtures/tiny-model/.

Self-contained (torch + onnx only, no tokenizers/transformers): it writes
  test/fixtures/tiny-model/layout/   a LayoutLM-style graph: input_ids, attention_mask, token_type_ids, bbox
  test/fixtures/tiny-model/plain/    the same weights exported BERT/DistilBERT-style: input_ids, attention_mask
each with model.onnx, config.json (id2label, label2id, model_type, max_position_embeddings, ledgerlens
{name, version}), tokenizer.json (cased WordPiece in the Hugging Face tokenizers JSON format) and a
README.md model card, plus test/fixtures/tiny-model/expected.json: token ids and PyTorch logits for
known inputs, which the TypeScript tests compare with onnxruntime's output (tolerance 1e-4).

The model is trained for a few seconds on template sentences (dates, money, organisations) so its
predictions are meaningful. Deterministic: fixed seeds, single thread.

Run: /usr/bin/python3 training/make_tiny_bundle.py [--out test/fixtures/tiny-model]
A benchmark-sized graph elsewhere: ... --out /tmp/bench-model --hidden 192 --layers 3 --heads 4 --ffn 768 --steps 50
"""
import argparse
import json
import math
import os
import random
import unicodedata

import torch
from torch import nn

SEED = 13
LABELS = ['O', 'B-ORG', 'I-ORG', 'B-DATE', 'I-DATE', 'B-MONEY', 'I-MONEY']
HIDDEN, HEADS, LAYERS, FFN, MAX_POS = 32, 2, 2, 64, 512
SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']

# ---------------------------------------------------------------- synthetic data
ORGS = [['Acme', 'GmbH'], ['Globex', 'Corporation'], ['Initech', 'Ltd'], ['Umbrella', 'AG'], ['Stark', 'Industries'],
        ['Wayne', 'Enterprises', 'Inc'], ['Hooli'], ['Vandelay', 'Industries'], ['Northwind', 'Traders'], ['Contoso', 'Ltd']]
MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF']
TEMPLATES = [
    'Invoice from {org} dated {date}',
    'Total {money} due on {date}',
    '{org} invoice total {money}',
    'Bill to {org}',
    'Amount due : {money}',
    'Date : {date} Total : {money}',
    'Payment to {org} of {money} received {date}',
    'Thank you for your order',
    'Please pay within 30 days',
    'Invoice number 4711 issued by {org} on {date} for {money}',
    'Invoice from {org} dated {date} total {money}',
]


def rand_date(rng):
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2026)
    kind = rng.randint(0, 2)
    if kind == 0:
        return [f'{d:02d}.{m:02d}.{y}']
    if kind == 1:
        return [f'{y}-{m:02d}-{d:02d}']
    return [str(d), MONTHS[m - 1], str(y)]


def rand_money(rng):
    amount = f'{rng.randint(1, 9999):,}.{rng.randint(0, 99):02d}'
    cur = rng.choice(CURRENCIES)
    return [amount, cur] if rng.random() < 0.5 else [cur, amount]


def sentence(rng):
    """One template sentence as (words, IOB2 labels)."""
    words, labels = [], []
    for part in rng.choice(TEMPLATES).split(' '):
        if part in ('{org}', '{date}', '{money}'):
            kind = {'{org}': 'ORG', '{date}': 'DATE', '{money}': 'MONEY'}[part]
            ws = rng.choice(ORGS) if kind == 'ORG' else rand_date(rng) if kind == 'DATE' else rand_money(rng)
            for i, w in enumerate(ws):
                words.append(w)
                labels.append(('B-' if i == 0 else 'I-') + kind)
        else:
            words.append(part)
            labels.append('O')
    return words, labels


# ---------------------------------------------------------------- tokenizer (BERT pre-tokeniser + WordPiece)
def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith('P')


def pre_tokenize(text):
    """BertPreTokenizer: split on whitespace, each punctuation character is its own piece."""
    pieces, cur = [], ''
    for ch in text:
        if ch.isspace():
            if cur:
                pieces.append(cur)
            cur = ''
        elif is_punct(ch):
            if cur:
                pieces.append(cur)
            pieces.append(ch)
            cur = ''
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def wordpiece(piece, vocab):
    """Greedy longest-match-first, continuation pieces prefixed '##'; [UNK] for the whole piece on failure."""
    if len(piece) > 100:
        return ['[UNK]']
    out, start = [], 0
    while start < len(piece):
        end, cur = len(piece), None
        while start < end:
            sub = piece[start:end] if start == 0 else '##' + piece[start:end]
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return ['[UNK]']
        out.append(cur)
        start = end
    return out


def build_vocab():
    chars = [chr(c) for c in range(ord('a'), ord('z') + 1)] + [chr(c) for c in range(ord('A'), ord('Z') + 1)] + list('0123456789')
    punct = list('.,:;-/()$%&#@!?\'"+*=')
    words = set()
    for t in TEMPLATES:
        words.update(w for w in pre_tokenize(t.replace('{org}', '').replace('{date}', '').replace('{money}', '')))
    for org in ORGS:
        words.update(org)
    words.update(MONTHS)
    words.update(CURRENCIES)
    words.update(str(y) for y in range(2019, 2027))
    pieces = ['##' + c for c in chars] + ['##' + s for s in ('00', '50', '99', 'ing', 'ed', 's', 'er', 'tion')]
    vocab = SPECIALS + chars + punct + sorted(words - set(chars) - set(punct)) + pieces
    return {tok: i for i, tok in enumerate(dict.fromkeys(vocab))}


def tokenizer_json(vocab):
    added = [{'id': vocab[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
              'normalized': False, 'special': True} for t in SPECIALS]
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': added,
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': False, 'lowercase': False},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                       {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 1}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 1}}],
            'special_tokens': {t: {'id': t, 'ids': [vocab[t]], 'tokens': [t]} for t in ('[CLS]', '[SEP]')},
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',
                  'max_input_chars_per_word': 100, 'vocab': vocab},
    }


def encode_words(words, boxes, vocab):
    """Word-by-word encoding with [CLS]/[SEP]: ids, bbox per token (LayoutLM: [CLS] 0s, [SEP] 1000s), word index."""
    ids, bbox, word_ids = [vocab['[CLS]']], [[0, 0, 0, 0]], [-1]
    for wi, (w, b) in enumerate(zip(words, boxes)):
        for piece in pre_tokenize(w):
            for tok in wordpiece(piece, vocab):
                ids.append(vocab[tok])
                bbox.append(b)
                word_ids.append(wi)
    ids.append(vocab['[SEP]'])
    bbox.append([1000, 1000, 1000, 1000])
    word_ids.append(-1)
    return ids, bbox, word_ids


def layout_boxes(words, rng):
    """Words on one line, left to right, 0-1000 page coordinates."""
    x, y = rng.randint(20, 200), rng.randint(20, 900)
    boxes = []
    for w in words:
        width = min(8 + 9 * len(w), 200)
        if x + width > 990:
            x, y = rng.randint(20, 100), min(y + 25, 970)
        boxes.append([x, y, x + width, y + 18])
        x += width + 8
    return boxes


# ---------------------------------------------------------------- model
class TinyLayoutBert(nn.Module):
    def __init__(self, vocab_size, num_labels):
        super().__init__()
        self.word = nn.Embedding(vocab_size, HIDDEN)
        self.pos = nn.Embedding(MAX_POS, HIDDEN)
        self.segment = nn.Embedding(2, HIDDEN)
        self.box = nn.Linear(4, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(HIDDEN, HEADS, FFN, dropout=0.0, activation='gelu',
                                                                batch_first=True) for _ in range(LAYERS))
        self.head = nn.Linear(HIDDEN, num_labels)

    def encoder(self, x, attention_mask):
        # Additive mask, broadcast over heads: 0 where attended, -1e4 where padded.
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            q = k = v = x
            b, s, _ = x.shape
            attn = layer.self_attn
            w_q, w_k, w_v = attn.in_proj_weight.chunk(3)
            b_q, b_k, b_v = attn.in_proj_bias.chunk(3)
            hd = HIDDEN // HEADS

            def split(t):
                return t.view(b, s, HEADS, hd).transpose(1, 2)

            qh, kh, vh = split(q @ w_q.T + b_q), split(k @ w_k.T + b_k), split(v @ w_v.T + b_v)
            scores = (qh @ kh.transpose(-1, -2)) / math.sqrt(hd) + mask
            ctx = (scores.softmax(-1) @ vh).transpose(1, 2).reshape(b, s, HIDDEN)
            x = layer.norm1(x + attn.out_proj(ctx))
            x = layer.norm2(x + layer.linear2(nn.functional.gelu(layer.linear1(x))))
        return x

    def forward(self, input_ids, attention_mask, token_type_ids, bbox):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None, :]
        x = self.word(input_ids) + self.pos(positions) + self.segment(token_type_ids) + self.box(bbox.to(torch.float32) / 1000.0)
        return self.head(self.encoder(self.norm(x), attention_mask))


class LayoutExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids, bbox):
        return self.model(input_ids, attention_mask, token_type_ids, bbox)


class PlainExport(nn.Module):
    """BERT/DistilBERT-style graph: no token_type_ids, no bbox (both zero)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        zeros = torch.zeros_like(input_ids)
        bbox = torch.zeros(input_ids.shape[0], input_ids.shape[1], 4, dtype=torch.int64)
        return self.model(input_ids, attention_mask, zeros, bbox)


def pad_batch(items, pad_id):
    n = max(len(i[0]) for i in items)
    ids = torch.full((len(items), n), pad_id, dtype=torch.int64)
    mask = torch.zeros((len(items), n), dtype=torch.int64)
    bbox = torch.zeros((len(items), n, 4), dtype=torch.int64)
    labels = torch.full((len(items), n), -100, dtype=torch.int64)
    for r, (i, b, lab) in enumerate(items):
        ids[r, :len(i)] = torch.tensor(i)
        mask[r, :len(i)] = 1
        bbox[r, :len(i)] = torch.tensor(b)
        labels[r, :len(i)] = torch.tensor(lab)
    return ids, mask, bbox, labels


def make_example(rng, vocab):
    # 1-4 sentences in a row (so positions deep into a window are seen), sometimes cut at the front
    # (as a stride window starting mid-text is).
    words, labels = [], []
    for _ in range(rng.randint(1, 4)):
        w, lab = sentence(rng)
        words += w
        labels += lab
    if len(words) > 6 and rng.random() < 0.3:
        cut = rng.randint(1, 5)
        words, labels = words[cut:], labels[cut:]
    boxes = layout_boxes(words, rng)
    ids, bbox, word_ids = encode_words(words, boxes, vocab)
    # Train every subword on its word's label (B- only on the word's first subword), special tokens ignored.
    tok_labels, prev = [], None
    for wid in word_ids:
        if wid < 0:
            tok_labels.append(-100)
        else:
            lab = labels[wid]
            if wid == prev and lab.startswith('B-'):
                lab = 'I-' + lab[2:]
            tok_labels.append(LABELS.index(lab))
        prev = wid
    return ids, bbox, tok_labels


def train(model, vocab, steps, rng):
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    for step in range(steps):
        ids, mask, bbox, labels = pad_batch([make_example(rng, vocab) for _ in range(32)], vocab['[PAD]'])
        logits = model(ids, mask, torch.zeros_like(ids), bbox)
        loss = loss_fn(logits.reshape(-1, len(LABELS)), labels.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            print(f'step {step} loss {loss.item():.4f}')
    return loss.item()


def accuracy(model, vocab, rng, n=200):
    correct = total = 0
    with torch.no_grad():
        for _ in range(n):
            ids, bbox, labels = make_example(rng, vocab)
            t = torch.tensor([ids])
            pred = model(t, torch.ones_like(t), torch.zeros_like(t), torch.tensor([bbox])).argmax(-1)[0].tolist()
            for p, lab in zip(pred, labels):
                if lab >= 0:
                    total += 1
                    correct += int(p == lab)
    return correct / total


def export(module, args, names, path):
    dynamic = {n: {0: 'batch', 1: 'sequence'} for n in names}
    dynamic['logits'] = {0: 'batch', 1: 'sequence'}
    torch.onnx.export(module, args, path, input_names=names, output_names=['logits'], dynamic_axes=dynamic,
                      opset_version=14, do_constant_folding=True)


def write_bundle(out, variant, module, args, names, vocab, token_acc, model_type):
    d = os.path.join(out, variant)
    os.makedirs(d, exist_ok=True)
    export(module, args, names, os.path.join(d, 'model.onnx'))
    config = {
        'architectures': ['TinyLayoutBertForTokenClassification' if variant == 'layout' else 'TinyBertForTokenClassification'],
        'model_type': model_type,
        'hidden_size': HIDDEN, 'num_attention_heads': HEADS, 'num_hidden_layers': LAYERS, 'intermediate_size': FFN,
        'max_position_embeddings': MAX_POS, 'vocab_size': len(vocab), 'type_vocab_size': 2,
        'id2label': {str(i): lab for i, lab in enumerate(LABELS)},
        'label2id': {lab: i for i, lab in enumerate(LABELS)},
        'ledgerlens': {'name': f'tiny-{variant}', 'version': '1.0.0'},
    }
    with open(os.path.join(d, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(d, 'tokenizer.json'), 'w') as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False)
    inputs = ', '.join(names)
    with open(os.path.join(d, 'README.md'), 'w') as f:
        f.write(f"""# tiny-{variant} (test fixture)

A {LAYERS}-layer, {HIDDEN}-wide BERT-like token classifier ({model_type}), made by
`training/make_tiny_bundle.py` for Ledgerlens's tests. Not a useful model.

- Graph inputs: {inputs}; output `logits` [batch, sequence, {len(LABELS)}].
- Labels (IOB2): {', '.join(LABELS)}.
- Tokenizer: cased WordPiece, {len(vocab)} tokens, BertPreTokenizer, [CLS] ... [SEP].
- Training data: {len(TEMPLATES)} synthetic template sentences with random organisations, dates and
  amounts (seed {SEED}), a few seconds on CPU.
- Measured: token accuracy {token_acc:.4f} on 200 fresh synthetic sentences (PyTorch).
""")


def main():
    global HIDDEN, LAYERS, HEADS, FFN
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'tiny-model'))
    parser.add_argument('--steps', type=int, default=700)
    # Shape overrides, for benchmark-sized graphs outside the fixture (the defaults make the fixture).
    parser.add_argument('--hidden', type=int, default=HIDDEN)
    parser.add_argument('--layers', type=int, default=LAYERS)
    parser.add_argument('--heads', type=int, default=HEADS)
    parser.add_argument('--ffn', type=int, default=FFN)
    args = parser.parse_args()
    HIDDEN, LAYERS, HEADS, FFN = args.hidden, args.layers, args.heads, args.ffn
    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = random.Random(SEED)
    vocab = build_vocab()
    model = TinyLayoutBert(len(vocab), len(LABELS))
    train(model, vocab, args.steps, rng)
    model.eval()
    token_acc = accuracy(model, vocab, random.Random(SEED + 1))
    print(f'token accuracy {token_acc:.4f}')

    # Known inputs for the numeric check: one sentence with boxes, and a two-row padded batch.
    words = ['Invoice', 'from', 'Acme', 'GmbH', 'dated', '12.03.2024', 'total', '1,234.50', 'EUR', 'Zürich']
    boxes = [[40 + 90 * i, 100, 120 + 90 * i, 118] for i in range(len(words))]
    ids, bbox, word_ids = encode_words(words, boxes, vocab)
    ex_ids = torch.tensor([ids])
    ex_mask = torch.ones_like(ex_ids)
    ex_bbox = torch.tensor([bbox])
    with torch.no_grad():
        layout_logits = model(ex_ids, ex_mask, torch.zeros_like(ex_ids), ex_bbox)[0]
        plain_logits = PlainExport(model)(ex_ids, ex_mask)[0]

    out = os.path.abspath(args.out)
    write_bundle(out, 'layout', LayoutExport(model), (ex_ids, ex_mask, torch.zeros_like(ex_ids), ex_bbox),
                 ['input_ids', 'attention_mask', 'token_type_ids', 'bbox'], vocab, token_acc, 'layoutlm')
    write_bundle(out, 'plain', PlainExport(model), (ex_ids, ex_mask), ['input_ids', 'attention_mask'],
                 vocab, token_acc, 'bert')
    expected = {
        'comment': 'PyTorch logits for known inputs; made by training/make_tiny_bundle.py',
        'labels': LABELS,
        'words': words,
        'boxes': boxes,
        'input_ids': ids,
        'word_ids': word_ids,
        'token_bbox': bbox,
        'layout_logits': [[round(v, 6) for v in row] for row in layout_logits.tolist()],
        'plain_logits': [[round(v, 6) for v in row] for row in plain_logits.tolist()],
        'token_accuracy': token_acc,
    }
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump(expected, f)
    print('wrote', out)


if __name__ == '__main__':
    main()
