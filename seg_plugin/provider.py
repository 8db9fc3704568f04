"""The ``semseg`` Processing provider."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .i18n import tr

ICON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "resources", "icon.svg")


class SegmentationProvider(QgsProcessingProvider):
    """Tile Dataset, Color to Index, Train Model, Predict Raster, Evaluate."""

    def id(self):
        return "semseg"

    def name(self):
        return tr("Semantic Segmentation")

    def longName(self):  # noqa: N802
        return self.name()

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: N802
        return ICON

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]  # the engine writes GeoTIFF

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802
        return ["gpkg", "shp"]  # what the engine's polygonizer writes

    def loadAlgorithms(self):  # noqa: N802
        from ..algorithms import all_algorithms

        for algorithm in all_algorithms():
            self.addAlgorithm(algorithm)
