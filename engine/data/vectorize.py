"""Class raster -> polygons (GeoPackage or Shapefile), with class names and areas.

``gdal.Polygonize`` turns connected runs of one class value into polygons
(nodata masked out by the band's mask); each feature then gets its class
``name`` and ``area`` (map units squared, OGR's ``Area()``), and polygons
smaller than ``min_area`` are dropped. TensorFlow-free.
"""

import os

from osgeo import gdal, ogr

from . import raster
from ..errors import InputError
from ..progress import GdalProgress

DRIVERS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile"}


def split_vector_path(path):
    """(file path, layer name or id or None, subset filter or None) of a vector
    path in QGIS's style: ``file.gpkg|layername=roads|subset="class" > 0``."""
    parts = str(path).split("|")
    layer, subset = None, None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        key = key.strip().lower()
        if key == "layername":
            layer = value
        elif key == "layerid" and layer is None:
            layer = int(value)
        elif key == "subset":
            subset = value
    return parts[0], layer, subset


def pick_layer(source, layer_ref):
    """The layer of the open OGR data ``source`` that a vector path names
    (:func:`split_vector_path`): ``layername=`` by name, ``layerid=`` by index,
    else the file's first layer; None when the named layer is missing. The one
    rule for which layer of a file is used, for every vector input."""
    if layer_ref is None:
        layer_ref = 0
    elif isinstance(layer_ref, str):
        return raster.gdal_call(source.GetLayerByName, layer_ref.strip())
    return raster.gdal_call(source.GetLayer, layer_ref)


def driver_for(path):
    """The OGR driver name for ``path``'s extension; InputError if unsupported."""
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in DRIVERS:
        raise InputError("The vector output {path} must end with one of {drivers} "
                         "(GeoPackage or Shapefile).",
                         path=path, drivers=", ".join(sorted(DRIVERS)))
    return DRIVERS[ext]


def polygonize(band, path, classes, min_area=0.0, layer_name=None, progress=None):
    """Write the polygons of a class ``band`` to the vector file ``path``.

    ``classes``: ``{value: name}``. Fields: ``class`` (int), ``name`` (str),
    ``area`` (float, map units squared). Returns the number of polygons kept.
    """
    driver = driver_for(path)
    drv = ogr.GetDriverByName(driver)
    if os.path.exists(path):
        drv.DeleteDataSource(str(path))
    ds = raster.gdal_call(drv.CreateDataSource, str(path))
    if ds is None:
        raise InputError("Cannot create the vector file {path}: {gdal_error}.",
                         path=path, gdal_error=raster.last_error("write error"))
    srs = None
    wkt = band.GetDataset().GetProjection()
    if wkt:
        srs = raster.srs_from_wkt(wkt)
    name = layer_name or os.path.splitext(os.path.basename(path))[0]
    layer = ds.CreateLayer(name, srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    name_field = ogr.FieldDefn("name", ogr.OFTString)
    name_field.SetWidth(80)
    layer.CreateField(name_field)
    area_field = ogr.FieldDefn("area", ogr.OFTReal)
    area_field.SetWidth(24)
    area_field.SetPrecision(4)
    layer.CreateField(area_field)

    callback = GdalProgress(progress.sub(0.0, 0.8)) if progress is not None else None

    layer.StartTransaction()
    # Field 0 ("class") receives the pixel value; the mask band hides nodata.
    if not raster.gdal_ok(gdal.Polygonize, band, band.GetMaskBand(), layer, 0, [],
                          callback=callback):
        layer.RollbackTransaction()
        ds = None
        if callback is not None:
            callback.reraise()
        raise InputError("Polygonizing into {path} failed: {gdal_error}.",
                         path=path, gdal_error=raster.last_error("polygonize failed"))
    layer.CommitTransaction()

    total = max(layer.GetFeatureCount(), 1)
    kept, drop = 0, []
    layer.StartTransaction()
    layer.ResetReading()
    for i, feature in enumerate(layer):
        geometry = feature.GetGeometryRef()
        area = geometry.Area() if geometry is not None else 0.0
        if area < float(min_area or 0.0):
            drop.append(feature.GetFID())
            continue
        value = feature.GetFieldAsInteger(0)
        feature.SetField("name", classes.get(value, str(value)))
        feature.SetField("area", float(area))
        layer.SetFeature(feature)
        kept += 1
        if progress is not None and i % 1000 == 0:
            progress(0.8 + 0.2 * i / total)
    for fid in drop:
        layer.DeleteFeature(fid)
    layer.CommitTransaction()
    if drop and driver == "ESRI Shapefile":
        ds.ExecuteSQL(f'REPACK "{layer.GetName()}"')
    ds = None
    return kept
