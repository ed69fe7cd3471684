# CAM + ISL + FSL with IRN's refinement; the refinement as in cam-irn_synthetic.py.
_base_ = './hfpl-cam_synthetic.py'
name = 'CAM + ISL + FSL + IRN'
refine = dict(
    labels='../refine/confident-labels_irn-fg30-bg05_synthetic-96x96.py',
    net='../refine/irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py',
    init_backbone=True)
