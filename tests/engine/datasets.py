"""A tiny dataset folder in Tile Dataset's format, for training tests."""

import os

import numpy as np

from rasters import write_raster
from semantic_segmentation.engine.formats import dataset_files


def _chip(size, bands, classes, seed):
    """An image whose 8-pixel blocks of classes are learnable from its bands."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    label = ((xx // 8 + yy // 8 + seed) % classes).astype(np.uint8)
    image = rng.normal(0, 5, size=(size, size, bands)) + 100
    for c in range(classes):
        image[label == c, c % bands] += 60
    return np.clip(image, 0, 65535).astype(np.uint16), label


def write_dataset(folder, n_train=6, n_val=2, size=32, bands=3, classes=3, seed=0,
                  ignore_border=True, class_names=None):
    """Write ``images/``, ``labels/``, and train/val.txt and dataset.json (through
    the format's owner, engine/formats/dataset_files.py); return folder.

    Class values are 1..classes (so the value -> index mapping is exercised);
    a 2-pixel border of each label is 255 (ignore) when ``ignore_border``.
    """
    folder = str(folder)
    os.makedirs(os.path.join(folder, "images"), exist_ok=True)
    os.makedirs(os.path.join(folder, "labels"), exist_ok=True)
    names = [f"chip_{i:03d}" for i in range(n_train + n_val)]
    counts = np.zeros(256, np.int64)
    total = np.zeros(bands)
    total_sq = np.zeros(bands)
    for i, name in enumerate(names):
        image, label = _chip(size, bands, classes, seed + i)
        # Vary the pattern between chips.
        shift = (i * 7) % size
        image, label = np.roll(image, shift, axis=1), np.roll(label, shift, axis=1)
        label = (label + 1).astype(np.uint8)
        if ignore_border:
            label[:2, :] = 255
        write_raster(os.path.join(folder, "images", name + ".tif"), image)
        write_raster(os.path.join(folder, "labels", name + ".tif"), label)
        counts += np.bincount(label.ravel(), minlength=256)
        total += image.reshape(-1, bands).sum(0)
        total_sq += (image.reshape(-1, bands).astype(np.float64) ** 2).sum(0)
    n_px = len(names) * size * size
    values = [v for v in range(1, classes + 1)]
    header = {"tile_size": size, "bands": bands,
              "band_names": [f"B{i + 1}" for i in range(bands)], "data_type": "UInt16",
              "nodata": None, "ignore_value": 255, "has_labels": True, "crs": "EPSG:32616"}
    description = dataset_files.updated(
        None, header, tiles=len(names), pixel_count=np.full(bands, n_px),
        pixel_sum=total, pixel_sumsq=total_sq, class_pixels=counts[:255],
        class_names=class_names or {str(v): f"land {v}" for v in values},
        class_colors={str(v): [40 * v, 255 - 40 * v, 100] for v in values},
        source={"image": "synthetic"})
    dataset_files.write(folder, description,
                        {"train": names[:n_train], "val": names[n_train:]}, [])
    return folder
