#!/usr/bin/env bash
# Scores the default bundle (Python with boxes; `ledgerlens eval` on the ONNX bundle, words only),
# checks ONNX parity and speed; with `card`, writes results.json and the bundle's model card.
# Called by build-default.sh; run alone after re-exporting a bundle from runs/default/train.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
W=${WORK:-runs/default}
BUNDLE=${BUNDLE:-models/ledgerlens-invoice}
C="$W/corpus"
export OPENBLAS_NUM_THREADS=1
cli() { nice -n 10 node --import tsx src/cli/main.ts "$@"; }
if [ "${1:-}" = card ]; then
  $PY training/collect_results.py --work "$W" --bundle "$BUNDLE" --wall-minutes "${WALL_MINUTES:-0}" \
    --build-command "${BUILD_COMMAND:-bash training/build-default.sh}" > "$W/results.json"
  $PY training/model_card.py --bundle "$BUNDLE" --results "$W/results.json"
  exit 0
fi
# scores: Python with layout, and the TypeScript evaluator (words only) on the exported bundle
$PY training/score.py --run "$W/train" --data "$W/synth-dev/corpus.jsonl" > "$W/score-synth.jsonl"
$PY training/score.py --run "$W/train" --data "$C/sroie-dev.jsonl" --types ORG,DATE,ADDRESS,MONEY > "$W/score-sroie.jsonl"
$PY training/score.py --run "$W/train" --data "$C/einvoice-dev.jsonl" --types ORG,INVOICE_NO,DATE,MONEY > "$W/score-einvoice.jsonl"
[ -s "$C/prose-dev.jsonl" ] && $PY training/score.py --run "$W/train" --data "$C/prose-dev.jsonl" > "$W/score-prose.jsonl"
for set in sroie-dev einvoice-dev; do
  types=ORG,DATE,ADDRESS,MONEY; [ "$set" = einvoice-dev ] && types=ORG,INVOICE_NO,DATE,MONEY
  $PY training/to_conll.py "$C/$set.jsonl" "$W/$set.conll" --types "$types"
done
$PY training/to_conll.py "$W/synth-dev/corpus.jsonl" "$W/synth-dev.conll"
sets="synth-dev sroie-dev einvoice-dev"
[ -s "$C/prose-dev.jsonl" ] && { $PY training/to_conll.py "$C/prose-dev.jsonl" "$W/prose-dev.conll"; sets="$sets prose-dev"; }
for set in $sets; do
  cli eval --model "$BUNDLE" --data "$W/$set.conll" --json > "$W/ts-eval-$set.json" || echo "ts eval failed on $set" >&2
done
nice -n 10 node --import tsx training/bundle-check.ts "$BUNDLE" "$W/train/parity.json" --speed "$C/sroie-dev.jsonl" | tee "$W/check.txt"
