"""Small synthetic rasters for tests, written with GDAL."""

import numpy as np
from osgeo import gdal, osr

# A UTM 16N grid at 30 m, like the Landsat-8 sample scene.
UTM16N = 32616
ORIGIN = (500000.0, 4200000.0)


def srs_wkt(epsg=UTM16N):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return srs.ExportToWkt()


def write_raster(path, array, pixel=30.0, origin=ORIGIN, epsg=UTM16N, nodata=None,
                 color_table=None):
    """Write ``array`` ((h, w) or (h, w, bands)) as a GeoTIFF and return ``path``."""
    array = np.asarray(array)
    if array.ndim == 2:
        array = array[..., None]
    h, w, b = array.shape
    gtype = gdal.GetDataTypeByName({
        "uint8": "Byte", "uint16": "UInt16", "int16": "Int16", "int32": "Int32",
        "uint32": "UInt32", "float32": "Float32", "float64": "Float64"}[array.dtype.name])
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, b, gtype)
    ds.SetGeoTransform((origin[0], pixel, 0.0, origin[1], 0.0, -pixel))
    if epsg:
        ds.SetProjection(srs_wkt(epsg))
    for i in range(b):
        band = ds.GetRasterBand(i + 1)
        band.WriteArray(array[..., i])
        if nodata is not None:
            band.SetNoDataValue(float(nodata))
    if color_table:
        table = gdal.ColorTable()
        for value, rgb in color_table.items():
            table.SetColorEntry(int(value), tuple(rgb) + (255,))
        ds.GetRasterBand(1).SetRasterColorTable(table)
    ds.FlushCache()
    ds = None
    return str(path)


def read_raster(path):
    """(array (h, w, bands), dataset) of a raster file."""
    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    if arr.ndim == 2:
        arr = arr[None]
    return np.moveaxis(arr, 0, -1), ds


def synthetic_scene(h=96, w=128, bands=3, seed=0, classes=3):
    """An image whose classes are learnable from its bands, and its label."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    label = ((xx // 32 + yy // 32) % classes).astype(np.uint8)
    image = rng.normal(0, 5, size=(h, w, bands)) + 100
    for c in range(classes):
        image[label == c, c % bands] += 60
    return np.clip(image, 0, 65535).astype(np.uint16), label
