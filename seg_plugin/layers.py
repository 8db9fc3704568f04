"""Layer helpers: QGIS raster layers -> plain GDAL paths the engine can open."""

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Optional

import numpy as np
from osgeo import gdal
from qgis.core import (
    Qgis,
    QgsDataSourceUri,
    QgsProcessingException,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsRasterBlockFeedback,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtGui import QImage

from ..engine.data import raster, sources
from ..engine.errors import Cancelled, SegError
from .i18n import tr, tr_message


def raster_path(layer, parameter):
    """The GDAL path of a raster layer; a clear error for non-GDAL layers."""
    if layer is None:
        raise QgsProcessingException(tr("No raster layer was given for {0}.").format(parameter))
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            tr("The layer {0} ({1}) is not a GDAL raster file: save it as a GeoTIFF first.")
            .format(layer.name(), parameter))
    parts = QgsProviderRegistry.instance().decodeUri("gdal", layer.source())
    return parts.get("path") or layer.source()


# ---------------------------------------------------------------- output layers' names
def is_temporary(path):
    """True for a file in Processing's temporary folder (a "temporary output")."""
    if not path:
        return False
    folder = os.path.normcase(os.path.realpath(QgsProcessingUtils.tempFolder()))
    path = os.path.normcase(os.path.realpath(path.split("|", 1)[0]))
    try:
        return os.path.commonpath([folder, path]) == folder
    except ValueError:  # another drive (Windows)
        return False


def output_layer_name(path, temporary_name):
    """The name of an output layer: its file's base name (``prediction`` for
    ``prediction.tif``, ``prediction_entropy`` for ``prediction_entropy.tif``), so
    that the layers of two runs can be told apart; ``temporary_name`` for a
    temporary output, whose file name says nothing."""
    if is_temporary(path):
        return temporary_name
    return os.path.splitext(os.path.basename(path.split("|", 1)[0]))[0] or temporary_name


def name_when_loaded(context, path, temporary_name):
    """Name the layer Processing loads for the output ``path`` when the algorithm
    is done (see :func:`output_layer_name`); nothing when it will not load it.
    The name is forced, so it replaces the output parameter's description."""
    if not path or not context.willLoadLayerOnCompletion(path):
        return None
    details = context.layerToLoadOnCompletionDetails(path)
    details.name = output_layer_name(path, temporary_name)
    details.forceName = True
    return details.name


# ---------------------------------------------------------------- any raster layer
# The engine reads a layer through GDAL wherever GDAL can: files and VRTs
# (provider "gdal"), XYZ tile templates and OGC WMS layers (provider "wms"),
# as GDAL WMS service descriptions (engine/data/sources.py). Other providers (WMTS,
# WCS, PostGIS rasters, layers behind a QGIS authentication configuration...)
# are read here by QGIS, block by block, into a temporary GeoTIFF.
RENDER_BLOCK = 512
# URI keys that need QGIS's network stack (credentials, headers): QGIS reads those.
QGIS_ONLY_KEYS = ("authcfg", "username", "password", "referer", "http-header:referer")
ARGB_TYPES = (Qgis.DataType.ARGB32, Qgis.DataType.ARGB32_Premultiplied)
GDAL_TYPES = {
    Qgis.DataType.Byte: ("Byte", "uint8"),
    Qgis.DataType.UInt16: ("UInt16", "uint16"),
    Qgis.DataType.Int16: ("Int16", "int16"),
    Qgis.DataType.UInt32: ("UInt32", "uint32"),
    Qgis.DataType.Int32: ("Int32", "int32"),
    Qgis.DataType.Float32: ("Float32", "float32"),
    Qgis.DataType.Float64: ("Float64", "float64"),
}


@dataclass
class LayerInput:
    """What the engine gets for a raster layer parameter."""

    source: str                 # a GDAL path or service description
    name: str                   # the layer, for messages and dataset.json
    resolution: Optional[float]  # map units per pixel for the engine (None: as is)
    extent: Optional[list]      # [xmin, ymin, xmax, ymax] in the layer's CRS, or None
    units: str                  # the CRS's unit, as engine/data/sources.py names it


