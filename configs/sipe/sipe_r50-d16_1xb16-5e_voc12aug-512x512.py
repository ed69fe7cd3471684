# SIPE (ResNet-50, output stride 16) on VOC train_aug: batch 16, 5 epochs, 512 crops; testing
# writes the IS-CAM pseudo-labels (argmax with the IS-CAM background, no threshold) of
# train_aug with the CAM files (and their background) for IRN.
_base_ = [
    '../_base_/models/sipe_r50-d16.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/sipe_sgd-poly_5e.py', '../_base_/default_runtime.py'
]
test_evaluator = dict(_delete_=True, type='BgChannelPseudoLabelMetric')
