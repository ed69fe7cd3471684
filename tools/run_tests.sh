#!/usr/bin/env bash
# The test suite on the real stack: builds .venv if needed (tools/setup_env.sh), then pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/setup_env.sh"
cd "$root"
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider --durations=15 "$@"
