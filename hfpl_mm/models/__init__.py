"""Models. Only the losses are imported here: they need torch and mmengine alone, so
``hfpl_mm.models.losses`` works on a machine without mmcv / mmseg / mmpretrain. Heads, classifiers
and backbones are imported by ``hfpl_mm/__init__.py`` when the full OpenMMLab stack is present."""
from . import losses  # noqa: F401
