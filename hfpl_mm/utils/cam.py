"""CAM post-processing shared by metrics, pseudo-label writers and refinement."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F


def normalize_cams(cam: torch.Tensor, labels: Optional[Sequence[int]],
                   size: Optional[Tuple[int, int]] = None, eps: float = 1e-5) -> torch.Tensor:
    """ReLU, resize, keep the image's classes and max-normalise a score map (eq. 4).

    Args:
        cam (Tensor): Scores ``s`` (C, h, w), or a sum of them over scales / flips.
        labels (Sequence[int], optional): Foreground classes present in the image; the others
            are zeroed. None keeps all classes.
        size (tuple, optional): Output (H, W); bilinear, as IRN. Defaults to the input size.
        eps (float): Added to each class maximum, as the public code does. Defaults to 1e-5.

    Returns:
        Tensor: (C, H, W) float32 maps in [0, 1].
    """
    cam = F.relu(cam.float())
    if size is not None and tuple(cam.shape[-2:]) != tuple(size):
        cam = F.interpolate(cam[None], size=tuple(size), mode='bilinear',
                            align_corners=False)[0]
    if labels is not None:
        keep = torch.zeros(cam.shape[0], dtype=torch.bool, device=cam.device)
        keep[torch.as_tensor(list(labels), dtype=torch.long, device=cam.device)] = True
        cam = cam * keep[:, None, None]
    # an all-zero (absent) class stays 0 even with eps = 0
    return cam / (cam.amax(dim=(1, 2), keepdim=True) + eps).clamp_min(torch.finfo(cam.dtype).tiny)


def cams_to_label(cams: torch.Tensor, bg_thr: float) -> torch.Tensor:
    """Label map (H, W) from normalised CAMs (C, H, W) with a constant background score.

    Label 0 is background (score ``bg_thr``), label ``c + 1`` foreground class ``c``: the
    argmax over ``[bg_thr, cams]``, background winning ties as the argmax's first index does.
    """
    return cams_to_labels(cams, [bg_thr])[0]


def cams_to_labels(cams: torch.Tensor, bg_thrs: Sequence[float],
                   dtype: torch.dtype = torch.long) -> torch.Tensor:
    """:func:`cams_to_label` for several background scores at once (T, H, W) of ``dtype``
    (``torch.uint8`` for up to 255 classes: 8x less memory for a long sweep).

    The per-pixel maximum is taken once, so a threshold sweep costs one comparison each.
    """
    score, cls = cams.max(dim=0)
    thrs = torch.as_tensor(list(bg_thrs), dtype=score.dtype, device=score.device)
    return torch.where(score[None] > thrs[:, None, None], (cls + 1).to(dtype)[None],
                       torch.zeros((), dtype=dtype, device=cls.device))
