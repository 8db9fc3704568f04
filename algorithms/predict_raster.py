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

from ..engine.data import sources
from ..engine.formats import modelfile
from ..engine.predict import drift
from ..engine.errors import SegError
from ..seg_plugin import engine_setting, styles
from ..seg_plugin.i18n import tr_message
from ..seg_plugin.layers import has_natural_size, layer_input, name_when_loaded, raster_layer
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, SegAlgorithm, option_parameter
from .predict_scenes import cluster_job, how_to_run_parameters


class PredictRasterAlgorithm(SegAlgorithm):
    NAME = "predictraster"
    DISPLAY = "Predict Raster"
    HELP = (
        "Predicts a class map of a whole scene with a model file made by Train Model (.keras) "
        "or exported from one by Export Model (.onnx). The scene is read and written window "
        "by window, so its size is not limited by memory, and overlapping windows are "
        "blended, so there are no seams. Nodata in any input band is nodata in every output.\n\n"
        "Input raster: any raster layer, files (GeoTIFF, VRT, JPEG2000...) or web layers (XYZ "
        "tiles, WMS, WMTS, WCS). Model file: the .keras or .onnx file. Class raster: a tiled, "
        "compressed GeoTIFF with the class colours and names. The other outputs are made only "
        "when you name a file for them: Class probabilities (one band per class), Confidence "
        "(the largest class probability), Uncertainty (normalised entropy, 0 certain to 1 "
        "undecided), Class polygons (a polygon per patch with its class, name and area) and "
        "Label next (the squares where the model is least sure, ranked: label them and give "
        "them to Tile Dataset as Label polygons). Layers loaded into the project are named "
        "after their files.\n\n"
        "The prediction runs in a separate Python process that has TensorFlow, or for an .onnx "
        "file only ONNX Runtime. Cancel stops it within a batch and removes its files. A "
        "warning says when the input's resolution is more than 25% away from the model's "
        "training resolution, or when its bands or values look unlike the training data.\n\n"
        "Advanced parameters, what to read: Bands (in the model's order; by default the first "
        "ones). Extent and Mask polygons limit the prediction; parts predicted with an Extent "
        "fit together into exactly the class map of one run. Resolution: map units per pixel "
        "to read the input at; empty or 0 is the input's own pixels, and a web layer, which has "
        "none, is read at the model's training resolution and needs an Extent. Mode: windows "
        "over the scene, or per image (the whole image resized to the model's input, for "
        "small photos).\n\n"
        "Advanced parameters, how to run: Window size, Window overlap and Batch size, 0 for "
        "automatic: windows as large as the memory budget allows (a network with image-level "
        "context, such as DeepLabV3+, keeps its training tile) and the overlap the network "
        "needs. Memory budget (0: the Processing setting, 512 MiB by default): a plan over it "
        "is refused before the network loads; the plan is written into the class raster's "
        "metadata. Test-time augmentation averages flips (4 passes) or flips and rotations (8 "
        "passes). Probability format: byte (0-254) or float (0-1). Minimum polygon area drops "
        "smaller class polygons. Number of cells to label next. Backend: automatic (ONNX "
        "Runtime for .onnx files, TensorFlow for .keras), TensorFlow, or ONNX Runtime (a "
        ".keras model is converted once and cached).\n\n"
        "Worker processes (0: the Processing setting \"Prediction worker processes\", by "
        "default one process): more cut the scene into blocks and predict them on a Dask "
        "cluster of that many processes on this machine; the outputs are the same, pixel "
        "for pixel, as one process writes. With the Processing setting \"Dask scheduler\" "
        "(or the environment variable SEMSEG_DASK_SCHEDULER) the blocks run on that "
        "existing cluster instead, whose workers must see the model, the scene and the "
        "output folder under the same paths. Label next and per-image mode run in one "
        "process only.\n\n"
        "qgis_process names: INPUT (a web layer as INPUT='wms://type=xyz&url=...'), MODEL, "
        "OUTPUT, OUTPUT_PROBABILITY, OUTPUT_CONFIDENCE, OUTPUT_ENTROPY, OUTPUT_VECTOR, "
        "OUTPUT_LABEL_NEXT; BANDS, EXTENT, MASK, RESOLUTION, MODE (stride, per_image), "
        "TILE_SIZE, OVERLAP, BATCH_SIZE, MEMORY_BUDGET, TTA (none, flips, d4), "
        "PROBABILITY_FORMAT (byte, float), MIN_AREA, LABEL_NEXT_COUNT, BACKEND (auto, "
        "tensorflow, onnxruntime), WORKERS."
    )

    INPUT = "INPUT"
    BANDS = "BANDS"
    MODEL = "MODEL"
    MODE = "MODE"
    TILE_SIZE = "TILE_SIZE"
    OVERLAP = "OVERLAP"
    BATCH_SIZE = "BATCH_SIZE"
    MEMORY_BUDGET = "MEMORY_BUDGET"
    TTA = "TTA"
    EXTENT = "EXTENT"
    RESOLUTION = "RESOLUTION"
    MASK = "MASK"
    PROBABILITY_FORMAT = "PROBABILITY_FORMAT"
    MIN_AREA = "MIN_AREA"
    LABEL_NEXT_COUNT = "LABEL_NEXT_COUNT"
    BACKEND = "BACKEND"
    WORKERS = "WORKERS"
    OUTPUT = "OUTPUT"
    OUTPUT_PROBABILITY = "OUTPUT_PROBABILITY"
    OUTPUT_CONFIDENCE = "OUTPUT_CONFIDENCE"
    OUTPUT_ENTROPY = "OUTPUT_ENTROPY"
    OUTPUT_VECTOR = "OUTPUT_VECTOR"
    OUTPUT_LABEL_NEXT = "OUTPUT_LABEL_NEXT"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Input raster")))
        self.addParameter(QgsProcessingParameterBand(
            self.BANDS, tr("Bands (in the model's order; default: the first ones)"),
            parentLayerParameterName=self.INPUT, optional=True, allowMultiple=True))
        self.addParameter(QgsProcessingParameterFile(
            self.MODEL, tr("Model file (from Train Model, or its ONNX export)"),
            fileFilter=tr("Model files (*.keras *.onnx);;All files (*.*)")))
        self.addParameter(option_parameter(self.MODE, tr("Mode"), "predict_mode"))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, tr("Extent (only this part of the scene)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.RESOLUTION, tr("Resolution (map units per pixel; empty or 0 = the input's "
                                "own, for a web layer the model's)"),
            type=DOUBLE, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.MASK, tr("Mask polygons (predict only inside)"),
            types=[QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT, tr("Class raster")))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT_PROBABILITY, tr("Class probabilities"), optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT_CONFIDENCE, tr("Confidence (largest class probability)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.OUTPUT_ENTROPY, tr("Uncertainty (normalised entropy, 0-1)"), optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT_VECTOR, tr("Class polygons"),
            type=QgsProcessing.SourceType.TypeVectorPolygon, optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT_LABEL_NEXT, tr("Label next (most uncertain cells, ranked)"),
            type=QgsProcessing.SourceType.TypeVectorPolygon, optional=True,
            createByDefault=False))
        self.add_advanced(*how_to_run_parameters(self, label_next=True))
        self.advanced_except(self.INPUT, self.MODEL)

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
        out = {name: self.parameterAsOutputLayer(parameters, name, context) or None
               for name in (self.OUTPUT, self.OUTPUT_PROBABILITY, self.OUTPUT_CONFIDENCE,
                            self.OUTPUT_ENTROPY, self.OUTPUT_VECTOR, self.OUTPUT_LABEL_NEXT)}
        resolution = self._resolution(parameters, context, layer, feedback)
        job = {
            "bands": bands,
            "model": self.parameterAsFile(parameters, self.MODEL, context),
            "mode": self.option(parameters, self.MODE, context),
            "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
            "overlap": self.parameterAsInt(parameters, self.OVERLAP, context),
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            "memory_budget": (self.parameterAsInt(parameters, self.MEMORY_BUDGET, context)
                              or engine_setting.memory_budget()),
            "tta": self.option(parameters, self.TTA, context),
            "extent": extent,
            "mask": mask,
            "output": out[self.OUTPUT],
            "output_probability": out[self.OUTPUT_PROBABILITY],
            "probability_format": self.option(parameters, self.PROBABILITY_FORMAT, context),
            "output_confidence": out[self.OUTPUT_CONFIDENCE],
            "output_entropy": out[self.OUTPUT_ENTROPY],
            "output_vector": out[self.OUTPUT_VECTOR],
            "min_area": self.parameterAsDouble(parameters, self.MIN_AREA, context),
            "output_label_next": out[self.OUTPUT_LABEL_NEXT],
            "label_next_count": self.parameterAsInt(parameters, self.LABEL_NEXT_COUNT,
                                                    context),
            "backend": self.option(parameters, self.BACKEND, context),
        }
        if not job["model"]:
            raise QgsProcessingException(self.tr("No model file was given (MODEL)."))
        with layer_input(layer, self.INPUT, resolution, rect if extent else None,
                         feedback) as source:
            job.update(input=source.source, resolution=source.resolution)
            task, job = cluster_job(self, parameters, context, job, feedback)
            result = run_worker(task, job, feedback, output_paths=list(out.values()))
        classes = [(c["value"], c["name"], tuple(c["color"])) for c in result.get("classes", [])]
        styles.style_class_output(context, out[self.OUTPUT], classes)
        styles.style_when_loaded(context, result.get("output_vector"), classes)
        styles.style_label_next_output(context, result.get("output_label_next"))
        for name in ("output_confidence", "output_entropy"):
            styles.style_continuous_output(context, result.get(name), reverse=name ==
                                           "output_confidence")
        self._name_layers(context, out, layer.name() or self.tr("scene"))
        return {
            self.OUTPUT: result.get("output", out[self.OUTPUT]),
            self.OUTPUT_PROBABILITY: result.get("output_probability"),
            self.OUTPUT_CONFIDENCE: result.get("output_confidence"),
            self.OUTPUT_ENTROPY: result.get("output_entropy"),
            self.OUTPUT_VECTOR: result.get("output_vector"),
            self.OUTPUT_LABEL_NEXT: result.get("output_label_next"),
        }

    def _name_layers(self, context, out, scene):
        """The layers loaded when done are named after their files (``prediction``,
        ``prediction_entropy``), temporary outputs after the input layer ``scene``."""
        temporary = {
            self.OUTPUT: self.tr("{0} prediction"),
            self.OUTPUT_PROBABILITY: self.tr("{0} class probabilities"),
            self.OUTPUT_CONFIDENCE: self.tr("{0} confidence"),
            self.OUTPUT_ENTROPY: self.tr("{0} uncertainty"),
            self.OUTPUT_VECTOR: self.tr("{0} class polygons"),
            self.OUTPUT_LABEL_NEXT: self.tr("{0} label next"),
        }
        for name, template in temporary.items():
            name_when_loaded(context, out.get(name), template.format(scene))

    def _resolution(self, parameters, context, layer, feedback):
        """RESOLUTION; when it is not given, the layer's own (0), or for a web
        layer, which has none, the model's training resolution (where the model
        records one in the layer's CRS units); a warning when the input is read
        more than 25% away from the training resolution."""
        try:
            meta = modelfile.read_metadata(self.parameterAsFile(parameters, self.MODEL, context))
        except SegError:
            meta = {}  # the worker reports the model file's problem
        units = sources.crs_units(layer.crs().toWkt())
        trained = meta.get("resolution")
        value = parameters.get(self.RESOLUTION)
        if value is None or value == "":
            resolution = 0.0
            if not has_natural_size(layer) and trained and (
                    not meta.get("crs_units") or meta.get("crs_units") == units):
                resolution = float(trained[0])
                feedback.pushInfo(self.tr("{0}: the model's training resolution, {1} map units "
                                          "per pixel.").format(self.RESOLUTION, resolution))
        else:
            resolution = self.parameterAsDouble(parameters, self.RESOLUTION, context)
        effective = resolution or (layer.rasterUnitsPerPixelX() if has_natural_size(layer)
                                   else 0.0)
        warning = drift.resolution_warning(effective, units, meta, layer.name() or self.INPUT)
        if warning is not None:
            feedback.pushWarning(tr_message(warning))
        return resolution
