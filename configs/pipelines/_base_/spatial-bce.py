# Family: Spatial-BCE's three phases, then cam-refine-seg.py's refinement and segmentor. An
# initial phase (`init`: the network trained with the GAP-BCE, its background score calibrated
# on the validation images) gives the first CRF labels; each phase (`phase1`, `phase2`, and
# `classifier`, the third, whose CAMs the refinement reads) starts from the previous phase's
# weights and trains with the foreground ratios of the previous phase's CRF labels
# (`*_crf`). A pipeline inheriting this sets the config of each stage.
_base_ = './cam-refine-seg.py'
_cams = 'test_dataloader.dataset.pipeline[type=LoadCAMs].cam_dir'
_rho = 'train_dataloader.dataset.pipeline[type=LoadForegroundRatios].label_dir'
_weights = 'model.init_cfg.checkpoint'
_from_previous = {'model.init_cfg': dict(type='Pretrained')}
stages = dict(
    init=dict(
        config=dict(config=None),
        steps=('train', 'val', 'test'),
        val_during_train=False,
        calibrate={'model.cam_bg': 'val.cam/bg_thr'},
        report=dict(val='init CAM (val)', test='init CAM labels')),
    init_crf=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'init.cams'},
        report='init CRF labels'),
    phase1=dict(
        config=dict(config=None),
        steps=('train', 'test'),
        inputs={_rho: 'init_crf.labels', _weights: 'init.checkpoint'},
        options=_from_previous,
        report='phase 1 CAM labels'),
    phase1_crf=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'phase1.cams'},
        report='phase 1 CRF labels'),
    phase2=dict(
        config=dict(config=None),
        steps=('train', 'test'),
        inputs={_rho: 'phase1_crf.labels', _weights: 'phase1.checkpoint'},
        options=_from_previous,
        report='phase 2 CAM labels'),
    phase2_crf=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'phase2.cams'},
        report='phase 2 CRF labels'),
    classifier=dict(
        inputs={_rho: 'phase2_crf.labels', _weights: 'phase2.checkpoint'},
        options=_from_previous,
        report='phase 3 CAM labels'))
