"""Evaluate's confusion matrix (engine.evaluate.metrics.confusion_matrix) against
sklearn.metrics.confusion_matrix and a plain in-memory numpy.bincount on a
50-megapixel pair.

The pair: 7071 x 7071 Byte rasters, 6 classes in blocky regions, the
prediction agreeing with the reference on about 85 % of pixels, 1 % of the
reference set to 255 (ignore). They are written as GeoTIFFs the way the
engine writes class rasters (tiled, DEFLATE) and, for a second row, untiled
and uncompressed. metrics.confusion_matrix reads both files from disk by
blocks (decompression included); sklearn gets the flattened arrays already in
memory (reading them is not timed) and the same pixels (ignore removed
beforehand, also not timed); so does numpy.bincount on ``ref * 256 + pred``
(the fastest in-memory baseline). All matrices are checked to be equal. Every
side runs the same REPEATS times, alternating round by round, and the figure
is each side's median (all runs and the machine's load are printed).

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
from semantic_segmentation.engine.data import raster  # noqa: E402
from semantic_segmentation.engine.evaluate import metrics  # noqa: E402

CLASSES = 6


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


def main():
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 7071
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    from sklearn import __version__ as sk_version
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    mpx = side * side / 1e6
    print(f"load at the start: {benchlib.load()}")
    ref, pred = make_pair(side)
    keep = ref != 255
    y_true, y_pred = ref[keep], pred[keep]  # flattened, in memory
    del keep
    labels = np.arange(256)

    def bincount():
        return np.bincount(y_true.astype(np.int64) * 256 + y_pred,
                           minlength=256 * 256).reshape(256, 256)

    with tempfile.TemporaryDirectory() as tmp:
        functions = {
            "sklearn.metrics.confusion_matrix (arrays in memory)":
                lambda: sk_confusion_matrix(y_true, y_pred, labels=labels),
            "numpy.bincount (arrays in memory)": bincount,
        }
        for label, options in (("tiled DEFLATE GeoTIFF", raster.GTIFF_OPTIONS),
                               ("untiled uncompressed GeoTIFF", ())):
            folder = os.path.join(tmp, label.split()[0])
            os.makedirs(folder)
            r, p = os.path.join(folder, "ref.tif"), os.path.join(folder, "pred.tif")
            write(r, ref, options)
            write(p, pred, options)
            functions[f"metrics.confusion_matrix ({label}, read from disk)"] = \
                (lambda p=p, r=r: metrics.confusion_matrix(p, r))
        times, results = benchlib.alternate(functions, repeats)
    first = results[next(iter(results))]
    assert all(np.array_equal(cm, first) for cm in results.values()), "matrices differ"
    print(f"pair: {side} x {side} Byte = {mpx:.1f} Mpx, {CLASSES} classes, 1 % ignore (255); "
          f"median of {repeats} alternating runs each")
    print(f"numpy {np.__version__}, GDAL {gdal.__version__}, scikit-learn {sk_version}")
    sk = benchlib.median(times[next(iter(times))])
    np_t = benchlib.median(times["numpy.bincount (arrays in memory)"])
    for name, values in times.items():
        t = benchlib.median(values)
        print(f"{name}: {t:7.3f} s {mpx / t:8.1f} Mpx/s  = {sk / t:5.1f}x sklearn, "
              f"{np_t / t:5.2f}x numpy.bincount  [runs: {benchlib.runs(values)}]")
    print(f"matrices equal: yes; load at the end: {benchlib.load()}")


if __name__ == "__main__":
    main()
