"""hfpl_mm: binomial ISL and masked FSL (WACV 2024) with a full WSSS pipeline on OpenMMLab.

Importing the package (``custom_imports=dict(imports=['hfpl_mm'])`` in a base config) registers
every module into the registries the configs look in:

* losses on mmengine's root ``MODELS``, reached from both the ``mmpretrain`` and ``mmseg`` scopes;
* CAM heads, classifiers, backbones and classifier-side data sets on mmpretrain's registries;
* hooks and metrics on mmengine's root ``HOOKS`` / ``METRICS``.

On a machine with torch and mmengine alone (no mmcv / mmseg / mmpretrain), only
``hfpl_mm.models.losses`` is imported, so the losses and their benchmark still run there.
"""
from importlib.util import find_spec

__version__ = '0.1.0'

#: mmcv, mmseg and mmpretrain are importable; ``hfpl_mm.models`` reads it (so it is set first).
_FULL_STACK = all(find_spec(name) is not None for name in ('mmcv', 'mmseg', 'mmpretrain'))

if find_spec('mmengine') is not None:
    from .utils.checkpoint import register_local_checkpoint_loader

    register_local_checkpoint_loader()

if _FULL_STACK:
    # Parents' lazy `locations` are not imported when a child scope is queried, so import the
    # host libraries' modules once here; then `type='ResNet'` etc. resolve from our configs.
    import mmpretrain.datasets  # noqa: E402,F401
    import mmpretrain.models  # noqa: E402,F401
    import mmseg.datasets  # noqa: E402,F401
    import mmseg.models  # noqa: E402,F401

    from . import datasets, engine, evaluation, models  # noqa: E402,F401
else:
    from .models import losses  # noqa: E402,F401
