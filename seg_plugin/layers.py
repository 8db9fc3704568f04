"""Layer helpers: QGIS raster layers -> plain GDAL paths the engine can open."""

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

