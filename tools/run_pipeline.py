"""Run WSSS pipelines over seeds and report J / F (see :mod:`hfpl_mm.apis.pipeline`).

    python tools/run_pipeline.py configs/pipelines/cam_synthetic.py \
        configs/pipelines/hfpl-cam_synthetic.py --seeds 0 1 2 [--stages segmentor] [--jobs 2]

Each stage works in ``<work-dir>/<pipeline>/seed<k>/<stage>``; a re-run skips finished stages
and resumes interrupted ones. Writes ``<work-dir>/report.{md,json,png}``.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import DictAction  # noqa: E402

import hfpl_mm  # noqa: E402,F401
from hfpl_mm.apis import bad_input_errors, run_pipelines  # noqa: E402
from hfpl_mm.utils.checkpoint import allow_unsafe_load  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Run WSSS pipelines and report J / F')
    parser.add_argument('pipelines', nargs='+', help='pipeline config files')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--work-dir', default='work_dirs/pipeline')
    parser.add_argument('--data-root', help="override every pipeline's data_root")
    parser.add_argument('--stages', nargs='+',
                        help='run (again) only these stages; the others must have finished')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override pipeline keys, e.g. '
                        'stages.segmentor.config.train_cfg.max_iters=100')
    parser.add_argument('--jobs', type=int, default=1,
                        help='run this many (pipeline, seed) units at once, each in its own '
                        'process with its share of the CPU threads (the shared stages first)')
    parser.add_argument('--report-only', action='store_true',
                        help='run nothing: report the stages the records in --work-dir say '
                        'finished (e.g. seeds run on several machines, records gathered)')
    parser.add_argument(
        '--unsafe-load', action='store_true',
        help='load checkpoints with full unpickling (they can run code): only for files you '
        'trust that the default weights-only loading refuses (README, "Checkpoints")')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.unsafe_load:
        allow_unsafe_load()
    try:
        table = run_pipelines(args.pipelines, args.seeds, args.work_dir, args.data_root,
                              args.cfg_options, args.stages, args.report_only,
                              args.jobs)
    except bad_input_errors() as err:  # bad input, refused checkpoint, divergence: no trace
        raise SystemExit(f'run_pipeline: {err}') from err
    print('\n' + table)


if __name__ == '__main__':
    main()
