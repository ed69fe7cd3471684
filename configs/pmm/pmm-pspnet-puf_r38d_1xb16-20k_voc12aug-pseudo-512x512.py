# PMM's final model, step 1 (WSSS_MMSeg pspnet_wres38-d8_20k_voc12aug_pus.py): PSPNet on
# ResNet-38d trained on the PPMG labels of train_aug with the PUF loss: SGD lr 5e-3, momentum
# 0.9, weight decay 5e-4, poly 0.9 to 1e-4, 20k iterations, batch 16 (8 GPUs x 2 there), 512
# crops, ratio 0.5-2.0, flip, photometric distortion; J / F on val with PMM's test.
_base_ = [
    '../_base_/models/pspnet_r38d.py', '../_base_/datasets/voc12aug_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
crop_size = (512, 512)
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(batch_size=16)
optim_wrapper = dict(optimizer=dict(lr=5e-3, momentum=0.9, weight_decay=5e-4))
