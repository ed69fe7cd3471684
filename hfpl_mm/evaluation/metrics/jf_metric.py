"""J&F metric: mmseg's mIoU (J) and the contour F-score (F) of the hfpl paper."""
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmengine.registry import METRICS
from mmseg.evaluation.metrics import IoUMetric
from prettytable import PrettyTable

from ..functional import (boundary_match_counts, contour_fscore_from_counts, jf_from_iou,
                          resolve_fg_classes)


@METRICS.register_module()
class JFMetric(IoUMetric):
    """Region similarity J, contour accuracy F and their mean J&F for semantic segmentation.

    * **J** is mmseg's ``mIoU``. This class subclasses :class:`mmseg.evaluation.metrics.IoUMetric`
      and reuses its ``intersect_and_union`` and ``total_area_to_metrics``, so the value is the
      same and all of ``IoUMetric``'s keys (``aAcc``, ``mIoU``, ``mAcc``, ...) are returned too.
      Classes absent from both GT and prediction give NaN and are skipped by ``nanmean``.
      ``nan_to_num=0`` instead counts them as 0, as the hfpl ``eval_cam_voc.py`` plain mean does.
    * **F** is the contour F-score of the hfpl ``contour_fscore.py`` (DAVIS boundaries and
      tolerance). Boundary match counts are summed per class over the whole data set (micro
      pooling) before per-class F, and F is averaged over ``fg_classes``. Background is not
      scored by default. See :mod:`hfpl_mm.evaluation.functional.boundary`.
    * **J&F** is ``(J + F) / 2``.

    All three are percentages rounded to two decimals, like mmseg's outputs. ``process`` keeps
    per image only mmseg's four (K,) area tensors and a (len(fg_classes), 4) count array, so
    distributed result collection stays cheap.

    Args:
        fg_classes (Sequence[int], optional): Labels scored by F. Defaults to None, which means
            every class except ``bg_index``.
        bg_index (int): Background label. It is left out of F by default, and void GT maps to
            it. Defaults to 0.
        bound_th (float): Boundary tolerance as a fraction of the image diagonal, or in pixels
            if ``>= 1``. Defaults to 0.008 (DAVIS and hfpl).
        void_as_background (bool): For F, relabel void GT as background, as the public script
            does (True), or clear void in both masks as DAVIS ``void_pixels`` does (False).
            J always ignores void. Defaults to True.
        iou_metrics (str | Sequence[str]): mmseg metrics to report. ``'mIoU'`` is always added
            because J needs it. Defaults to ``('mIoU', )``.
        **kwargs: Other :class:`IoUMetric` arguments (``ignore_index``, ``nan_to_num``,
            ``beta``, ``collect_device``, ``output_dir``, ``format_only``, ``prefix``).
    """

    def __init__(self,
                 fg_classes: Optional[Sequence[int]] = None,
                 bg_index: int = 0,
                 bound_th: float = 0.008,
                 void_as_background: bool = True,
                 iou_metrics: Union[str, Sequence[str]] = ('mIoU', ),
                 **kwargs) -> None:
        iou_metrics = [iou_metrics] if isinstance(iou_metrics, str) else list(iou_metrics)
        if 'mIoU' not in iou_metrics:
            iou_metrics.insert(0, 'mIoU')
        super().__init__(iou_metrics=iou_metrics, **kwargs)
        self.fg_classes = fg_classes
        self.bg_index = bg_index
        self.bound_th = bound_th
        self.void_as_background = void_as_background

    @property
    def scored_classes(self) -> Tuple[int, ...]:
        """tuple[int]: Labels whose contours are scored, resolved from ``dataset_meta``."""
        return resolve_fg_classes(
            len(self.dataset_meta['classes']), self.fg_classes, self.bg_index)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Append mmseg's areas plus the boundary match counts of each sample.

        ``IoUMetric.process`` appends one area tuple per sample and writes predictions when
        ``output_dir`` is set. Each of those tuples is then extended with the sample's
        (len(fg_classes), 4) count array.

        Args:
            data_batch (dict): A batch of data from the dataloader.
            data_samples (Sequence[dict]): ``SegDataSample`` dicts with ``pred_sem_seg`` and
                ``gt_sem_seg``.
        """
        first = len(self.results)
        super().process(data_batch, data_samples)
        if self.format_only:
            return
        classes = self.scored_classes
        for index, data_sample in enumerate(data_samples, start=first):
            counts = boundary_match_counts(
                self._label_map(data_sample['pred_sem_seg']),
                self._label_map(data_sample['gt_sem_seg']),
                classes,
                bound_th=self.bound_th,
                ignore_index=self.ignore_index,
                void_as_background=self.void_as_background,
                bg_index=self.bg_index)
            self.results[index] = (*self.results[index], counts)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Compute mmseg's metrics plus ``J``, ``F`` and ``J&F``.

        Args:
            results (list): Per-sample tuples ``(intersect, union, pred_area, gt_area, counts)``.

        Returns:
            dict[str, float]: mmseg's summary keys (``aAcc``, ``mIoU``, ...) and ``J``, ``F``,
            ``J&F``, all in percent.
        """
        if self.format_only:
            return super().compute_metrics(results)
        *areas, counts = (sum(column) for column in zip(*results))
        ret_metrics = self.total_area_to_metrics(*areas, self.metrics, self.nan_to_num,
                                                 self.beta)
        fscore = contour_fscore_from_counts(counts)
        metrics = OrderedDict(
            (key if key == 'aAcc' else f'm{key}', np.round(np.nanmean(value) * 100, 2))
            for key, value in ret_metrics.items())
        scores = jf_from_iou(ret_metrics['IoU'], fscore)
        metrics.update({
            'J': np.round(scores['J'], 2),
            'F': np.round(scores['F'], 2),
            'J&F': np.round(scores['JF'], 2)
        })
        self._log_class_table(ret_metrics, fscore)
        return metrics

    def _log_class_table(self, ret_metrics: Dict[str, np.ndarray], fscore: np.ndarray) -> None:
        """Print per-class J, F and the other mmseg metrics as a PrettyTable."""
        class_names = self.dataset_meta['classes']
        per_class_f: List[Union[str, float]] = ['-'] * len(class_names)
        for cls, value in zip(self.scored_classes, fscore):
            per_class_f[cls] = round(float(value) * 100, 2)
        table = PrettyTable()
        table.add_column('Class', list(class_names))
        table.add_column('J', np.round(ret_metrics['IoU'] * 100, 2))
        table.add_column('F', per_class_f)
        for key, value in ret_metrics.items():
            if key not in ('aAcc', 'IoU'):
                table.add_column(key, np.round(value * 100, 2))
        logger: MMLogger = MMLogger.get_current_instance()
        print_log('per class results:', logger)
        print_log('\n' + table.get_string(), logger=logger)

    @staticmethod
    def _label_map(pixel_data: dict) -> np.ndarray:
        """Return the (H, W) numpy label map of a ``PixelData`` dict with data of shape
        (1, H, W)."""
        data = pixel_data['data']
        return data.reshape(data.shape[-2:]).cpu().numpy()
