"""Tile Dataset (engine.data.tiling.tile_scene, stride method) against gdal_retile.py.

Both cut the same synthetic scene (4000 x 4000, 4 bands UInt16, GeoTIFF)
into 256 x 256 GeoTIFF chips with no overlap, uncompressed. gdal_retile runs
in-process (osgeo_utils.gdal_retile.main, what /usr/bin/gdal_retile.py calls),
so neither time includes an interpreter start. Each is run REPEATS times,
alternating (with a sync before each so that one run's disk writeback does
not slow the next); the figure is each side's median (best and all runs are
printed too, with the machine's load). tile_scene also computes the
dataset's band statistics and writes dataset.json and the split files. Chips are uncompressed: measured here,
DEFLATE level 1 made writing a 4 x 256 x 256 UInt16 chip about 6x slower
(0.55 ms -> 3.4 ms) for a third less disk.

Usage: python bench/tiling_bench.py [size] [repeats] [work folder parent]
(e.g. /dev/shm to leave the disk out and compare CPU work only)
"""

import os
import shutil
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal, osr

import benchlib  # noqa: E402

benchlib.import_plugin()
from semantic_segmentation.engine.data import tiling  # noqa: E402

TILE = 256


def make_scene(path, size, bands=4):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32616)
    ds = gdal.GetDriverByName("GTiff").Create(path, size, size, bands, gdal.GDT_UInt16,
                                              ["TILED=YES"])
    ds.SetGeoTransform((500000.0, 10.0, 0.0, 4200000.0, 0.0, -10.0))
    ds.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(0)
    rows = 500
    for y in range(0, size, rows):
        h = min(rows, size - y)
        for b in range(bands):
            block = rng.integers(0, 10000, size=(h, size), dtype=np.uint16)
            ds.GetRasterBand(b + 1).WriteArray(block, 0, y)
    ds = None


def run_engine(scene, out):
    res = tiling.tile_scene(tiling.TileParams(scene, out, tile_size=TILE, method="stride",
                                              val_fraction=0.2))
    return res.tile_count


def run_retile(scene, out):
    from osgeo_utils import gdal_retile

    os.makedirs(out)
    gdal_retile.main(["gdal_retile.py", "-q", "-ps", str(TILE), str(TILE), "-overlap", "0",
                      "-of", "GTiff", "-targetDir", out, scene])
    return len([n for n in os.listdir(out) if n.endswith(".tif")])


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    parent = sys.argv[3] if len(sys.argv) > 3 else None
    work = tempfile.mkdtemp(prefix="tiling-bench-", dir=parent)
    try:
        scene = os.path.join(work, "scene.tif")
        make_scene(scene, size)
        gdal.Open(scene).ReadAsArray()  # warm the page cache for both
        print(f"load at the start: {benchlib.load()}")
        counts, outs = {}, iter(range(10 ** 6))

        def timed(fn, name):
            def run():
                out = os.path.join(work, f"{name}_{next(outs)}")
                counts[name] = fn(scene, out)
                shutil.rmtree(out)
            return run

        times, _ = benchlib.alternate(
            {"gdal_retile": timed(run_retile, "gdal_retile"),
             "tile_scene": timed(run_engine, "tile_scene")}, repeats, before=os.sync)
        engine, retile = (benchlib.median(times[k]) for k in ("tile_scene", "gdal_retile"))
        print(f"scene: {size} x {size}, 4 bands UInt16; tiles {TILE} x {TILE}, no overlap, "
              f"GeoTIFF chips; GDAL {gdal.__version__}; median of {repeats} alternating runs; "
              f"in {work}")
        print(f"tile_scene (stride): {engine:7.3f} s  {counts['tile_scene']} chips "
              f"(+ stats, dataset.json, split)  [runs: {benchlib.runs(times['tile_scene'])}]")
        print(f"gdal_retile.py     : {retile:7.3f} s  {counts['gdal_retile']} chips  "
              f"[runs: {benchlib.runs(times['gdal_retile'])}]")
        print(f"load at the end: {benchlib.load()}")
        print(f"ratio tile_scene / gdal_retile (medians): {engine / retile:.2f} "
              f"({'not slower' if engine <= retile else 'SLOWER'}); best of each: "
              f"{min(times['tile_scene']) / min(times['gdal_retile']):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
