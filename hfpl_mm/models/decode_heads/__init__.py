from .aspp_v2_head import ASPPV2Module, DeepLabV2Head

__all__ = ['ASPPV2Module', 'DeepLabV2Head']
