# PMM stage A ("multi-scale"): SEAM on ResNet-38d with PMM's recipe (Eli-YiLi/PMM run.py
# --train_multi_scale): batch 24, 8 epochs, lr 0.02 (SEAM's four groups and PolyOptimizer),
# SEAM's augmentation (long side 448-768, flip, jitter, 448 crop); CAMs: PCM output over scales
# 0.5-2 x flips (the CRF regions of stage B's crop labels are a label stage).
_base_ = '../seam/seam_r38d_1xb8-8e_voc12aug-448x448.py'
train_dataloader = dict(batch_size=24)
optim_wrapper = dict(optimizer=dict(lr=0.02))
