"""Layer helpers: QGIS layers -> plain GDAL/OGR paths the engine can open."""

from qgis.core import QgsProcessingException, QgsProviderRegistry

from .i18n import tr


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


def vector_path(layer, parameter):
    """An OGR path of a vector layer, with ``|layername=`` kept when needed."""
    if layer is None:
        return None
    if layer.providerType() != "ogr":
        raise QgsProcessingException(
            tr("The layer {0} ({1}) is not a file OGR can read: save it as a GeoPackage first.")
            .format(layer.name(), parameter))
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or layer.source().split("|")[0]
    name = parts.get("layerName")
    return f"{path}|layername={name}" if name else path
