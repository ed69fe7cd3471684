# IRN after plain CAM on VOC train_aug (baselines.md section 1.5): frozen ResNet-50, batch 32,
# 3 epochs, 512 crops (random rescale 0.5-1.5, flip), pairs within radius 10; random walk with
# beta 10, exp_times 8, radius 5, background 0.25. Train on the confident labels of
# confident-labels_irn-fg30-bg05_voc12aug.py (set train_dataloader.dataset.data_prefix.
# seg_map_path), then test with LoadCAMs' cam_dir set to write the refined labels.
_base_ = [
    '../_base_/models/irn_r50.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/irn_sgd-poly_3e.py', '../_base_/seg_runtime.py'
]
crop_size = (512, 512)
model = dict(data_preprocessor=dict(size=crop_size))
