#!/usr/bin/env bash
# The main job on the embedded synthetic data set: builds .venv if needed, then runs the pipeline
# (shared pretraining -> classifier -> CAM pseudo-labels at the val-chosen background score) for
# plain CAM and CAM + ISL + FSL over three seeds (two runs at a time, one per core), and reports
# J / F with the paired differences and their 95% intervals. The segmentor stage is cut so that
# the three seeds fit in 15 minutes on 2 cores; `--full` (first argument) keeps it (about 4 min
# more per seed).
# Further arguments go to tools/run_pipeline.py and override these (e.g. --seeds 0 1 2 3 4).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/setup_env.sh"
cd "$root"
cut=(--cfg-options stages.segmentor=None)
if [[ "${1:-}" == --full ]]; then
  cut=()
  shift
fi
exec .venv/bin/python tools/run_pipeline.py configs/pipelines/cam_synthetic.py \
  configs/pipelines/hfpl-cam_synthetic.py --seeds 0 1 2 --jobs 2 "${cut[@]}" "$@"
