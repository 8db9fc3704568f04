"""Color to Index: RGB label images <-> class-index rasters."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..engine.data import labels
from ..engine.errors import SegError
from ..seg_plugin.i18n import tr_message
from ..seg_plugin.layers import name_when_loaded, raster_path
from ..seg_plugin.styles import remove_class_qml, style_class_output
from .base import SegAlgorithm, option_parameter


class ColorToIndexAlgorithm(SegAlgorithm):
    """Converts colour-coded labels to class indices (or back) with a colour map."""

    INPUT = "INPUT"
    MODE = "MODE"
    COLOR_MAP = "COLOR_MAP"
    COLOR_MAP_FILE = "COLOR_MAP_FILE"
    UNKNOWN = "UNKNOWN"
    OUTPUT = "OUTPUT"

    NAME = "colortoindex"
    DISPLAY = "Color to Index"
    HELP = (
        "Converts a colour-coded label image (RGB, or one band with a colour table) into a "
        "class-index raster that Tile Dataset, Train Model and Evaluate read, or an index "
        "raster back into colours.\n\n"
        "Input raster: the colour label image, or the class-index raster to colour. Direction: "
        "colour to index, or index to colour. Colour map: a shipped preset (PASCAL VOC, "
        "Cityscapes, ADE20K, Inria...), or a Colour map file, which replaces the preset: a "
        "JSON colour map, or one exported from QGIS's paletted renderer (.txt or .clr lines "
        "'value,r,g,b,alpha,label'). Output raster: a Byte GeoTIFF with the input's "
        "georeference; an index raster carries the class colours and names.\n\n"
        "Advanced parameters: Unknown colours, fail (the error lists the colours that are not "
        "in the map and their pixel counts), or map them to 255, the value training and "
        "evaluation ignore.\n\n"
        "qgis_process names: INPUT, MODE (color_to_index, index_to_color), COLOR_MAP (voc, "
        "cityscapes, ade20k, inria...), COLOR_MAP_FILE, OUTPUT; UNKNOWN (fail, ignore)."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster")))
        self.addParameter(option_parameter(self.MODE, self.tr("Direction"), "color_direction"))
        self.addParameter(option_parameter(self.COLOR_MAP, self.tr("Colour map"), "color_map"))
        self.addParameter(QgsProcessingParameterFile(
            self.COLOR_MAP_FILE, self.tr("Colour map file (replaces the preset)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=self.tr("Colour maps (*.json *.txt *.clr *.csv);;All files (*.*)"),
            optional=True))
        self.addParameter(option_parameter(self.UNKNOWN, self.tr("Unknown colours"),
                                           "unknown_colors"))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT, self.tr("Output raster")))
        self.advanced_except(self.INPUT, self.MODE, self.COLOR_MAP, self.COLOR_MAP_FILE)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = raster_path(self.parameterAsRasterLayer(parameters, self.INPUT, context),
                             self.INPUT)
        to_index = self.option(parameters, self.MODE, context) == "color_to_index"
        color_map = self._color_map(parameters, context)
        unknown = self.option(parameters, self.UNKNOWN, context)
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
        # the loaded layer is named after its file; a temporary one after the input
        scene = self.parameterAsRasterLayer(parameters, self.INPUT, context).name()
        temporary = self.tr("{0} class indices") if to_index else self.tr("{0} colours")
        name_when_loaded(context, output, temporary.format(scene))
        return {self.OUTPUT: output}

    def _color_map(self, parameters, context):
        """The colour map file's map when given, else the chosen preset's."""
        path = self.parameterAsFile(parameters, self.COLOR_MAP_FILE, context)
        try:
            if path:
                return labels.load_color_map_file(path)
            return labels.load_preset(self.option(parameters, self.COLOR_MAP, context))
        except SegError as exc:
            parameter = self.COLOR_MAP_FILE if path else self.COLOR_MAP
            raise QgsProcessingException(f"{parameter}: {tr_message(exc)}") from exc

