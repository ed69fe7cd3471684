# SIPE's refinement on the stages of cam-refine-seg.py (chenqi1126/SIPE cam2ir.py,
# make_seg_labels.py): confident labels from the IS-CAM's own background (the refine_labels
# config), and IRN's random walk with that background walking as channel 0, the IS-CAM resized
# bilinearly to the stride-4 edge grid and raised to 1.5 (these options on an IRN config).
sipe_walk = {
    'model.walk.bg': 'channel',
    'model.walk.seed_resize': 'bilinear',
    'model.walk.seed_power': 1.5,
}
