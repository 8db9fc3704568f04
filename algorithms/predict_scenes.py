"""Predict Scenes: one model over many scenes, on a Dask cluster or in one process.

Also where Predict Raster and Predict Scenes read the cluster settings (the
Processing settings "Dask scheduler" and "Prediction worker processes", which
the provider registers, and ``SEMSEG_DASK_SCHEDULER``) and choose the
engine task: QGIS's process never imports Dask; the engine's worker process
runs the cluster (engine/predict/distributed.py).
"""

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
)

from ..seg_plugin import engine_setting
from ..seg_plugin.i18n import tr, tr_engine
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, INTEGER, SegAlgorithm, option_parameter

SCHEDULER_ENV = "SEMSEG_DASK_SCHEDULER"  # the engine's distributed.SCHEDULER_ENV
SCHEDULER_SETTING = "SEMSEG_DASK_SCHEDULER"
WORKERS_SETTING = "SEMSEG_DASK_WORKERS"
_PREFIX = "Processing/Configuration/"


def register_settings(group):
    """Add "Dask scheduler" and "Prediction worker processes" to Processing's
    options (the provider's load(); nothing without Processing's plugin)."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:
        return
    ProcessingConfig.addSetting(Setting(
        group, SCHEDULER_SETTING, tr("Dask scheduler (address such as tcp://host:8786; "
                                     "empty: none)"), ""))
    ProcessingConfig.addSetting(Setting(
        group, WORKERS_SETTING, tr("Prediction worker processes (0 = one process)"), 0,
        valuetype=Setting.INT))
    ProcessingConfig.readSettings()


def unregister_settings():
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        return
    for key in (SCHEDULER_SETTING, WORKERS_SETTING):
        if key in ProcessingConfig.settings:
            ProcessingConfig.removeSetting(key)


def _setting(key):
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        ProcessingConfig = None  # noqa: N806
    if ProcessingConfig is not None and key in ProcessingConfig.settings:
        return ProcessingConfig.getSetting(key)
    from qgis.core import QgsSettings

    return QgsSettings().value(_PREFIX + key, "")


def dask_scheduler():
    """The scheduler's address: ``SEMSEG_DASK_SCHEDULER``, else the setting ("": none)."""
    return (os.environ.get(SCHEDULER_ENV, "").strip()
            or str(_setting(SCHEDULER_SETTING) or "").strip())


def default_workers():
    """The setting "Prediction worker processes" (0 when unset or not a number)."""
    try:
        return max(0, int(float(_setting(WORKERS_SETTING) or 0)))
    except (TypeError, ValueError):
        return 0


def workers_parameter(name):
    return QgsProcessingParameterNumber(
        name, tr("Worker processes (Dask; 0 = the Processing setting, by default one "
                 "process)"), type=INTEGER, defaultValue=0, minValue=0)


def how_to_run_parameters(alg, label_next=False):
    """The advanced parameters Predict Raster and Predict Scenes share (windows,
    batch, memory, test-time augmentation, probability format, polygons, backend,
    workers), named by ``alg``'s constants; with ``label_next`` the number of
    cells to label next too, before Backend."""
    shared = [
        QgsProcessingParameterNumber(alg.TILE_SIZE, tr("Window size (0 = auto)"),
                                     type=INTEGER, defaultValue=0, minValue=0),
        QgsProcessingParameterNumber(alg.OVERLAP, tr("Window overlap in pixels (0 = auto)"),
                                     type=INTEGER, defaultValue=0, minValue=0),
        QgsProcessingParameterNumber(alg.BATCH_SIZE, tr("Batch size (0 = auto)"),
                                     type=INTEGER, defaultValue=0, minValue=0),
        QgsProcessingParameterNumber(alg.MEMORY_BUDGET,
                                     tr("Memory budget in MiB (0 = the Processing "
                                        "setting)"),
                                     type=INTEGER, defaultValue=0, minValue=0),
        option_parameter(alg.TTA, tr("Test-time augmentation"), "tta"),
        option_parameter(alg.PROBABILITY_FORMAT, tr("Probability format"),
                         "probability_format"),
        QgsProcessingParameterNumber(alg.MIN_AREA, tr("Minimum polygon area (map units²)"),
                                     type=DOUBLE, defaultValue=0.0, minValue=0.0),
    ]
    if label_next:
        shared.append(QgsProcessingParameterNumber(alg.LABEL_NEXT_COUNT,
                                                   tr("Number of cells to label next"),
                                                   type=INTEGER, defaultValue=20,
                                                   minValue=1))
    return shared + [option_parameter(alg.BACKEND, tr("Backend"), "predict_backend"),
                     workers_parameter(alg.WORKERS)]


def cluster_job(algorithm, parameters, context, job, feedback):
    """``(task, job)`` for Predict Raster: ``"predict"`` in one process, or
    ``"predict_cluster"`` with ``workers`` and ``scheduler`` when the WORKERS
    parameter, the setting or a scheduler asks for a cluster. A cluster that
    only the settings ask for is not used for what runs in one process only
    (label next, per-image mode)."""
    asked = algorithm.parameterAsInt(parameters, algorithm.WORKERS, context)
    workers = asked or default_workers()
    scheduler = dask_scheduler()
    if not workers and not scheduler:
        return "predict", job
    single_only = job.get("output_label_next") or job.get("mode") == "per_image"
    if single_only and not asked:
        feedback.pushInfo(tr("Label next and per-image mode run in one process; the Dask "
                             "settings are not used for this run."))
        return "predict", job
    if scheduler:
        feedback.pushInfo(tr("Predicting in blocks on the Dask scheduler {0}.").format(
            scheduler))
    else:
        feedback.pushInfo(tr("Predicting in blocks on {0} worker processes.").format(workers))
    return "predict_cluster", dict(job, workers=workers, scheduler=scheduler or None)


