# PMM stage B + FSL only (hfpl sec. 5.1: no ISL in the multi-crop stage; SEAM's FSL settings).
_base_ = ['./pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py',
          '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(fsl=_base_.hfpl_seam_losses.fsl))
