# Plain CAM -> CAM pseudo-labels (background score chosen on the validation images) ->
# DeepLab-v3+ on the synthetic set; the classifier starts from the synthetic pretraining
# (`--cfg-options stages.pretrain=None`: from scratch).
_base_ = ['./_base_/cam-seg.py', './_base_/synthetic.py']
name = 'CAM'
stages = dict(
    pretrain=dict(config='../pretrain/r18-slim-d8_1xb64-30e_synthetic-pretrain-64x64.py',
                  **_base_.pretrain),
    classifier=dict(
        config='../cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
        **_base_.val_calibrated, **_base_.from_pretrain),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