class PredictScenesAlgorithm(SegAlgorithm):
    NAME = "predictscenes"
    DISPLAY = "Predict Scenes"
    HELP = (
        "Predicts a list of scenes with one model, each scene's outputs named after it in "
        "the output folder: NAME_classes.tif and, when asked, NAME_probability.tif, "
        "NAME_confidence.tif, NAME_entropy.tif and NAME_classes.gpkg, each as Predict "
        "Raster writes it (NAME: the layer's name; a second scene of the same name gets _2). "
        "Progress runs over all the scenes; a scene that fails is reported by name and the "
        "others go on.\n\n"
        "Worker processes: 0 (and no Dask settings) predicts the scenes one after the other "
        "in one engine process, the model loaded once; more puts the blocks of every scene "
        "on a Dask cluster of that many processes on this machine, and the Processing "
        "setting \"Dask scheduler\" (or SEMSEG_DASK_SCHEDULER) on an existing cluster, whose "
        "workers must see the model, the scenes and the output folder under the same "
        "paths.\n\n"
        "qgis_process names: INPUTS, MODEL, OUTPUT_FOLDER; PROBABILITY, CONFIDENCE, ENTROPY, "
        "VECTOR (true/false), TILE_SIZE, OVERLAP, BATCH_SIZE, MEMORY_BUDGET, TTA, "
        "PROBABILITY_FORMAT, MIN_AREA, BACKEND, WORKERS. Outputs: OUTPUT_FOLDER, OUTPUTS "
        "(the class rasters), FAILED (how many scenes failed)."
    )

    INPUTS = "INPUTS"
    MODEL = "MODEL"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    PROBABILITY = "PROBABILITY"
    CONFIDENCE = "CONFIDENCE"
    ENTROPY = "ENTROPY"
    VECTOR = "VECTOR"
    TILE_SIZE = "TILE_SIZE"
    OVERLAP = "OVERLAP"
    BATCH_SIZE = "BATCH_SIZE"
    MEMORY_BUDGET = "MEMORY_BUDGET"
    TTA = "TTA"
    PROBABILITY_FORMAT = "PROBABILITY_FORMAT"
    MIN_AREA = "MIN_AREA"
    BACKEND = "BACKEND"
    WORKERS = "WORKERS"
    OUTPUTS = "OUTPUTS"
    FAILED = "FAILED"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr_ = self.tr
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.INPUTS, tr_("Scenes"), layerType=QgsProcessing.SourceType.TypeRaster))
        self.addParameter(QgsProcessingParameterFile(
            self.MODEL, tr_("Model file (from Train Model, or its ONNX export)"),
            fileFilter=tr_("Model files (*.keras *.onnx);;All files (*.*)")))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, tr_("Output folder")))
        for name, label in ((self.PROBABILITY, tr_("Class probabilities")),
                            (self.CONFIDENCE, tr_("Confidence (largest class probability)")),
                            (self.ENTROPY, tr_("Uncertainty (normalised entropy, 0-1)")),
                            (self.VECTOR, tr_("Class polygons"))):
            self.addParameter(QgsProcessingParameterBoolean(name, label, defaultValue=False))
        self.add_advanced(*how_to_run_parameters(self))
        self.advanced_except(self.INPUTS, self.MODEL)
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUTS, tr_("Class rasters")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr_("Scenes that failed")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        layers = self.parameterAsLayerList(parameters, self.INPUTS, context)
        if not layers:
            raise QgsProcessingException(self.tr("No scene was given ({0}).")
                                         .format(self.INPUTS))
        model = self.parameterAsFile(parameters, self.MODEL, context)
        if not model:
            raise QgsProcessingException(self.tr("No model file was given (MODEL)."))
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        workers = (self.parameterAsInt(parameters, self.WORKERS, context)
                   or default_workers())
        job = {
            "inputs": [layer.source() for layer in layers],
            "names": [layer.name() for layer in layers],
            "model": model,
            "output_folder": folder,
            "probability": self.parameterAsBool(parameters, self.PROBABILITY, context),
            "confidence": self.parameterAsBool(parameters, self.CONFIDENCE, context),
            "entropy": self.parameterAsBool(parameters, self.ENTROPY, context),
            "vector": self.parameterAsBool(parameters, self.VECTOR, context),
            "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
            "overlap": self.parameterAsInt(parameters, self.OVERLAP, context),
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            "memory_budget": (self.parameterAsInt(parameters, self.MEMORY_BUDGET, context)
                              or engine_setting.memory_budget()),
            "tta": self.option(parameters, self.TTA, context),
            "probability_format": self.option(parameters, self.PROBABILITY_FORMAT, context),
            "min_area": self.parameterAsDouble(parameters, self.MIN_AREA, context),
            "backend": self.option(parameters, self.BACKEND, context),
            "workers": workers,
            "scheduler": dask_scheduler() or None,
        }
        result = run_worker("predict_scenes", job, feedback)
        for failed in result.get("failed", []):
            english = str(failed.get("error", ""))
            values = failed.get("values") if isinstance(failed.get("values"), dict) else {}
            message = tr_engine(failed.get("template") or english, values, fallback=english)
            feedback.reportError(self.tr("{0} failed: {1}").format(failed.get("scene"),
                                                                   message), fatalError=False)
        return {self.OUTPUT_FOLDER: result.get("output_folder", folder),
                self.OUTPUTS: result.get("outputs", []),
                self.FAILED: len(result.get("failed", []))}
