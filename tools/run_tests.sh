#!/usr/bin/env bash
# The test suite on the real stack: builds .venv if needed (tools/setup_env.sh), then pytest on
# HFPL_TEST_WORKERS processes (pytest-xdist; default 2, one per core of the reference machine,
# each with one torch thread so they do not oversubscribe the cores; 0: one process).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/setup_env.sh"
cd "$root"
workers="${HFPL_TEST_WORKERS:-2}"
if [[ "$workers" != 0 ]]; then
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
  set -- -n "$workers" --dist worksteal "$@"
fi
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider --durations=15 "$@"
