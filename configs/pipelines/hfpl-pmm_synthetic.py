# pmm_synthetic.py with ISL + FSL in stage A and FSL in stage B (hfpl paper sec. 5.1).
_base_ = './pmm_synthetic.py'
name = 'PMM + ISL + FSL'
stages = dict(
    classifier=dict(config='../pmm/hfpl-pmm-ms_r38d-slim_1xb16-8e_synthetic-96x96.py'),
    multi_crop=dict(config='../pmm/hfpl-pmm-mc_scalenet50-slim_1xb16-8e_synthetic-96x96.py'))
