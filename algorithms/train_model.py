"""Train Model: trains a network on a Tile Dataset folder, in a worker process."""

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..engine.data import dataset
from ..models import catalog
from ..seg_plugin.worker_client import run_worker
from .base import DOUBLE, INTEGER, SegAlgorithm, option_parameter


class TrainModelAlgorithm(SegAlgorithm):
    NAME = "trainmodel"
    DISPLAY = "Train Model"
    HELP = (
        "Trains a segmentation network on a dataset folder made by Tile Dataset and saves the "
        "best model (by validation mean IoU) as a self-describing .keras file that Predict "
        "Raster and Evaluate need nothing else to use.\n\n"
        "Training runs in a separate Python process that has TensorFlow (made by Set up the "
        "engine, or named in Settings > Options > Processing > Providers > Semantic "
        "Segmentation > Engine Python interpreter); QGIS itself never loads TensorFlow. "
        "Cancel stops it and writes no model.\n\n"
        "Options are given by name (qgis_process, batch files, models): "
        "MODEL=deeplab_v3p ENCODER=resnet_v2_50 LOSS=dice.\n\n"
        "DATASET: the Tile Dataset folder. MODEL / ENCODER: the network and its backbone, e.g. "
        "unet, deeplab_v3p / mobilenet_v2, resnet_v2_50 (not every pair fits: the error lists "
        "the encoders a model accepts). OUTPUT_STRIDE: 8, 16 or 32. LOSS: "
        "categorical_crossentropy, binary_crossentropy (2 classes), focal, dice, lovasz "
        "(Lovasz-softmax) or ce_dice (cross-entropy + Dice). CLASS_WEIGHTS: none or "
        "inverse_frequency. OPTIMIZER: adam, rmsprop or sgd. LR_MODE: none (constant), "
        "power_decay, exp_decay, progressive_drops (x0.1 at 50% and 75% of training) or "
        "cosine_cycle (cycles of LR_CYCLE epochs), down to MIN_LR. STRATEGY: auto, mirrored "
        "or multi_worker. "
        "STEPS_PER_EPOCH 0 uses every chip once per epoch. EARLY_STOP_PATIENCE 0 is off. "
        "AUGMENT adds flips, 90 degree rotations and random scale/crop (CVAL / LABEL_CVAL fill "
        "the image / label outside). ENCODER_WEIGHTS: none, imagenet (Keras Applications' "
        "published weights, downloaded once into Keras's cache; the first convolution is "
        "adapted to any band count) or file (ENCODER_WEIGHTS_FILE). FREEZE_ENCODER_EPOCHS "
        "trains the decoder alone for that many epochs first. INIT_MODEL with INIT_MODE "
        "fine_tune starts from a model file's weights with a new optimizer (its classes must "
        "match the dataset's by value and name); INIT_MODE resume continues a stopped run from "
        "its checkpoint <model>.resume.keras, which RESUME_CHECKPOINT writes every epoch and "
        "removes when training finishes. The model file itself holds no optimizer state. LOG_DIR "
        "receives TensorBoard events, CSV/JSON history, curves PNG and an HTML summary."
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

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterFile(
            self.DATASET, tr("Dataset folder (made by Tile Dataset)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder))
        self.addParameter(option_parameter(self.MODEL, tr("Model"), "model"))
        self.addParameter(option_parameter(self.ENCODER, tr("Encoder"), "encoder"))
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
            self.OUTPUT_MODEL, tr("Output model"), fileFilter=tr("Keras model (*.keras)")))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.LOG_DIR, tr("Log folder (TensorBoard, CSV, curves, HTML summary)"),
            optional=True, createByDefault=False))
        advanced = [
            QgsProcessingParameterNumber(self.MIN_LR, tr("Minimum learning rate"), type=DOUBLE,
                                         defaultValue=1e-6, minValue=0.0),
            QgsProcessingParameterNumber(self.LR_CYCLE, tr("Cosine cycle length in epochs"),
                                         type=INTEGER, defaultValue=10, minValue=1),
            QgsProcessingParameterNumber(self.LR_POWER, tr("Power of the power decay"),
                                         type=DOUBLE, defaultValue=0.9, minValue=0.0),
            QgsProcessingParameterNumber(self.CVAL, tr("Image fill value for augmentation"),
                                         type=DOUBLE, defaultValue=0.0),
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

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.option(parameters, self.MODEL, context)
        encoder = self.option(parameters, self.ENCODER, context)
        stride = int(self.option(parameters, self.OUTPUT_STRIDE, context))
        if not catalog.is_compatible(model, encoder):
            raise QgsProcessingException(
                self.tr("The model {0} does not work with the encoder {1}; it accepts: {2}.")
                .format(model, encoder, ", ".join(catalog.compatible_encoders(model))))
        if stride not in catalog.output_strides(model, encoder):
            raise QgsProcessingException(
                self.tr("The model {0} with the encoder {1} supports output strides {2}, not {3}.")
                .format(model, encoder,
                        ", ".join(str(s) for s in catalog.output_strides(model, encoder)), stride))
        output_model = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        if not output_model.lower().endswith(".keras"):
            output_model += ".keras"
        log_dir = self.parameterAsString(parameters, self.LOG_DIR, context) or ""
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
            "cval": self.parameterAsDouble(parameters, self.CVAL, context),
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
        return {
            self.OUTPUT_MODEL: result.get("output_model", output_model),
            self.BEST_VAL_MIOU: best,
            self.LOG_DIR: result.get("log_dir") or log_dir,
        }
