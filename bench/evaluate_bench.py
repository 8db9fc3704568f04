"""Evaluate's confusion matrix (engine.metrics.confusion_matrix) against
sklearn.metrics.confusion_matrix on a 50-megapixel pair.

The pair: 7071 x 7071 Byte rasters, 6 classes in blocky regions, the
prediction agreeing with the reference on about 85 % of pixels, 1 % of the
reference set to 255 (ignore). They are written as GeoTIFFs the way the
engine writes class rasters (tiled, DEFLATE) and, for a second row, untiled
and uncompressed. metrics.confusion_matrix reads both files from disk by
blocks (decompression included); sklearn gets the flattened arrays already in
memory (reading them is not timed) and the same pixels (ignore removed
beforehand, also not timed). Both matrices are checked to be equal. Times are
the best of REPEATS runs (sklearn: of SK_REPEATS).

Usage: python bench/evaluate_bench.py [side] [repeats]
"""

import os
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal

import benchlib  # noqa: E402

benchlib.import_plugin()
from semantic_segmentation.engine import metrics, raster  # noqa: E402

CLASSES = 6
SK_REPEATS = 1


def make_pair(side, seed=0):
    rng = np.random.default_rng(seed)
    cell = 64
    coarse = rng.integers(0, CLASSES, size=(side // cell + 1, side // cell + 1), dtype=np.uint8)
    ref = np.repeat(np.repeat(coarse, cell, axis=0), cell, axis=1)[:side, :side].copy()
    pred = ref.copy()
    flip = rng.integers(0, 100, size=ref.shape, dtype=np.uint8) < 15
    pred[flip] = rng.integers(0, CLASSES, size=int(flip.sum()), dtype=np.uint8)
    ref[rng.integers(0, 100, size=ref.shape, dtype=np.uint8) < 1] = 255
    return ref, pred


def write(path, array, options):
    ds = raster.create(path, array.shape[1], array.shape[0], 1, np.uint8,
                       geotransform=(500000.0, 1.0, 0.0, 4200000.0, 0.0, -1.0),
                       projection=None, options=options)
    ds.GetRasterBand(1).WriteArray(array)
    ds.FlushCache()
    ds = None


def best(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 7071
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    from sklearn import __version__ as sk_version
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    mpx = side * side / 1e6
    ref, pred = make_pair(side)
    keep = ref != 255
    y_true, y_pred = ref[keep], pred[keep]  # flattened, in memory
    del keep
    labels = np.arange(256)
    t_sk, sk_cm = best(lambda: sk_confusion_matrix(y_true, y_pred, labels=labels), SK_REPEATS)
    print(f"pair: {side} x {side} Byte = {mpx:.1f} Mpx, {CLASSES} classes, 1 % ignore (255)")
    print(f"numpy {np.__version__}, GDAL {gdal.__version__}, scikit-learn {sk_version}, "
          f"{os.cpu_count()} CPU(s)")
    print(f"sklearn.metrics.confusion_matrix (arrays in memory): {t_sk:7.2f} s "
          f"{mpx / t_sk:8.1f} Mpx/s")
    with tempfile.TemporaryDirectory() as tmp:
        for label, options in (("tiled DEFLATE GeoTIFF", raster.GTIFF_OPTIONS),
                               ("untiled uncompressed GeoTIFF", ())):
            r, p = os.path.join(tmp, "ref.tif"), os.path.join(tmp, "pred.tif")
            write(r, ref, options)
            write(p, pred, options)
            t, cm = best(lambda: metrics.confusion_matrix(p, r), repeats)
            assert np.array_equal(cm, sk_cm), "confusion matrices differ"
            print(f"metrics.confusion_matrix ({label}, read from disk): {t:7.2f} s "
                  f"{mpx / t:8.1f} Mpx/s  = {t_sk / t:5.1f}x sklearn")
    print("matrices equal: yes; load average (1, 5, 15 min) at the end: "
          + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
