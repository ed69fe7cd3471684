"""Write CAM pseudo-labels and score them: the classifier's test stage."""
import io
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.registry import METRICS

from hfpl_mm.utils.io import atomic_write_bytes, read_label_png, save_palette_png
from hfpl_mm.utils import cams_to_label, normalize_cams
from .cam_metric import CAMMetric
from .output_writer import OutputWriter


@METRICS.register_module()
class PseudoLabelMetric(OutputWriter, CAMMetric):
    """Save each image's CAMs and pseudo-label, then report their J / F against the masks.

    Files under ``out_dir`` (each written atomically, the label last, so an existing label
    means a finished image)::

        labels/<id>.png   uint8 palette PNG: 0 background, c + 1 class c, 255 ignore
        cams/<id>.npz     ``cams`` (n, H, W) float16 max-normalised CAMs of the image's
                          ``labels`` (n,), at the original image size
        bg_sweep.json/png J / F per background threshold (when masks exist)

    Samples without a ``cam`` (skipped by :class:`~hfpl_mm.engine.runner.ResumableTestLoop`
    because their label exists) are read back from disk, so a resumed run reports the same
    numbers as an uninterrupted one. Images whose mask is missing are labelled but not scored.

    Args:
        out_dir (str, optional): Output folder. Defaults to None: ``<work_dir>/pseudo_labels``
            (set by :class:`~hfpl_mm.engine.runner.ResumableTestLoop`).
        bg_thr (float): Background score of the written labels. Defaults to 0.15 (IRN).
        save_cams (bool): Also save the CAM arrays (needed for refinement and the sweep).
            Defaults to True.
        **kwargs: :class:`CAMMetric` arguments (``bg_thresholds`` of the sweep, ...).
    """
    default_prefix = 'pseudo'
    artifacts = dict(cams='.npz', labels='.png')
    #: the prediction that is written; samples without it are read back from disk (resume)
    prediction_key = 'cam'

    def __init__(self, out_dir: Optional[str] = None, bg_thr: float = 0.15,
                 save_cams: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.out_dir = out_dir
        self.bg_thr = bg_thr
        self.save_cams = save_cams

    def required_artifacts(self):
        """The label, and the CAMs when they are saved."""
        return ('labels', 'cams') if self.save_cams else ('labels', )

    def _write(self, sample: dict, paths: Dict[str, str]):
        labels = sample['gt_label'].tolist()
        # float16, as saved: a resumed run, which reads them back, scores exactly the same
        cams = normalize_cams(sample['cam'], labels, sample['ori_shape']).half().float()
        label = cams_to_label(cams, self.bg_thr).cpu().numpy().astype(np.uint8)
        if self.save_cams:
            buf = io.BytesIO()
            np.savez_compressed(buf, cams=cams[labels].cpu().numpy().astype(np.float16),
                                labels=np.asarray(labels, dtype=np.int64))
            atomic_write_bytes(paths['cams'], buf.getvalue())
        save_palette_png(paths['labels'], label, self.dataset_meta.get('palette') or
                         _default_palette())
        return label, cams

    def _read(self, sample: dict, paths: Dict[str, str]):
        label = read_label_png(paths['labels'])
        cams = None
        if self.save_cams:
            with np.load(paths['cams']) as data:
                cams = torch.zeros((self.num_classes - 1, ) + label.shape)
                cams[torch.as_tensor(data['labels'])] = torch.from_numpy(
                    data['cams'].astype(np.float32))
        return label, cams

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            paths = self.paths(sample)
            written = self.prediction_key in sample
            if written:
                label, cams = self._write(sample, paths)
            else:
                label, cams = self._read(sample, paths)
            gt_path = sample.get('seg_map_path')
            if not gt_path or not osp.isfile(gt_path):
                continue
            gt = read_label_png(gt_path)
            if gt.shape != label.shape:
                why = (f'the image {sample.get("img_path")} and its mask differ in size' if written
                       else 'the label was written by an earlier run on other images: delete it')
                raise ValueError(f'pseudo-label {paths["labels"]} has shape {label.shape}, its '
                                 f'mask {gt_path} {gt.shape}: {why}')
            sweep = self.score_cams(cams, gt) if cams is not None else None
            self.results.append((self.score_label(label, gt), sweep))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        if not results:
            return {'num_scored': 0}
        areas = sum(r[0][0] for r in results)[None]
        counts = sum(r[0][1] for r in results)[None]
        score = self.summarize(areas, counts)[0]
        metrics = {'J': round(score['J'], 2), 'F': round(score['F'], 2),
                   'J&F': round(score['JF'], 2), 'num_scored': len(results)}
        if all(r[1] is not None for r in results):
            self.sweep_file = self.sweep_file or osp.join(self.out_dir, 'bg_sweep.json')
            sweep = super().compute_metrics([r[1] for r in results])
            metrics.update({f'sweep_{k}': v for k, v in sweep.items()})
            metrics['bg_thr'] = self.bg_thr  # of the written labels; sweep_bg_thr: the best
        return metrics


def _default_palette() -> List[List[int]]:
    from hfpl_mm.datasets.class_names import PALETTE_256
    return PALETTE_256
