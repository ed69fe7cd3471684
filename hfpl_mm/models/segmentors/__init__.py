"""Segmentors (mmseg scope)."""
from .crf_encoder_decoder import PMM_SEG_CRF, CRFEncoderDecoder

__all__ = ['CRFEncoderDecoder', 'PMM_SEG_CRF']
