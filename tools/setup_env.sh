#!/usr/bin/env bash
# Build (or verify) the project's virtual environment in .venv/ at the repository root.
#
# Idempotent: a .venv whose stamp matches the requirements is accepted in seconds. The stamp is
# written only after every package imports (mmcv with its compiled ops included), so a failed or
# interrupted set-up never leaves a .venv that looks complete; the next run resumes it (pip skips
# what is installed, and the mmcv wheel built once is reused from pip's cache).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/.venv"
stamp="$venv/.hfpl_ready"
want="$(cat requirements/runtime.txt requirements/tests.txt tools/setup_env.sh setup.py | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
rm -f "$stamp"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null || py=python3
echo "[setup_env] building $venv with $("$py" --version) (first time: ~15 min, mostly the mmcv build)"
[[ -x "$venv/bin/python" ]] || "$py" -m venv "$venv"
pip=("$venv/bin/python" -m pip install --disable-pip-version-check -q)
"${pip[@]}" 'pip>=24' wheel ninja
"${pip[@]}" torch==2.14.1 torchvision==0.29.1
# torch pulls a new setuptools; mmcv's setup.py and mmengine's `mmseg::` bases need pkg_resources.
"${pip[@]}" 'setuptools<81'
# mmcv 2.1.0 has no wheel for this torch: build it with its compiled ops against the torch above.
# Its setup.py pins -std=c++17, but torch >= 2.10 headers need C++20, so the sdist is patched. The
# wheel is kept in $HFPL_WHEELHOUSE so a rebuilt .venv reuses it instead of compiling again.
if ! "$venv/bin/python" -c "import mmcv, mmcv.ops" 2>/dev/null; then
  wheelhouse="${HFPL_WHEELHOUSE:-$HOME/.cache/hfpl_mm/wheels}"
  torch_tag="$("$venv/bin/python" -c 'import torch; print(torch.__version__.replace("+", "_"))')"
  whl_dir="$wheelhouse/torch-$torch_tag"
  if ! ls "$whl_dir"/mmcv-2.1.0-*.whl >/dev/null 2>&1; then
    echo "[setup_env] building mmcv 2.1.0 with ops (about 12 min on 2 cores)"
    src="$(mktemp -d)"
    trap 'rm -rf "$src"' EXIT
    "$venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
      --no-build-isolation --no-binary :all: -d "$src" mmcv==2.1.0
    tar xzf "$src"/mmcv-2.1.0.tar.gz -C "$src"
    sed -i "s/-std=c++14/-std=c++20/g; s/-std=c++17/-std=c++20/g" "$src/mmcv-2.1.0/setup.py"
    mkdir -p "$whl_dir"
    MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-2}" "$venv/bin/python" -m pip wheel -q \
      --disable-pip-version-check --no-build-isolation --no-deps -w "$src/dist" "$src/mmcv-2.1.0"
    mv "$src"/dist/mmcv-2.1.0-*.whl "$whl_dir"/   # only a finished wheel lands in the wheelhouse
  fi
  "${pip[@]}" --no-deps "$whl_dir"/mmcv-2.1.0-*.whl
fi
"${pip[@]}" -r requirements/runtime.txt -r requirements/tests.txt
"${pip[@]}" --no-build-isolation --no-deps -e .
"$venv/bin/python" - <<'PY'
import mmcv.ops, mmseg.models, mmpretrain.models, hfpl_mm  # noqa: F401  (compiled ops included)
import torch
print(f"[setup_env] ok: torch {torch.__version__}, mmcv {mmcv.__version__}")
PY
echo "$want" > "$stamp"
