# pmm_voc.py with ISL + FSL in stage A and FSL in stage B (hfpl paper sec. 5.1).
_base_ = './pmm_voc.py'
name = 'PMM + ISL + FSL'
stages = dict(
    classifier=dict(config='../pmm/hfpl-pmm-ms_r38d_1xb24-8e_voc12aug-448x448.py'),
    multi_crop=dict(config='../pmm/hfpl-pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py'))
