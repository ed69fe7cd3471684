"""Write refined pseudo-labels and score them exactly like CAM pseudo-labels."""
from typing import Dict, Optional, Tuple

import numpy as np
from mmengine.registry import METRICS

from hfpl_mm.utils.io import save_palette_png
from .pseudo_label_metric import PseudoLabelMetric, _default_palette


@METRICS.register_module()
class RefinedLabelMetric(PseudoLabelMetric):
    """:class:`PseudoLabelMetric` for models that predict label maps (``pred_sem_seg``).

    Used by the refinement stages (confident labels, AffinityNet / IRN random walk): each
    prediction is written atomically to ``<out_dir>/labels/<id>.png`` (0 background, ``c + 1``
    class ``c``, 255 unsure), a resumed run (:class:`~hfpl_mm.engine.runner.ResumableTestLoop`)
    reads the finished ones back, and J / F against the masks are those of
    :class:`PseudoLabelMetric`. No CAMs are saved and there is no background sweep.

    The data set may list its classes with or without a leading 'background' (segmentation
    or classification data sets).

    Args:
        out_dir (str, optional): Output folder. Defaults to None: ``<work_dir>/pseudo_labels``.
        prefix (str, optional): Metric prefix. Defaults to 'refined'.
        **kwargs: :class:`CAMMetric` arguments (``bound_th``, ``ignore_index``, ...).
    """
    default_prefix = 'refined'
    artifacts = dict(labels='.png')
    prediction_key = 'pred_sem_seg'

    def __init__(self, out_dir: Optional[str] = None, **kwargs) -> None:
        super().__init__(out_dir=out_dir, save_cams=False, **kwargs)

    @property
    def num_classes(self) -> int:
        """Labels of the masks: background + the foreground classes."""
        classes = self.dataset_meta['classes']
        return len(classes) + int(classes[0] != 'background')

    def _write(self, sample: dict, paths: Dict[str, str]) -> Tuple[np.ndarray, None]:
        label = np.asarray(sample['pred_sem_seg']['data'][0].cpu(), dtype=np.uint8)
        save_palette_png(paths['labels'], label, self.dataset_meta.get('palette') or
                         _default_palette())
        return label, None
