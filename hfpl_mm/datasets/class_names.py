"""Class names and palettes of the data sets the converters and the generator write.

Kept free of any OpenMMLab import so that data preparation runs in a bare numpy/PIL environment.
Class lists exclude the background: index ``i`` in a list is label ``i + 1`` in a mask and
foreground class ``i`` in ``cls_labels.json``.
"""
from typing import List, Tuple

#: Mask value of pixels left out of training and evaluation (VOC's border band, COCO crowds).
IGNORE_INDEX = 255

VOC_CLASSES: Tuple[str, ...] = (
    'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
    'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train',
    'tvmonitor')

COCO_CLASSES: Tuple[str, ...] = (
    'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
    'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog',
    'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
    'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
    'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
    'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
    'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant',
    'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
    'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
    'teddy bear', 'hair drier', 'toothbrush')


def voc_colormap(num: int = 256) -> List[List[int]]:
    """Return the PASCAL VOC colour map (bit-interleaved label index) for labels ``0..num-1``.

    It is the palette the official VOC PNGs carry, so masks written with it look like VOC's:
    black background, the familiar class colours, and ``(224, 224, 192)`` for the void value 255.
    """
    cmap = []
    for label in range(num):
        r = g = b = 0
        c = label
        for shift in range(7, -1, -1):
            r |= (c & 1) << shift
            g |= ((c >> 1) & 1) << shift
            b |= ((c >> 2) & 1) << shift
            c >>= 3
        cmap.append([r, g, b])
    return cmap


#: Full 256-entry palette written into every label PNG (entry 255 is the void colour).
PALETTE_256: List[List[int]] = voc_colormap(256)

#: Background + the 20 VOC classes, as in ``SegmentationClass`` PNGs.
VOC_PALETTE: List[List[int]] = PALETTE_256[:len(VOC_CLASSES) + 1]

#: Colour that the VOC convention gives to the void value :data:`IGNORE_INDEX`.
VOID_COLOR: List[int] = PALETTE_256[IGNORE_INDEX]

#: Background + the 80 COCO classes (VOC colour map continued), for masks written by the converter.
COCO_PALETTE: List[List[int]] = PALETTE_256[:len(COCO_CLASSES) + 1]