def bare_web_layer(value):
    """True for a web layer's URI given without QGIS's ``wms://`` provider prefix
    (``type=xyz&url=...``, ``crs=...&layers=...&url=...``)."""
    return (isinstance(value, str) and "url=" in value
            and "://" not in value.split("url=", 1)[0])


def raster_layer(algorithm, parameters, name, context):
    """``parameterAsRasterLayer``, also for a bare web layer string such as
    ``type=xyz&url=...`` (the ``wms://`` prefix QGIS wants may be left out)."""
    value = parameters.get(name)
    if bare_web_layer(value):
        layer = QgsRasterLayer(value, name, "wms")
        if not layer.isValid():
            raise QgsProcessingException(
                tr("{0}: QGIS cannot open the web layer {1}.").format(name, value))
        context.temporaryLayerStore().addMapLayer(layer)
        return layer
    return algorithm.parameterAsRasterLayer(parameters, name, context)


def has_natural_size(layer):
    """True for layers with pixels of their own (files); False for web services."""
    return layer.providerType() == "gdal"


def gdal_source(layer, resolution=None, bounds=None):
    """A source GDAL opens for ``layer`` (a path or a GDAL WMS description), or
    None when QGIS must read it. ``resolution`` and ``bounds`` (in the layer's
    CRS) place an OGC WMS's grid."""
    provider = layer.providerType()
    if provider == "gdal":
        parts = QgsProviderRegistry.instance().decodeUri("gdal", layer.source())
        return parts.get("path") or layer.source()
    if provider != "wms":
        return None
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    if any(uri.hasParam(key) for key in QGIS_ONLY_KEYS) or uri.param("tileMatrixSet"):
        return None  # credentials, or a WMTS: QGIS reads it
    url = uri.param("url")
    if not url:
        return None
    if uri.param("type") == "xyz":
        if "{q}" in url:
            return None
        try:
            zmin = int(uri.param("zmin") or 0)
            zmax = int(uri.param("zmax") or 19)
        except ValueError:
            return None
        return sources.xyz_xml(url, zmin, zmax)
    layers = [x for x in uri.params("layers") if x]
    if uri.param("type") or not layers or not resolution or bounds is None:
        return None
    return sources.wms_xml(url, ",".join(layers), uri.param("crs") or layer.crs().authid(),
                           bounds, resolution, styles=",".join(uri.params("styles")),
                           image_format=uri.param("format") or "image/png")


@contextlib.contextmanager
def layer_input(layer, parameter, resolution, extent, feedback, resolution_name="RESOLUTION",
                extent_name="EXTENT"):
    """The engine's view of ``layer`` at ``resolution`` (map units per pixel; 0 or
    None: the layer's own) over ``extent`` (a QgsRectangle in the layer's CRS,
    or None: all of it), for the time of the ``with`` block.

    Layers without a natural size (web services) need both; the error names
    ``resolution_name`` / ``extent_name``. Layers GDAL reads go to the engine
    as they are (it warps them window by window); the others are read here,
    block by block, into a temporary tiled GeoTIFF removed afterwards.
    """
    if layer is None:
        raise QgsProcessingException(tr("No raster layer was given for {0}.").format(parameter))
    if extent is not None and (extent.isNull() or extent.isEmpty()):
        extent = None
    resolution = float(resolution or 0.0) or None
    if not has_natural_size(layer) and (resolution is None or extent is None):
        missing = [n for n, v in ((resolution_name, resolution), (extent_name, extent))
                   if v is None]
        raise QgsProcessingException(
            tr("The layer {0} ({1}) is a web layer without a pixel size of its own: give {2} "
               "(map units per pixel, in the layer's CRS) and {3} (the area to read).")
            .format(layer.name(), parameter, resolution_name, extent_name)
            + " " + tr("Missing: {0}.").format(", ".join(missing)))
    bounds = None if extent is None else [extent.xMinimum(), extent.yMinimum(),
                                          extent.xMaximum(), extent.yMaximum()]
    units = sources.crs_units(layer.crs().toWkt())
    source = gdal_source(layer, resolution, bounds)
    if source is not None:
        name = source if has_natural_size(layer) else (layer.name() or sources.describe(source))
        yield LayerInput(source, name, resolution, bounds, units)
        return
    folder = tempfile.mkdtemp(prefix="semseg-layer-", dir=QgsProcessingUtils.tempFolder())
    try:
        path = os.path.join(folder, "layer.tif")
        render_layer(layer, bounds or _rect_bounds(layer.extent()),
                     resolution or layer.rasterUnitsPerPixelX(), path, feedback)
        yield LayerInput(path, layer.name() or layer.source(), None, None, units)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rect_bounds(rect):
    return [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()]


