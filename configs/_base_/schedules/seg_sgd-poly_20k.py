# Schedule of the final segmentation models: mmseg's 20k-iteration recipe (SGD lr 0.01,
# momentum 0.9, weight decay 5e-4, poly decay to 1e-4, validation and checkpoints every 2k
# iterations; mmseg trains VOC at batch 16 and Cityscapes at batch 8 with this lr). The default
# hooks come with the schedule, as in mmseg. Only the last two checkpoints are kept.
_base_ = 'mmseg::_base_/schedules/schedule_20k.py'
default_hooks = dict(checkpoint=dict(max_keep_ckpts=2))
