"""Predict Raster: a class map of a whole scene from a model file, in a worker."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
)

from ..engine import drift, modelfile, sources
from ..engine.errors import SegError
from ..seg_plugin import styles
from ..seg_plugin.i18n import tr_engine
from ..seg_plugin.layers import has_natural_size, layer_input, raster_layer
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, INTEGER, SegAlgorithm, option_parameter


class PredictRasterAlgorithm(SegAlgorithm):
    NAME = "predictraster"
    DISPLAY = "Predict Raster"
    HELP = (
        "Predicts a class map of a whole scene with a model file made by Train Model. The scene "
        "is read and written window by window, so its size is not limited by memory; "
        "overlapping windows are blended with weights that fall off towards their edges, so "
        "there are no seams.\n\n"
        "INPUT: any raster layer: files GDAL reads (GeoTIFF, VRT, JPEG2000...) and web "
        "layers (XYZ tiles, WMS, WMTS, WCS; in qgis_process INPUT='wms://type=xyz&url=...'). "
        "RESOLUTION: map units per pixel to read it at; left empty, the model's training "
        "resolution (where the model records one in the same CRS units), 0: the layer's own. "
        "A web layer needs a resolution and an EXTENT. A warning says when the input's "
        "resolution is more than 25% away from the training resolution, or when its pixel "
        "type, bands or values look unlike the training data. BANDS: the bands to use, in "
        "the model's order (default: the first bands). MODE: stride (windows over the scene) "
        "or per_image (the whole image resized to the model input, for small photos). "
        "TILE_SIZE 0 uses the model's. OVERLAP -1 chooses it from the network. EXTENT and "
        "MASK limit the prediction. OUTPUT is a tiled, compressed GeoTIFF with overviews and "
        "the class colours and names; OUTPUT_PROBABILITY (optional) has one band per class, "
        "PROBABILITY_FORMAT byte (0-254) or float (0-1); "
        "OUTPUT_VECTOR (optional) has a polygon per patch with its class, name and area, "
        "without patches smaller than MIN_AREA (map units squared). Nodata in any input "
        "band is nodata (255) in the output. The prediction runs in a separate Python "
        "process that has TensorFlow; cancel stops it within a batch and removes its files."
    )

    INPUT = "INPUT"
    BANDS = "BANDS"
    MODEL = "MODEL"
    MODE = "MODE"
    TILE_SIZE = "TILE_SIZE"
    OVERLAP = "OVERLAP"
    BATCH_SIZE = "BATCH_SIZE"
    EXTENT = "EXTENT"
    RESOLUTION = "RESOLUTION"
    MASK = "MASK"
    PROBABILITY_FORMAT = "PROBABILITY_FORMAT"
    MIN_AREA = "MIN_AREA"
    OUTPUT = "OUTPUT"
    OUTPUT_PROBABILITY = "OUTPUT_PROBABILITY"
    OUTPUT_VECTOR = "OUTPUT_VECTOR"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Input raster")))
        self.addParameter(QgsProcessingParameterBand(
            self.BANDS, tr("Bands (in the model's order; default: the first ones)"),
            parentLayerParameterName=self.INPUT, optional=True, allowMultiple=True))
        self.addParameter(QgsProcessingParameterFile(
            self.MODEL, tr("Model file (from Train Model)"), extension="keras"))
        self.addParameter(option_parameter(self.MODE, tr("Mode"), "predict_mode"))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, tr("Extent (only this part of the scene)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.RESOLUTION, tr("Resolution (map units per pixel; empty = the model's, "
                                "0 = the input's own)"),
            type=DOUBLE, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.MASK, tr("Mask polygons (predict only inside)"),
            types=[QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT, tr("Class raster")))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT_PROBABILITY, tr("Class probabilities"), optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT_VECTOR, tr("Class polygons"),
            type=QgsProcessing.SourceType.TypeVectorPolygon, optional=True,
            createByDefault=False))
        advanced = [
            QgsProcessingParameterNumber(self.TILE_SIZE, tr("Window size (0 = the model's)"),
                                         type=INTEGER, defaultValue=0, minValue=0),
            QgsProcessingParameterNumber(self.OVERLAP, tr("Window overlap in pixels (-1 = auto)"),
                                         type=INTEGER, defaultValue=-1, minValue=-1),
            QgsProcessingParameterNumber(self.BATCH_SIZE, tr("Batch size (0 = auto)"),
                                         type=INTEGER, defaultValue=0, minValue=0),
            option_parameter(self.PROBABILITY_FORMAT, tr("Probability format"),
                             "probability_format"),
            QgsProcessingParameterNumber(self.MIN_AREA, tr("Minimum polygon area (map units²)"),
                                         type=DOUBLE, defaultValue=0.0, minValue=0.0),
        ]
        self.add_advanced(*advanced)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        layer = raster_layer(self, parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.tr("No raster layer was given for {0}.")
                                         .format(self.INPUT))
        bands = self.parameterAsInts(parameters, self.BANDS, context) or None
        extent, rect = None, None
        if parameters.get(self.EXTENT):
            rect = self.parameterAsExtent(parameters, self.EXTENT, context, layer.crs())
            if not rect.isNull() and not rect.isEmpty():
                extent = [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()]
        mask = None
        if parameters.get(self.MASK):
            mask = self.ogr_path(parameters, self.MASK, context, feedback)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        probability = self.parameterAsOutputLayer(parameters, self.OUTPUT_PROBABILITY, context)
        vector = self.parameterAsOutputLayer(parameters, self.OUTPUT_VECTOR, context)
        overlap = self.parameterAsInt(parameters, self.OVERLAP, context)
        resolution = self._resolution(parameters, context, layer, feedback)
        job = {
            "bands": bands,
            "model": self.parameterAsFile(parameters, self.MODEL, context),
            "mode": self.option(parameters, self.MODE, context),
            "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
            "overlap": None if overlap < 0 else overlap,
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            "extent": extent,
            "mask": mask,
            "output": output,
            "output_probability": probability or None,
            "probability_format": self.option(parameters, self.PROBABILITY_FORMAT, context),
            "output_vector": vector or None,
            "min_area": self.parameterAsDouble(parameters, self.MIN_AREA, context),
        }
        if not job["model"]:
            raise QgsProcessingException(self.tr("No model file was given (MODEL)."))
        with layer_input(layer, self.INPUT, resolution, rect if extent else None,
                         feedback) as source:
            job.update(input=source.source, resolution=source.resolution)
            result = run_worker("predict", job, feedback,
                                output_paths=[output, probability, vector])
        classes = [(c["value"], c["name"], tuple(c["color"])) for c in result.get("classes", [])]
        styles.style_class_output(context, output, classes)
        styles.style_when_loaded(context, result.get("output_vector"), classes)
        return {
            self.OUTPUT: result.get("output", output),
            self.OUTPUT_PROBABILITY: result.get("output_probability"),
            self.OUTPUT_VECTOR: result.get("output_vector"),
        }

    def _resolution(self, parameters, context, layer, feedback):
        """RESOLUTION, or the model's training resolution when it is not given
        (where the model records one in the layer's CRS units); a warning when
        the input is read more than 25% away from the training resolution."""
        try:
            meta = modelfile.read_metadata(self.parameterAsFile(parameters, self.MODEL, context))
        except SegError:
            meta = {}  # the worker reports the model file's problem
        units = sources.crs_units(layer.crs().toWkt())
        trained = meta.get("resolution")
        value = parameters.get(self.RESOLUTION)
        if value is None or value == "":
            resolution = 0.0
            if trained and (not meta.get("crs_units") or meta.get("crs_units") == units):
                resolution = float(trained[0])
                feedback.pushInfo(self.tr("{0}: the model's training resolution, {1} map units "
                                          "per pixel.").format(self.RESOLUTION, resolution))
        else:
            resolution = self.parameterAsDouble(parameters, self.RESOLUTION, context)
        effective = resolution or (layer.rasterUnitsPerPixelX() if has_natural_size(layer)
                                   else 0.0)
        warning = drift.resolution_warning(effective, units, meta, layer.name() or self.INPUT)
        if warning is not None:
            feedback.pushWarning(tr_engine(warning.template, warning.values,
                                           fallback=str(warning)))
        return resolution