def render_layer(layer, bounds, resolution, path, feedback=None, block=RENDER_BLOCK):
    """Read ``layer`` block by block from its data provider over ``bounds`` at
    ``resolution`` into the tiled GeoTIFF ``path`` (the grid snapped as the
    engine snaps it). Colour layers (web maps) become three Byte bands R, G, B;
    others keep their bands, type and nodata. Cancelling raises Cancelled."""
    if not resolution or resolution <= 0:
        raise QgsProcessingException(
            tr("The layer {0} has no pixel size: give a resolution.").format(layer.name()))
    try:
        xmin, ymin, xmax, ymax = sources.snap_bounds(bounds, resolution)
    except SegError as exc:
        raise QgsProcessingException(tr_message(exc)) from exc
    width = max(1, int(round((xmax - xmin) / resolution)))
    height = max(1, int(round((ymax - ymin) / resolution)))
    provider = layer.dataProvider()
    colour = provider.dataType(1) in ARGB_TYPES
    if colour:
        bands, (gdal_name, np_type) = 3, GDAL_TYPES[Qgis.DataType.Byte]
    else:
        if provider.dataType(1) not in GDAL_TYPES:
            raise QgsProcessingException(
                tr("The layer {0} has pixels of a type the plugin cannot read.")
                .format(layer.name()))
        bands, (gdal_name, np_type) = provider.bandCount(), GDAL_TYPES[provider.dataType(1)]
    ds = raster.create(path, width, height, bands, gdal.GetDataTypeByName(gdal_name),
                       (xmin, resolution, 0.0, ymax, 0.0, -resolution), layer.crs().toWkt())
    if not colour:
        for b in range(1, bands + 1):
            if provider.sourceHasNoDataValue(b):
                ds.GetRasterBand(b).SetNoDataValue(provider.sourceNoDataValue(b))
    windows = raster.grid_windows(width, height, block)
    block_feedback = QgsRasterBlockFeedback()
    if feedback is not None:
        feedback.pushInfo(tr("Reading the layer {0} ({1} x {2} pixels) through QGIS.")
                          .format(layer.name(), width, height))
    for i, window in enumerate(windows):
        if feedback is not None:
            if feedback.isCanceled():
                ds = None
                raise Cancelled()
            feedback.setProgress(100.0 * i / len(windows))
        rect = QgsRectangle(xmin + window.x * resolution,
                            ymax - (window.y + window.height) * resolution,
                            xmin + (window.x + window.width) * resolution,
                            ymax - window.y * resolution)
        if colour:
            planes = _colour_block(provider, rect, window, block_feedback)
        else:
            planes = [_band_block(provider, b, rect, window, np_type, block_feedback)
                      for b in range(1, bands + 1)]
        for b, plane in enumerate(planes):
            ds.GetRasterBand(b + 1).WriteArray(plane, window.x, window.y)
    ds.FlushCache()
    ds = None
    return path


def _colour_block(provider, rect, window, block_feedback):
    """R, G, B planes (uint8) of a colour block, alpha not premultiplied."""
    data = provider.block(1, rect, window.width, window.height, block_feedback)
    image = data.image().convertToFormat(QImage.Format_ARGB32)
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    pixels = np.frombuffer(bits, np.uint8).reshape(window.height, image.bytesPerLine())
    pixels = pixels[:, :window.width * 4].reshape(window.height, window.width, 4)
    # QImage ARGB32 is 0xAARRGGBB: bytes B, G, R, A in memory (little-endian)
    return [pixels[..., 2].copy(), pixels[..., 1].copy(), pixels[..., 0].copy()]


def _band_block(provider, band, rect, window, np_type, block_feedback):
    data = provider.block(band, rect, window.width, window.height, block_feedback)
    return np.frombuffer(bytes(data.data()), np_type).reshape(window.height, window.width)
