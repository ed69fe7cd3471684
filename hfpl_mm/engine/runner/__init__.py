from .cam_inference_loop import CAMInferenceLoop

__all__ = ['CAMInferenceLoop']
