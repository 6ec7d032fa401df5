"""Write a bundle's README.md model card from measured results (never from guesses).

  python3 training/model_card.py --bundle models/ledgerlens-invoice --results runs/default/results.json

results.json: {"train_summary": <train.py's final log line>, "train_log": "path", "data": {name: {docs, words}},
"scores": [{"set", "f1", "precision", "recall", "per_type", "command", "by"}], "speed": {...},
"parity": float, "wall_minutes": float, "build_command": str}
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def fmt(x) -> str:
    return f'{x:.4f}' if isinstance(x, float) else str(x)


def card(bundle: Path, r: dict) -> str:
    cfg = json.loads((bundle / 'config.json').read_text(encoding='utf-8'))
    hp = cfg['ledgerlens']['hparams']
    size = sum(p.stat().st_size for p in bundle.iterdir() if p.is_file() and p.name != 'README.md')
    vocab = cfg['vocab_size']
    labels = [cfg['id2label'][str(i)] for i in range(cfg['num_labels'])]
    boxes = hp.get('box_features', True)
    lines = [
        f"# {cfg['ledgerlens']['name']} {cfg['ledgerlens']['version']}",
        '',
        *(('Ledgerlens\'s default invoice token classifier: a small encoder trained from scratch (no pretrained',
         'weights), LayoutLM-style inputs (`input_ids`, `attention_mask`, `bbox` 0-1000), IOB2 labels.') if boxes else
        ('Ledgerlens\'s token classifier for plain text (`ledgerlens ner "..."`): a small encoder trained from scratch',
         '(no pretrained weights) on documents\' words and running text, inputs `input_ids` and `attention_mask` (no layout), IOB2 labels.')),
        '',
        '## Model',
        f"- Word-piece embedding (cased WordPiece, {vocab} pieces, trained on the training text) + char-CNN over each",
        f"  piece's characters ({hp['char_filters']} filters) + 1D positions ({hp['max_pos']})"
        + (' + 2D layout embeddings (x0, y0, x1, y1, width, height)' if boxes else ' (no layout embeddings)'),
        f"  -> {(str(hp['conv_layers']) + ' residual conv blocks (kernel ' + str(hp['conv_kernel']) + ') -> ') if hp.get('conv_layers') else ''}{'length-aware BiLSTM -> ' if hp.get('lstm') else ''}{hp['layers']} pre-norm transformer layers (hidden {hp['d']}, {hp['heads']} heads, FFN {hp['ff']}) -> linear head.",
        f"- ONNX opset {cfg['ledgerlens']['onnx_opset']}, dynamic batch and sequence; bundle size {size / 1e6:.2f} MB (model.onnx, config.json, tokenizer.json).",
        "- Every piece of a word carries the word's box; the model ignores the boxes of [CLS], [SEP] and padding. Right padding."
        if boxes else '- Words are whitespace words (config.json word_split); right padding.',
        f"- Labels ({len(labels)}): {', '.join(labels)}.",
        '',
        '## Training data',
    ]
    for name, d in r.get('data', {}).items():
        lines.append(f"- {name}: {d.get('docs')} documents, {d.get('words')} words{(' - ' + d['note']) if d.get('note') else ''}")
    s = r.get('train_summary', {})
    lines += [
        '',
        f"Trained {s.get('steps')} steps ({s.get('minutes')} min on this machine's CPU); best dev state at step {s.get('best_step')},"
        f" seed {hp.get('seed')}.",
        '',
        '## Scores (entity-level, seqeval default mode, dev data never trained on)',
        '',
        '| set | F1 | precision | recall | per type F1 | scored by |',
        '|---|---|---|---|---|---|',
    ]
    for sc in r.get('scores', []):
        per = ', '.join(f'{k} {v:.3f}' if isinstance(v, float) else f'{k} {v}' for k, v in (sc.get('per_type') or {}).items())
        lines.append(f"| {sc['set']} | {fmt(sc['f1'])} | {fmt(sc.get('precision', ''))} | {fmt(sc.get('recall', ''))} | {per} | {sc.get('by', '')} |")
    lines.append('')
    for sc in r.get('scores', []):
        if sc.get('command'):
            lines.append(f"- {sc['set']}: `{sc['command']}`")
    targets = r.get('targets') or []
    if targets:
        lines += ['', '## Targets (issue 5)', '']
        lines += [f"- {t['what']}: target {t['target']}, measured {t['measured']:.4f} ({'met' if t['measured'] >= t['target'] else 'missed'}){(' - ' + t['note']) if t.get('note') else ''}"
                  for t in targets]
    sp = r.get('speed')
    if sp:
        lines += ['', '## Speed', '',
                  f"CPU inference with onnxruntime-node, 2 intra-op threads, one document per call, on this shared 2-core machine:"
                  f" {sp['wordsPerSecond']} words/s wall ({sp['words']} words of {sp['docs']} documents in {sp['seconds']} s);"
                  f" the process used {sp.get('cpuSeconds')} CPU-seconds, i.e. {sp.get('wordsPerCpuSecond')} words per CPU-second"
                  " (the machine is shared with other jobs, so wall time depends on their load).",
                  f"Command: `{sp.get('command', '')}`"]
    if r.get('parity') is not None:
        lines += ['', f"ONNX vs PyTorch parity: max abs logit difference {r['parity']:.2e} (`node --import tsx training/bundle-check.ts`)."]
    lines += ['', '## Rebuild', '', f"`{r.get('build_command', 'bash training/build-default.sh')}` rebuilds this bundle with a fixed seed"
              + (f"; it took {r['wall_minutes']:.1f} min wall on the shared 2-core machine." if r.get('wall_minutes') else '.'),
              'Results vary with the machine and its load: training is time-budgeted (the LR schedule follows wall time),'
              ' so a busier machine trains fewer steps.'] + ([r['rebuild_note']] if r.get('rebuild_note') else [])
    lines += ['', '## Limitations', ''] + [f'- {x}' for x in r.get('limitations', [])]
    lines += ['', '## Licences', '',
              '- SROIE receipts: CC-BY-4.0 (ICDAR 2019 SROIE); the bundle carries no SROIE text beyond WordPiece vocabulary.',
              '- WNUT-17 text (CC-BY-4.0) may feed the WordPiece vocabulary; CoNLL-2003 is never used for shipped bundles.']
    return '\n'.join(lines) + '\n'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--results', required=True)
    a = ap.parse_args()
    bundle = Path(a.bundle)
    r = json.loads(Path(a.results).read_text(encoding='utf-8'))
    (bundle / 'README.md').write_text(card(bundle, r), encoding='utf-8')
    print(f'model card -> {bundle / "README.md"}')


if __name__ == '__main__':
    main()
