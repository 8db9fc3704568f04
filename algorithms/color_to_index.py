"""Color to Index: RGB label images <-> class-index rasters."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..engine import labels
from ..engine.errors import SegError
from ..seg_plugin.i18n import tr_exception
from ..seg_plugin.layers import raster_path
from ..seg_plugin.styles import remove_class_qml, style_class_output
from .base import SegAlgorithm


class ColorToIndexAlgorithm(SegAlgorithm):
    """Converts colour-coded labels to class indices (or back) with a colour map."""

    INPUT = "INPUT"
    MODE = "MODE"
    COLOR_MAP = "COLOR_MAP"
    COLOR_MAP_FILE = "COLOR_MAP_FILE"
    UNKNOWN = "UNKNOWN"
    OUTPUT = "OUTPUT"

    UNKNOWN_CHOICES = ("fail", "ignore")  # engine names, in the order of the UNKNOWN enum
    DEFAULT_PRESET = "voc"

    NAME = "colortoindex"
    DISPLAY = "Color to Index"
    HELP = (
        "Converts a colour-coded label image (RGB, or one band with a colour table) into a "
        "class-index raster that Tile Dataset, Train Model and Evaluate read, or an index "
        "raster back into colours.\n\n"
        "Input raster: the colour label image (colour to index) or the class-index raster "
        "(index to colour).\n"
        "Direction: colour to index, or index to colour.\n"
        "Colour map: a shipped preset (PASCAL VOC, Cityscapes, ADE20K, Inria...).\n"
        "Colour map file: a JSON colour map, or a colour map exported from QGIS's "
        "paletted renderer (.txt / .clr lines 'value,r,g,b,alpha,label'); when given it is "
        "used instead of the preset.\n"
        "Unknown colours: fail (the error lists the colours not in the map and their pixel "
        "counts), or write them as 255, the value training and evaluation ignore.\n"
        "Output: a Byte GeoTIFF with the input's georeference; the index raster carries the "
        "class colours and names (colour table and a .qml style)."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        presets = self.presets()
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster")))
        self.addParameter(QgsProcessingParameterEnum(
            self.MODE, self.tr("Direction"),
            options=[self.tr("Colour to index"), self.tr("Index to colour")], defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.COLOR_MAP, self.tr("Colour map"), options=presets,
            defaultValue=presets.index(self.DEFAULT_PRESET)
            if self.DEFAULT_PRESET in presets else 0))
        self.addParameter(QgsProcessingParameterFile(
            self.COLOR_MAP_FILE, self.tr("Colour map file (replaces the preset)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Colour maps (*.json *.txt *.clr *.csv);;All files (*.*)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.UNKNOWN, self.tr("Unknown colours"),
            options=[self.tr("Fail"), self.tr("Map to 255 (ignore)")], defaultValue=0))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT, self.tr("Output raster")))

    @staticmethod
    def presets():
        """The shipped colour-map presets, in the order of the COLOR_MAP enum."""
        return list(labels.PRESETS)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = raster_path(self.parameterAsRasterLayer(parameters, self.INPUT, context),
                             self.INPUT)
        to_index = self.parameterAsEnum(parameters, self.MODE, context) == 0
        color_map = self._color_map(parameters, context)
        unknown = self.UNKNOWN_CHOICES[self.parameterAsEnum(parameters, self.UNKNOWN, context)]
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if os.path.splitext(output)[1].lower() not in (".tif", ".tiff"):
            raise QgsProcessingException(self.tr(
                "{0} must be a GeoTIFF (.tif), not {1}.").format(self.OUTPUT, output))
        feedback.pushInfo(self.tr("Colour map: {0} ({1} classes)").format(
            color_map.name, len(color_map.values)))

        if to_index:
            result = self.run_engine(labels.color_to_index, feedback, source, output,
                                     color_map, unknown=unknown)
            if result.unknown_pixels:
                feedback.pushWarning(self.tr(
                    "{0} pixels had colours not in the map and were set to 255 (ignore).")
                    .format(result.unknown_pixels))
            style_class_output(context, output, color_map.classes())
        else:
            result = self.run_engine(labels.index_to_color, feedback, source, output, color_map)
            remove_class_qml(output)  # an RGB raster: no class style from an earlier run
            if result.unknown_pixels:
                feedback.pushWarning(self.tr(
                    "{0} pixels had values not in the map and were drawn black: {1}.")
                    .format(result.unknown_pixels,
                            ", ".join(str(v) for v, _ in result.unknown[:5])))
        return {self.OUTPUT: output}

    def _color_map(self, parameters, context):
        """The colour map file's map when given, else the chosen preset's."""
        path = self.parameterAsFile(parameters, self.COLOR_MAP_FILE, context)
        try:
            if path:
                return labels.load_color_map_file(path)
            presets = self.presets()
            index = self.parameterAsEnum(parameters, self.COLOR_MAP, context)
            if not 0 <= index < len(presets):
                raise QgsProcessingException(self.tr(
                    "{0}: no preset number {1}.").format(self.COLOR_MAP, index))
            return labels.load_preset(presets[index])
        except SegError as exc:
            parameter = self.COLOR_MAP_FILE if path else self.COLOR_MAP
            raise QgsProcessingException(f"{parameter}: {tr_exception(exc)}") from exc

