#!/usr/bin/env bash
# The main job on the embedded synthetic data set: builds .venv if needed, then runs the whole
# pipeline (classifier -> CAM pseudo-labels -> segmentor) for plain CAM and CAM + ISL + FSL.
# Extra arguments go to tools/run_pipeline.py (e.g. --seeds 0 1 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/setup_env.sh"
cd "$root"
exec .venv/bin/python tools/run_pipeline.py configs/pipelines/cam_synthetic.py \
  configs/pipelines/hfpl-cam_synthetic.py "$@"
