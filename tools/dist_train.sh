#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG NPROC [train.py args]. Env: NNODES, NODE_RANK, PORT, MASTER_ADDR.
# torchrun replaces the deprecated torch.distributed.launch; on CPU use a config whose
# env_cfg.dist_cfg.backend is 'gloo' (the synthetic configs do).
CONFIG=$1
NPROC=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY=python
PYTHONPATH="$ROOT":$PYTHONPATH \
exec "$PY" -m torch.distributed.run \
    --nnodes=$NNODES --node_rank=$NODE_RANK --master_addr=$MASTER_ADDR \
    --nproc_per_node=$NPROC --master_port=$PORT \
    "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "${@:3}"
