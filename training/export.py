"""Write a model bundle: model.onnx, config.json, tokenizer.json (README.md comes from model_card.py).

ONNX: inputs input_ids, attention_mask (int64 [batch, seq]) and bbox (int64 [batch, seq, 4],
0-1000), output logits [batch, seq, num_labels]; opset 14; batch and sequence axes dynamic.
Also writes parity.json (inputs + PyTorch logits) next to the bundle, for the onnxruntime check
that runs in Node (python here has no onnxruntime).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import torch

from wordpiece import WordPiece

OPSET = 14


def export_bundle(model: torch.nn.Module, tok: WordPiece, labels: list[str], hparams: dict, out_dir: str | Path,
                  name: str, version: str, parity_path: str | Path | None = None, extra: dict | None = None) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = model.to('cpu').eval()
    model.freeze_char_cache()
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(5, len(tok.vocab), (2, 24), generator=gen)
    ids[:, 0] = tok.cls_id
    ids[0, 23] = tok.sep_id
    ids[1, 15] = tok.sep_id
    ids[1, 16:] = tok.pad_id
    mask = (torch.arange(24) < torch.tensor([[24], [16]])).long()
    x0 = torch.randint(0, 900, (2, 24, 1), generator=gen)
    y0 = torch.randint(0, 950, (2, 24, 1), generator=gen)
    bbox = torch.cat([x0, y0, x0 + torch.randint(1, 100, (2, 24, 1), generator=gen),
                      y0 + torch.randint(1, 50, (2, 24, 1), generator=gen)], dim=-1)
    bbox[1, 16:] = 0
    with torch.no_grad():
        ref = model(ids, mask, bbox)
        torch.onnx.export(model, (ids, mask, bbox), str(out / 'model.onnx'), opset_version=OPSET,
                          input_names=['input_ids', 'attention_mask', 'bbox'], output_names=['logits'],
                          dynamic_axes={'input_ids': {0: 'batch', 1: 'sequence'},
                                        'attention_mask': {0: 'batch', 1: 'sequence'},
                                        'bbox': {0: 'batch', 1: 'sequence'},
                                        'logits': {0: 'batch', 1: 'sequence'}},
                          do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(str(out / 'model.onnx')))
    tok.save(str(out / 'tokenizer.json'))
    config = {
        'architectures': ['LayoutEncoderForTokenClassification'],
        'model_type': 'layoutlm',
        'id2label': {str(i): l for i, l in enumerate(labels)},
        'label2id': {l: i for i, l in enumerate(labels)},
        'num_labels': len(labels),
        'max_position_embeddings': hparams['max_pos'],
        'max_length': hparams['max_pos'],
        'max_2d_position_embeddings': 1001,
        'vocab_size': len(tok.vocab),
        'pad_token_id': tok.pad_id,
        'hidden_size': hparams['d'],
        'num_hidden_layers': hparams['layers'],
        'num_attention_heads': hparams['heads'],
        'intermediate_size': hparams['ff'],
        'ledgerlens': {'name': name, 'version': version,
                       # a model without layout embeddings exports no bbox input (the graph drops it)
                       **({'inputs': ['input_ids', 'attention_mask', 'bbox'],
                           'bbox': 'word box, 0-1000 of the page (LayoutLM); every piece of a word gets its word box; '
                                   'boxes of [CLS], [SEP] and padding are ignored by the model'}
                          if hparams.get('box_features', True) else {'inputs': ['input_ids', 'attention_mask']}),
                       'padding': 'right',
                       # training words are DocumentText's whitespace words: free text is cut the same way
                       'word_split': 'whitespace', 'onnx_opset': OPSET, 'hparams': hparams,
                       **({'crf': model.crf.export()} if getattr(model, 'crf', None) is not None else {}),
                       **(extra or {})},
    }
    card = out / 'README.md'
    if not card.exists():
        card.write_text(f'# {name} {version}\n\nModel card pending: training/model_card.py writes it from measured results.\n',
                        encoding='utf-8')
    (out / 'config.json').write_text(json.dumps(config, indent=2, ensure_ascii=False) + '\n', encoding='utf-8')
    if parity_path is not None:
        Path(parity_path).write_text(json.dumps({
            'input_ids': ids.tolist(), 'attention_mask': mask.tolist(), 'bbox': bbox.tolist(),
            'logits': ref.tolist(), 'shape': list(ref.shape)}), encoding='utf-8')
