from .aspp_v2_head import ASPPV2Module, DeepLabV2Head
from .deeplabv1_head import DeepLabV1Head
from .largefov_head import LargeFOVHead

__all__ = ['ASPPV2Module', 'DeepLabV2Head']
__all__ += ['DeepLabV1Head']
__all__ += ['LargeFOVHead']
