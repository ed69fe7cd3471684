# Pipeline: plain CAM classifier -> CAM pseudo-labels -> DeepLabV3+ on the pseudo-labels, all on
# the synthetic set (CPU, minutes). Paths are relative to this file. Run with
#   python tools/run_pipeline.py configs/pipelines/cam_synthetic.py [--seeds 0 1 2]
name = 'CAM'
data_root = 'data/synthetic'
classifier = '../cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
# merged into the classifier config for its test run, which writes the pseudo-labels
pseudo_label = dict(test_evaluator=dict(type='PseudoLabelMetric', bg_thr=0.15))
segmentor = '../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'
