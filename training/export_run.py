"""Export a finished run's best state (OUT/best.pt) as a bundle.

  python3 training/export_run.py --run runs/sroie-c --bundle runs/sroie-c/bundle
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
from export import export_bundle  # noqa: E402
from score import load_run  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--name', default='ledgerlens-experiment')
    ap.add_argument('--version', default='0.0.0')
    a = ap.parse_args()
    model, tok, labels, hp = load_run(a.run, torch.device('cpu'))
    extra = {}
    old = Path(a.bundle) / 'config.json'
    if old.exists():  # re-export: keep what train.py recorded (seed, training files)
        led = json.loads(old.read_text(encoding='utf-8'))['ledgerlens']
        hp['seed'] = led['hparams'].get('seed')
        extra = {k: led[k] for k in ('train_files',) if k in led}
    export_bundle(model, tok, labels, hp, a.bundle, a.name, a.version, parity_path=Path(a.run) / 'parity.json', extra=extra)
    print(f'bundle -> {a.bundle}')


if __name__ == '__main__':
    main()
