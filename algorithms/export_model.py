"""Export Model: a model file from Train Model as ONNX (for Deepness and others), in a worker."""

from qgis.core import (
    QgsProcessingOutputBoolean,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..engine.formats import modelfile
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, SegAlgorithm


class ExportModelAlgorithm(SegAlgorithm):
    NAME = "exportmodel"
    DISPLAY = "Export Model"
    HELP = (
        "Exports a model file made by Train Model as a standalone ONNX file that ONNX Runtime "
        "runs without this plugin or TensorFlow, for example in the Deepness plugin. The "
        "export runs in the engine's Python and checks the ONNX file against the Keras "
        "model.\n\n"
        "Model file: the .keras file. Ready for Deepness (on by default): the file takes what "
        "Deepness feeds (channels first, tiles of the model's tile size, any batch) and "
        "carries Deepness's metadata: class names, tile size, overlap, ground resolution and "
        "the normalisation, so Deepness reproduces this plugin's preprocessing. A model "
        "Deepness cannot feed (for example one trained on a data type Deepness does not read) "
        "is exported as plain ONNX instead, with a warning that says why. Off: plain ONNX, "
        "channels last, any size; the caller normalises the pixels with the model's mean and "
        "standard deviation. Both layouts carry the whole model metadata (property semseg). "
        "ONNX model: the file to write.\n\n"
        "Advanced parameters: Ground resolution in cm per pixel that Deepness resamples the "
        "map to; 0 reads it from the training scenes where they are still readable.\n\n"
        "qgis_process names: MODEL, DEEPNESS, OUTPUT; RESOLUTION."
    )

    MODEL = "MODEL"
    DEEPNESS = "DEEPNESS"
    RESOLUTION = "RESOLUTION"
    OUTPUT = "OUTPUT"
    DEEPNESS_READY = "DEEPNESS_READY"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterFile(
            self.MODEL, tr("Model file (from Train Model)"), extension="keras"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DEEPNESS, tr("Ready for Deepness (channels first, its metadata)"),
            defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("ONNX model"), fileFilter=tr("ONNX model (*.onnx)")))
        self.add_advanced(QgsProcessingParameterNumber(
            self.RESOLUTION, tr("Ground resolution in cm/px for Deepness (0 = from the "
                                "training scenes)"),
            type=DOUBLE, defaultValue=0.0, minValue=0.0))
        self.addOutput(QgsProcessingOutputBoolean(
            self.DEEPNESS_READY, tr("Ready for Deepness")))
        self.advanced_except(self.MODEL, self.DEEPNESS)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.parameterAsFile(parameters, self.MODEL, context)
        # the metadata, read here (zipfile and json only) so a wrong file fails at
        # once, naming MODEL, before the engine process starts
        self.check_input(self.MODEL, modelfile.read_metadata, model)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not output.lower().endswith(".onnx"):
            output += ".onnx"
        deepness = self.parameterAsBoolean(parameters, self.DEEPNESS, context)
        job = {
            "model": model,
            "output": output,
            "deepness": deepness,
            "resolution": self.parameterAsDouble(parameters, self.RESOLUTION, context) or None,
        }
        result = run_worker("export", job, feedback, output_paths=[output])
        ready = bool(result.get("deepness"))
        if deepness and not ready:
            feedback.reportError(self.tr("{0} is plain ONNX: Deepness cannot use this model "
                                         "as it is (the reasons are above).").format(output),
                                 False)
        return {self.OUTPUT: result.get("output", output), self.DEEPNESS_READY: ready}
