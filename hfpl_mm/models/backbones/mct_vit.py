"""Vision transformer with one class token per class (MCTformer, Xu et al., CVPR 2022).

Paper: `Multi-class Token Transformer for Weakly Supervised Semantic Segmentation
<https://arxiv.org/abs/2203.02891>`_; reference semantics: https://github.com/xulianuwa/MCTformer
at commit 9606597 (V2; ``vision_transformer.py`` ``Attention`` / ``Block``, ``models.py``
``MCTformerV2``, ``main.py`` ``--finetune``).
"""
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones import VisionTransformer
from mmpretrain.models.utils import resize_pos_embed
from mmpretrain.registry import MODELS

__all__ = ['MCTViT']


@MODELS.register_module()
class MCTViT(VisionTransformer):
    """mmpretrain's :class:`VisionTransformer` with ``num_class_tokens`` class tokens.

    DeiT-S/16 is ``arch='deit-small'``. Differences from the parent, as MCTformer-V2:

    * ``num_class_tokens`` class tokens (and as many class position embeddings) in front of the
      patch tokens. Loading a checkpoint with a single class token (DeiT ImageNet weights in
      mmpretrain names, see ``tools/model_converters/deit_timm.py``) replicates that token and
      its position embedding to every class, as MCTformer's ``--finetune``; the patch position
      embeddings are resized bicubically by the parent's hook.
    * No final LayerNorm by default (``final_norm=False``): MCTformer's ``forward_features``
      returns the last block's tokens unnormalised.
    * Patch embedding without padding (``patch_cfg=dict(padding=0)`` by default): an input
      whose side is not a multiple of the patch size loses the remainder, as MCTformer's
      ``Conv2d`` patch embedding does (mmpretrain pads by default).
    * :meth:`forward` returns ``(class_tokens (B, K, D), patch_map (B, D, h, w))``;
      ``forward(x, with_attn=True)`` also returns the softmax attention of every block,
      ``(B, heads, N, N)`` each (``N = K + h w``, before attention dropout), which the
      attention-based CAMs use. Position embeddings are resized bicubically to any input size
      (mmpretrain's ``resize_pos_embed`` to the token grid; MCTformer interpolates with a scale
      factor of ``(h + 0.1) / h0``, which samples the grid slightly differently).

    Args:
        num_class_tokens (int): Class tokens (the classes). Defaults to 20.
        final_norm (bool): LayerNorm after the last block. Defaults to False.
        patch_cfg (dict): Patch embedding options. Defaults to ``dict(padding=0)``.
        **kwargs: :class:`VisionTransformer` arguments (``arch``, ``img_size``,
            ``patch_size``, ``drop_path_rate``...). ``out_type`` and ``with_cls_token`` are
            fixed.
    """

    def __init__(self,
                 num_class_tokens: int = 20,
                 final_norm: bool = False,
                 patch_cfg: dict = dict(padding=0),
                 **kwargs) -> None:
        for key in ('out_type', 'with_cls_token', 'out_indices'):
            if key in kwargs:
                raise ValueError(f'MCTViT: {key} is fixed (class tokens and the patch map of '
                                 'the last block); remove it from the config')
        if not isinstance(num_class_tokens, int) or num_class_tokens < 1:
            raise ValueError(f'MCTViT: num_class_tokens must be a positive int, got '
                             f'{num_class_tokens!r}')
        super().__init__(final_norm=final_norm, patch_cfg=patch_cfg, out_type='raw',
                         with_cls_token=True, **kwargs)
        self.num_extra_tokens = num_class_tokens  # instance attribute: the parent's is 1
        self.cls_token = nn.Parameter(torch.zeros(1, num_class_tokens, self.embed_dims))
        num_patches = self.patch_resolution[0] * self.patch_resolution[1]
        self.pos_embed = nn.Parameter(
            torch.zeros(1, num_patches + num_class_tokens, self.embed_dims))

    @property
    def num_class_tokens(self) -> int:
        return self.num_extra_tokens

    def init_weights(self) -> None:
        super().init_weights()
        if not (isinstance(self.init_cfg, dict) and self.init_cfg.get('type') == 'Pretrained'):
            nn.init.trunc_normal_(self.cls_token, std=.02)  # MCTformerV2.__init__

    def _prepare_pos_embed(self, state_dict, prefix, *args, **kwargs):
        """Replicate a single class token (and its position embedding) to every class before
        the parent resizes the patch position embeddings."""
        k = self.num_extra_tokens
        name = prefix + 'cls_token'
        if name in state_dict and state_dict[name].shape[1] == 1 and k > 1:
            state_dict[name] = state_dict[name].repeat(1, k, 1)
        name = prefix + 'pos_embed'
        if name in state_dict and k > 1:
            pos = state_dict[name]
            side = int(round((pos.shape[1] - 1)**0.5))
            if side * side == pos.shape[1] - 1:  # one class token: replicate it
                state_dict[name] = torch.cat([pos[:, :1].repeat(1, k, 1), pos[:, 1:]], dim=1)
        super()._prepare_pos_embed(state_dict, prefix, *args, **kwargs)

    @staticmethod
    def _block_with_attn(layer: nn.Module, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """One :class:`TransformerEncoderLayer` on ``x`` with its modules and weights, also
        returning the softmax attention (B, heads, N, N) that mmpretrain's fused attention does
        not expose (MCTformer's ``Attention.forward`` returns it before dropout)."""
        attn_mod = layer.attn
        B, N, _ = x.shape
        qkv = attn_mod.qkv(layer.ln1(x)).reshape(B, N, 3, attn_mod.num_heads,
                                                attn_mod.head_dims).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        weights = (q @ k.transpose(-2, -1) * attn_mod.head_dims**-0.5).softmax(dim=-1)
        attn = F.dropout(weights, attn_mod.attn_drop, attn_mod.training)
        out = (attn @ v).transpose(1, 2).reshape(B, N, attn_mod.embed_dims)
        out = attn_mod.out_drop(attn_mod.gamma1(attn_mod.proj_drop(attn_mod.proj(out))))
        x = x + out
        return layer.ffn(layer.ln2(x), identity=x), weights

    def forward(self, x: torch.Tensor, with_attn: bool = False):
        """Class tokens (B, K, D) and patch map (B, D, h, w) of the last block, and with
        ``with_attn`` the list of every block's attention (B, heads, N, N)."""
        B = x.shape[0]
        x, patch_resolution = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(B, -1, -1), x), dim=1)
        x = x + resize_pos_embed(self.pos_embed, self.patch_resolution, patch_resolution,
                                 mode=self.interpolate_mode,
                                 num_extra_tokens=self.num_extra_tokens)
        x = self.pre_norm(self.drop_after_pos(x))
        attns: List[torch.Tensor] = []
        for layer in self.layers:
            if with_attn:
                x, weights = self._block_with_attn(layer, x)
                attns.append(weights)
            else:
                x = layer(x)
        if self.final_norm:
            x = self.ln1(x)
        k = self.num_extra_tokens
        patch_map = x[:, k:].reshape(B, *patch_resolution, -1).permute(0, 3, 1, 2)
        outs = (x[:, :k], patch_map.contiguous())
        return outs + (attns, ) if with_attn else outs
