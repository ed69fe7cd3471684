# PMM stage B ("multi-crop", run.py --train_multi_crop): SEAM on ScaleNet-101 trained on grid
# crops labelled by stage A's CRF regions, batch 16, 20 epochs (of one crop per image), lr 0.02.
_base_ = [
    '../_base_/models/pmm-mc_scalenet101.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/seam_sgd-poly_8e.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline={{_base_.pmm_mc_train_pipeline}}))
optim_wrapper = dict(optimizer=dict(lr=0.02))
train_cfg = dict(max_epochs=20)
