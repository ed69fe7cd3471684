from .mct_vit import MCTViT
from .resnet38d import ResNet38d
from .scalenet import ScaleNet

__all__ = ['ResNet38d']
__all__ += ['MCTViT']
__all__ += ['ScaleNet']
