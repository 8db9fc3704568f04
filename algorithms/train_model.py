"""Train Model: trains a network on a Tile Dataset folder, in a worker process."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..engine.data import dataset
from ..models import catalog
from ..seg_plugin.i18n import tr_engine
from ..seg_plugin.layers import is_temporary
from ..seg_plugin.paths import lasting_folder
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, INTEGER, SegAlgorithm, option_parameter


class TrainModelAlgorithm(SegAlgorithm):
    NAME = "trainmodel"
    DISPLAY = "Train Model"
    HELP = (
        "Trains a segmentation network on a dataset folder made by Tile Dataset and saves the "
        "best model (by validation mean IoU) as a .keras file that Predict Raster and "
        "Evaluate use on their own.\n\n"
        "Dataset folder: the folder Tile Dataset wrote. Model and Encoder: the network and "
        "its backbone; the Encoder list shows only the encoders that fit the chosen Model and "
        "marks the one it is usually paired with as (default). Epochs: passes over the "
        "training chips. Output model: the .keras file to write (by default in the folder "
        "semseg of your home folder, which outlives QGIS; a model in QGIS's temporary folder "
        "is deleted when QGIS closes). Log folder: training curves, history as CSV and JSON, "
        "TensorBoard events and an HTML summary (by default the folder <model>_logs beside "
        "the model); the summary opens in the Results Viewer when training ends. Each "
        "epoch's loss and validation mean IoU are logged as one line.\n\n"
        "Training runs in a separate Python process that has TensorFlow (made by Set up the "
        "engine); QGIS itself never loads TensorFlow. Cancel stops it and writes no model.\n\n"
        "Advanced parameters, the network: Output stride (8, 16 or 32: finer features are "
        "slower), Network width multiplier, Encoder weights (random, ImageNet weights "
        "downloaded once, or an Encoder weights file) and Epochs with the encoder frozen "
        "(the decoder trains alone first).\n\n"
        "Advanced parameters, the training: Loss, Class weights (inverse class frequency helps "
        "rare classes), Optimizer, Learning rate and Learning-rate schedule (constant, power "
        "decay, exponential decay, progressive drops at 50% and 75% of training, or cosine "
        "cycles of Cosine cycle length epochs) down to Minimum learning rate; Batch size; "
        "Steps per epoch (0: every chip once); Early-stopping patience (0: off); Augment "
        "(flips, rotations, scale and crop; the fill values say what lies outside); "
        "Distribution strategy; Random seed.\n\n"
        "Advanced parameters, where to start: an Initial model, started from by fine-tuning "
        "(its weights with a new optimizer; its classes must match the dataset's) or by "
        "resuming a stopped run from its checkpoint <model>.resume.keras, which Write a resume "
        "checkpoint keeps beside the output model and removes when training finishes.\n\n"
        "qgis_process names (batch files and models give options by name too): DATASET, "
        "MODEL (unet, "
        "deeplab_v3p...), ENCODER (mobilenet_v2, resnet_v2_50...), EPOCHS, OUTPUT_MODEL, "
        "LOG_DIR; OUTPUT_STRIDE, WIDTH, ENCODER_WEIGHTS (none, imagenet, file), "
        "ENCODER_WEIGHTS_FILE, FREEZE_ENCODER_EPOCHS, LOSS, CLASS_WEIGHTS, OPTIMIZER, "
        "LEARNING_RATE, LR_MODE, MIN_LR, LR_CYCLE, LR_POWER, BATCH_SIZE, STEPS_PER_EPOCH, "
        "EARLY_STOP_PATIENCE, AUGMENT, CVAL, LABEL_CVAL, STRATEGY, SEED, INIT_MODEL, INIT_MODE "
        "(fine_tune, resume), RESUME_CHECKPOINT. qgis_process help semseg:trainmodel lists "
        "every option's names."
    )

    DATASET = "DATASET"
    MODEL = "MODEL"
    ENCODER = "ENCODER"
    OUTPUT_STRIDE = "OUTPUT_STRIDE"
    LOSS = "LOSS"
    CLASS_WEIGHTS = "CLASS_WEIGHTS"
    OPTIMIZER = "OPTIMIZER"
    LEARNING_RATE = "LEARNING_RATE"
    LR_MODE = "LR_MODE"
    MIN_LR = "MIN_LR"
    LR_CYCLE = "LR_CYCLE"
    LR_POWER = "LR_POWER"
    BATCH_SIZE = "BATCH_SIZE"
    EPOCHS = "EPOCHS"
    STEPS_PER_EPOCH = "STEPS_PER_EPOCH"
    EARLY_STOP_PATIENCE = "EARLY_STOP_PATIENCE"
    AUGMENT = "AUGMENT"
    CVAL = "CVAL"
    LABEL_CVAL = "LABEL_CVAL"
    INIT_MODEL = "INIT_MODEL"
    INIT_MODE = "INIT_MODE"
    RESUME_CHECKPOINT = "RESUME_CHECKPOINT"
    ENCODER_WEIGHTS = "ENCODER_WEIGHTS"
    ENCODER_WEIGHTS_FILE = "ENCODER_WEIGHTS_FILE"
    FREEZE_ENCODER_EPOCHS = "FREEZE_ENCODER_EPOCHS"
    STRATEGY = "STRATEGY"
    SEED = "SEED"
    WIDTH = "WIDTH"
    OUTPUT_MODEL = "OUTPUT_MODEL"
    LOG_DIR = "LOG_DIR"
    BEST_VAL_MIOU = "BEST_VAL_MIOU"
    OUTPUT_HTML = "OUTPUT_HTML"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterFile(
            self.DATASET, tr("Dataset folder (made by Tile Dataset)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder))
        self.addParameter(option_parameter(self.MODEL, tr("Model"), "model"))
        self.addParameter(option_parameter(self.ENCODER, tr("Encoder"), "encoder",
                                           follows=self.MODEL))
        self.addParameter(option_parameter(self.OUTPUT_STRIDE, tr("Output stride"),
                                           "output_stride"))
        self.addParameter(option_parameter(self.ENCODER_WEIGHTS, tr("Encoder weights"),
                                           "encoder_weights"))
        self.addParameter(QgsProcessingParameterFile(
            self.ENCODER_WEIGHTS_FILE, tr("Encoder weights file (.weights.h5 or .keras)"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.FREEZE_ENCODER_EPOCHS, tr("Epochs with the encoder frozen (0 = off)"),
            type=INTEGER, defaultValue=0, minValue=0))
        self.addParameter(option_parameter(self.LOSS, tr("Loss"), "loss"))
        self.addParameter(option_parameter(self.CLASS_WEIGHTS, tr("Class weights"),
                                           "class_weights"))
        self.addParameter(option_parameter(self.OPTIMIZER, tr("Optimizer"), "optimizer"))
        self.addParameter(QgsProcessingParameterNumber(
            self.LEARNING_RATE, tr("Learning rate"), type=DOUBLE, defaultValue=1e-3,
            minValue=1e-8, maxValue=10.0))
        self.addParameter(option_parameter(self.LR_MODE, tr("Learning-rate schedule"),
                                           "lr_mode"))
        self.addParameter(QgsProcessingParameterNumber(
            self.BATCH_SIZE, tr("Batch size"), type=INTEGER, defaultValue=8, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            self.EPOCHS, tr("Epochs"), type=INTEGER, defaultValue=20, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            self.STEPS_PER_EPOCH, tr("Steps per epoch (0 = all chips)"), type=INTEGER,
            defaultValue=0, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.EARLY_STOP_PATIENCE, tr("Early-stopping patience in epochs (0 = off)"),
            type=INTEGER, defaultValue=0, minValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.AUGMENT, tr("Augment (flips, rotations, scale/crop)"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFile(
            self.INIT_MODEL, tr("Initial model (resume or fine-tune)"), extension="keras",
            optional=True))
        self.addParameter(option_parameter(self.INIT_MODE, tr("Start from the initial model by"),
                                           "init_mode"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.RESUME_CHECKPOINT,
            tr("Write a resume checkpoint beside the output model every epoch"),
            defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_MODEL, tr("Output model"), fileFilter=tr("Keras model (*.keras)"),
            defaultValue=default_model_path()))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.LOG_DIR, tr("Log folder (TensorBoard, CSV, curves, HTML summary; "
                             "skipped: <model>_logs beside the model)"),
            optional=True, createByDefault=False))
        advanced = [
            QgsProcessingParameterNumber(self.MIN_LR, tr("Minimum learning rate"), type=DOUBLE,
                                         defaultValue=1e-6, minValue=0.0),
            QgsProcessingParameterNumber(self.LR_CYCLE, tr("Cosine cycle length in epochs"),
                                         type=INTEGER, defaultValue=10, minValue=1),
            QgsProcessingParameterNumber(self.LR_POWER, tr("Power of the power decay"),
                                         type=DOUBLE, defaultValue=0.9, minValue=0.0),
            QgsProcessingParameterNumber(self.CVAL, tr("Image fill value for augmentation "
                                                       "(empty: each band's mean)"),
                                         type=DOUBLE, defaultValue=None, optional=True),
            QgsProcessingParameterNumber(self.LABEL_CVAL, tr("Label fill value for augmentation"),
                                         type=INTEGER, defaultValue=255, minValue=0,
                                         maxValue=255),
            option_parameter(self.STRATEGY, tr("Distribution strategy"), "strategy"),
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), type=INTEGER,
                                         defaultValue=0, minValue=0),
            QgsProcessingParameterNumber(self.WIDTH,
                                         tr("Network width multiplier (0 = the network's "
                                            "default)"),
                                         type=DOUBLE, defaultValue=0.0, minValue=0.0,
                                         maxValue=4.0),
        ]
        self.add_advanced(*advanced)
        self.addOutput(QgsProcessingOutputNumber(
            self.BEST_VAL_MIOU, tr("Best validation mean IoU")))
        self.addOutput(QgsProcessingOutputHtml(
            self.OUTPUT_HTML, tr("Training summary (curves, best epoch)")))
        self.advanced_except(self.DATASET, self.MODEL, self.ENCODER, self.EPOCHS)

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS's name)
        """Before the run (the dialog's message box): a Model, Encoder and Output
        stride that do not fit together, as the catalog's one check says it."""
        ok, message = super().checkParameterValues(parameters, context)
        if ok:
            problem = self._pair_problem(parameters, context)
            if problem is not None:
                return False, tr_engine(*problem)
        return ok, message

    def _pair_problem(self, parameters, context):
        """catalog.pair_problem of the chosen names: None, or (template, values)."""
        return catalog.pair_problem(self.option(parameters, self.MODEL, context),
                                    self.option(parameters, self.ENCODER, context),
                                    self.option(parameters, self.OUTPUT_STRIDE, context))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.option(parameters, self.MODEL, context)
        encoder = self.option(parameters, self.ENCODER, context)
        stride = int(self.option(parameters, self.OUTPUT_STRIDE, context))
        problem = self._pair_problem(parameters, context)
        if problem is not None:
            raise QgsProcessingException(tr_engine(*problem))
        output_model = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        if not output_model.lower().endswith(".keras"):
            output_model += ".keras"
        log_dir = self.parameterAsString(parameters, self.LOG_DIR, context) or ""
        if not log_dir or log_dir == "TEMPORARY_OUTPUT":
            log_dir = default_log_dir(output_model)
        feedback.pushInfo(self.tr("The model goes to {0}, the training logs and summary to "
                                  "{1}.").format(output_model, log_dir))
        if is_temporary(output_model):
            feedback.pushWarning(self.tr(
                "The model is written to QGIS's temporary folder, which is deleted when QGIS "
                "closes: choose another Output model to keep it."))
        job = {
            "dataset": self.parameterAsFile(parameters, self.DATASET, context),
            "output_model": output_model,
            "model": model,
            "encoder": encoder,
            "output_stride": stride,
            "loss": self.option(parameters, self.LOSS, context),
            "class_weights": self.option(parameters, self.CLASS_WEIGHTS, context),
            "optimizer": self.option(parameters, self.OPTIMIZER, context),
            "learning_rate": self.parameterAsDouble(parameters, self.LEARNING_RATE, context),
            "lr_mode": self.option(parameters, self.LR_MODE, context),
            "min_lr": self.parameterAsDouble(parameters, self.MIN_LR, context),
            "lr_cycle": self.parameterAsInt(parameters, self.LR_CYCLE, context),
            "lr_power": self.parameterAsDouble(parameters, self.LR_POWER, context),
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            "epochs": self.parameterAsInt(parameters, self.EPOCHS, context),
            "steps_per_epoch": self.parameterAsInt(parameters, self.STEPS_PER_EPOCH, context),
            "early_stop_patience": self.parameterAsInt(parameters, self.EARLY_STOP_PATIENCE,
                                                       context),
            "augment": self.parameterAsBoolean(parameters, self.AUGMENT, context),
            "cval": (None if parameters.get(self.CVAL) in (None, "")
                     else self.parameterAsDouble(parameters, self.CVAL, context)),
            "label_cval": self.parameterAsInt(parameters, self.LABEL_CVAL, context),
            "init_model": self.parameterAsFile(parameters, self.INIT_MODEL, context) or None,
            "init_mode": self.option(parameters, self.INIT_MODE, context),
            "resume_checkpoint": self.parameterAsBoolean(parameters, self.RESUME_CHECKPOINT,
                                                         context),
            "encoder_weights": self.option(parameters, self.ENCODER_WEIGHTS, context),
            "encoder_weights_file": self.parameterAsFile(parameters, self.ENCODER_WEIGHTS_FILE,
                                                         context) or None,
            "freeze_encoder_epochs": self.parameterAsInt(parameters,
                                                         self.FREEZE_ENCODER_EPOCHS, context),
            "log_dir": log_dir or None,
            "strategy": self.option(parameters, self.STRATEGY, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
            "width": self.parameterAsDouble(parameters, self.WIDTH, context),
        }
        # dataset.json and the split files, read here (no TensorFlow) so a wrong
        # folder fails at once, naming DATASET, before the engine process starts
        self.check_input(self.DATASET, dataset.read_info, job["dataset"])
        feedback.pushInfo(self.tr("Training {0} with the {1} encoder on {2}").format(
            model, encoder, job["dataset"]))
        result = run_worker("train", job, feedback, output_paths=[output_model])
        best = result.get("best_val_miou")
        if best is not None:
            feedback.pushInfo(self.tr("Best validation mean IoU: {0:.4f}").format(best))
        log_dir = result.get("log_dir") or log_dir
        summary = os.path.join(log_dir, "index.html")  # engine/train/training_logs.py
        if os.path.isfile(summary):
            feedback.pushInfo(self.tr("Training summary with the curves: {0}").format(summary))
        return {
            self.OUTPUT_MODEL: result.get("output_model", output_model),
            self.BEST_VAL_MIOU: best,
            self.LOG_DIR: log_dir,
            self.OUTPUT_HTML: summary if os.path.isfile(summary) else None,
        }


def default_model_path():
    """Output model's default: a file in a lasting folder (never QGIS's temporary one)."""
    return lasting_folder("models", "model.keras")


def default_log_dir(output_model):
    """The log folder when none is given: ``<model>_logs`` beside the model."""
    stem = output_model[:-len(".keras")] if output_model.lower().endswith(".keras") \
        else output_model
    return stem + "_logs"
