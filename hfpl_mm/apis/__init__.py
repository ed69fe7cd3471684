from .runner_utils import build_runner, check_data_roots, close_distributed, load_config

__all__ = ['build_runner', 'check_data_roots', 'close_distributed', 'load_config']
