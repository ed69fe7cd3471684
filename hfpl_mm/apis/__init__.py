from .pipeline import Pipeline, run_pipelines
from .pipeline_report import write_report
from .runner_utils import (bad_input_errors, build_runner, check_data_roots, close_distributed,
                           input_error_message, load_config)

__all__ = [
    'Pipeline', 'run_pipelines', 'write_report', 'build_runner', 'check_data_roots',
    'close_distributed', 'input_error_message', 'load_config', 'bad_input_errors'
]
