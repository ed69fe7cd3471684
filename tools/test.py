"""Evaluate a checkpoint of an hfpl_mm config (classifier CAMs, refinement, segmentor).

Models without parameters (the confident-label configs) need no checkpoint.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import DictAction  # noqa: E402

from hfpl_mm.apis import (bad_input_errors, build_runner, close_distributed,  # noqa: E402
                          input_error_message, load_config)
from hfpl_mm.utils.checkpoint import allow_unsafe_load  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Test a checkpoint of an hfpl_mm config')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', default='',
                        help='checkpoint file; none for models without parameters')
    parser.add_argument('--work-dir', help='the dir to save logs and results')
    parser.add_argument(
        '--unsafe-load', action='store_true',
        help='load checkpoints with full unpickling (they can run code): only for files you '
        'trust that the default weights-only loading refuses (README, "Checkpoints")')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (lists as key="[a,b]")')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    if args.unsafe_load:
        allow_unsafe_load()
    if args.checkpoint and not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint file not found: {args.checkpoint}')
    try:
        cfg = load_config(args.config, args.cfg_options, launcher=args.launcher,
                          work_dir=args.work_dir)
        cfg.load_from = args.checkpoint or None
        runner = build_runner(cfg, args.config)
        if not args.checkpoint and any(True for _ in runner.model.parameters()):
            raise SystemExit(f'{args.config}: the model has parameters, give a checkpoint')
        runner.test()  # loads the checkpoint strictly (HFPLRunner): another model's fails
    except bad_input_errors() as err:  # bad input, refused or mismatched checkpoint: no trace
        raise SystemExit(input_error_message(err)) from err
    close_distributed()


if __name__ == '__main__':
    main()
