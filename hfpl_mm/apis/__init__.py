from .runner_utils import build_runner, check_data_roots, load_config

__all__ = ['build_runner', 'check_data_roots', 'load_config']
