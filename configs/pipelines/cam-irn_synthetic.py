# The CAM pipeline with IRN's refinement between the pseudo-labels and the segmentor (as the
# plain-CAM baseline of the paper): confident labels (fg 0.30 / bg 0.05, label CRF) from the
# saved CAMs, IRN trained on them (backbone initialised from the classifier, as IRN starts from
# ImageNet weights), random walk -> refined pseudo-labels -> segmentor. Run with
#   python tools/run_pipeline.py configs/pipelines/cam-irn_synthetic.py [--seeds 0 1 2]
_base_ = './cam_synthetic.py'
name = 'CAM + IRN'
refine = dict(
    labels='../refine/confident-labels_irn-fg30-bg05_synthetic-96x96.py',
    net='../refine/irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py',
    init_backbone=True)
