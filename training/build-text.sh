#!/usr/bin/env bash
# Rebuilds models/ledgerlens-text, the bundle `ledgerlens ner` runs on plain text: the default
# bundle's recipe and data (build-default.sh) plus 3,000 running-text messages, without layout
# embeddings, with a 6,000-piece vocabulary. Work files go to runs/text (git-ignored); about
# 30 minutes wall on the idle 2-core machine. Any of the variables can be overridden.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROSE_TRAIN=${PROSE_TRAIN:-3000} BOXES=${BOXES:-0} VOCAB=${VOCAB:-6000} NAME=${NAME:-ledgerlens-text}
export WORK=${WORK:-runs/text} BUNDLE=${BUNDLE:-models/ledgerlens-text} MINUTES=${MINUTES:-30} EXTEND=${EXTEND:-10}
export BUILD_COMMAND="bash training/build-text.sh"
exec bash training/build-default.sh
