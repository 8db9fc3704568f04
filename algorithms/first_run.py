"""First run on the sample: the whole chain on the plugin's sample scene, as
``make demo`` runs it, through the provider's own algorithms (processing.run),
so a new user sees every step work, with its outputs loaded and styled."""

import os
import shutil

from qgis.core import (
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputFile,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ..engine.data import sample
from ..engine.formats.dataset_files import DATASET_JSON
from ..seg_plugin.paths import lasting_folder
from ..seg_plugin.styles import load_with_style
from .base import DOUBLE, INTEGER, SegAlgorithm


class FirstRunAlgorithm(SegAlgorithm):
    NAME = "firstrun"
    DISPLAY = "First run on the sample"
    HELP = (
        "Runs the whole chain on the plugin's sample (see Sample data), the way make demo "
        "does, and loads the results styled: a few minutes on a laptop's CPU.\n\n"
        "1. Sample data: the Landsat-8 scene and its cloud label (clear, cloud, cirrus).\n"
        "2. The east third of the scene is held out: training never sees it.\n"
        "3. Tile Dataset cuts the west two thirds into 64-pixel chips (a fifth of them "
        "validate).\n"
        "4. Train Model trains the default network (Epochs, early stopping after 4 epochs "
        "without gain); its training summary with the curves opens in the Results Viewer.\n"
        "5. Predict Raster maps the whole scene, with its uncertainty (entropy) and the ten "
        "cells to label next.\n"
        "6. Evaluate compares the map with the label on the held-out east third only.\n\n"
        "Output folder: where everything goes (by default semseg/first_run in your home "
        "folder); a dataset an earlier first run left there is replaced. Each step is an "
        "algorithm of this provider: open it from the Processing Toolbox to run it on your "
        "own data with the same settings. Cancel stops at once and keeps the steps done.\n\n"
        "Advanced parameters: Steps per epoch (0: every chip once) and Network width "
        "multiplier (0: the network's default) make a shorter or smaller run.\n\n"
        "qgis_process names: OUTPUT (the folder), EPOCHS, STEPS_PER_EPOCH, WIDTH; the "
        "results MODEL, PREDICTION, ENTROPY, LABEL_NEXT, TRAINING_SUMMARY, REPORT, "
        "OVERALL_ACCURACY, MEAN_IOU and BEST_VAL_MIOU."
    )

    OUTPUT = "OUTPUT"
    EPOCHS = "EPOCHS"
    STEPS_PER_EPOCH = "STEPS_PER_EPOCH"
    WIDTH = "WIDTH"
    MODEL = "MODEL"
    PREDICTION = "PREDICTION"
    ENTROPY = "ENTROPY"
    LABEL_NEXT = "LABEL_NEXT"
    TRAINING_SUMMARY = "TRAINING_SUMMARY"
    REPORT = "REPORT"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    MEAN_IOU = "MEAN_IOU"
    BEST_VAL_MIOU = "BEST_VAL_MIOU"

    # make demo's settings (scripts/demo.py)
    TILING = {"TILE_SIZE": 64, "METHOD": "stride", "STRIDE": 32, "VAL_FRACTION": 0.2,
              "SEED": 0}
    TRAINING = {"BATCH_SIZE": 16, "LEARNING_RATE": 0.002, "LOSS": "ce_dice", "AUGMENT": True,
                "EARLY_STOP_PATIENCE": 4}
    STEPS = 6

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT, tr("Output folder"), defaultValue=lasting_folder("first_run")))
        self.addParameter(QgsProcessingParameterNumber(
            self.EPOCHS, tr("Epochs"), type=INTEGER, defaultValue=12, minValue=1))
        self.add_advanced(
            QgsProcessingParameterNumber(self.STEPS_PER_EPOCH,
                                         tr("Steps per epoch (0 = all chips)"), type=INTEGER,
                                         defaultValue=0, minValue=0),
            QgsProcessingParameterNumber(self.WIDTH,
                                         tr("Network width multiplier (0 = the network's "
                                            "default)"),
                                         type=DOUBLE, defaultValue=0.0, minValue=0.0,
                                         maxValue=4.0))
        self.addOutput(QgsProcessingOutputFile(self.MODEL, tr("Model")))
        self.addOutput(QgsProcessingOutputRasterLayer(self.PREDICTION, tr("Prediction")))
        self.addOutput(QgsProcessingOutputRasterLayer(self.ENTROPY, tr("Uncertainty (entropy)")))
        self.addOutput(QgsProcessingOutputVectorLayer(self.LABEL_NEXT, tr("Label next")))
        self.addOutput(QgsProcessingOutputHtml(self.TRAINING_SUMMARY, tr("Training summary")))
        self.addOutput(QgsProcessingOutputHtml(self.REPORT, tr("Evaluation on the held-out "
                                                                "third")))
        self.addOutput(QgsProcessingOutputNumber(self.OVERALL_ACCURACY,
                                                 tr("Overall accuracy (held out)")))
        self.addOutput(QgsProcessingOutputNumber(self.MEAN_IOU, tr("Mean IoU (held out)")))
        self.addOutput(QgsProcessingOutputNumber(self.BEST_VAL_MIOU,
                                                 tr("Best validation mean IoU")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        import processing

        folder = self.parameterAsString(parameters, self.OUTPUT, context)
        steps = QgsProcessingMultiStepFeedback(self.STEPS, feedback)
        step = iter(range(self.STEPS))

        def run(algorithm, params, title):
            """One step: the provider's algorithm as a child, with its own share of
            the progress bar; a cancel between steps stops the run."""
            steps.setCurrentStep(next(step))
            if feedback.isCanceled():
                raise QgsProcessingException(self.tr(
                    "Cancelled: the steps done so far are kept in {0}.").format(folder))
            feedback.pushInfo("")
            feedback.pushInfo(title)
            return processing.run(f"semseg:{algorithm}", params, context=context,
                                  feedback=steps, is_child_algorithm=True)

        data = run("sampledata", {"OUTPUT": os.path.join(folder, "data"), "LOAD": False},
                   self.tr("1/6 Sample data: the Landsat-8 scene and its cloud label"))
        image, label = data["IMAGE"], data["LABEL"]
        steps.setCurrentStep(next(step))
        split = self.run_engine(sample.holdout_split, steps, image, label,
                                os.path.join(folder, "data", "split"))
        feedback.pushInfo(self.tr("2/6 Training and validation use the columns west of {0}; "
                                  "the east third is held out for Evaluate.")
                          .format(split["split_x"]))
        dataset = os.path.join(folder, "dataset")
        _remove_earlier_dataset(dataset)
        run("tiledataset", {"IMAGE": split["train_image"], "LABEL": split["train_label"],
                            "OUTPUT": dataset, **self.TILING},
            self.tr("3/6 Tile Dataset: chips of the west two thirds"))
        model = run("trainmodel", {
            "DATASET": dataset, **self.TRAINING,
            "EPOCHS": self.parameterAsInt(parameters, self.EPOCHS, context),
            "STEPS_PER_EPOCH": self.parameterAsInt(parameters, self.STEPS_PER_EPOCH, context),
            "WIDTH": self.parameterAsDouble(parameters, self.WIDTH, context),
            "OUTPUT_MODEL": os.path.join(folder, "cloud_model.keras"),
            "LOG_DIR": os.path.join(folder, "training_logs")},
            self.tr("4/6 Train Model: each epoch's loss and validation mean IoU follow"))
        prediction = run("predictraster", {
            "INPUT": image, "MODEL": model["OUTPUT_MODEL"],
            "OUTPUT": os.path.join(folder, "prediction.tif"),
            "OUTPUT_ENTROPY": os.path.join(folder, "entropy.tif"),
            "OUTPUT_LABEL_NEXT": os.path.join(folder, "label_next.gpkg"),
            "LABEL_NEXT_COUNT": 10},
            self.tr("5/6 Predict Raster: the whole scene, its uncertainty and the cells to "
                    "label next"))
        scores = run("evaluate", {
            "PREDICTION": prediction["OUTPUT"], "REFERENCE": split["heldout_label"],
            "OUTPUT_REPORT": os.path.join(folder, "evaluation.html"),
            "OUTPUT_JSON": os.path.join(folder, "evaluation.json")},
            self.tr("6/6 Evaluate: the map against the label on the held-out east third"))
        feedback.pushInfo("")
        feedback.pushInfo(self.tr(
            "On the held-out east third: overall accuracy {0:.3f}, mean IoU {1:.3f} (best "
            "validation mean IoU during training {2:.3f}). Everything is in {3}.").format(
                scores["OVERALL_ACCURACY"], scores["MEAN_IOU"], model["BEST_VAL_MIOU"] or 0.0,
                folder))
        for path, name, output in (
                (image, self.tr("Landsat-8 sample (B4, B3, B2)"), ""),
                (label, self.tr("Cloud label"), ""),
                (prediction["OUTPUT_ENTROPY"], self.tr("Uncertainty (entropy)"), self.ENTROPY),
                (prediction["OUTPUT"], self.tr("Prediction"), self.PREDICTION),
                (prediction["OUTPUT_LABEL_NEXT"], self.tr("Label next"), self.LABEL_NEXT)):
            if path:
                load_with_style(context, path, name, output)
        return {
            self.OUTPUT: folder,
            self.MODEL: model["OUTPUT_MODEL"],
            self.PREDICTION: prediction["OUTPUT"],
            self.ENTROPY: prediction["OUTPUT_ENTROPY"],
            self.LABEL_NEXT: prediction["OUTPUT_LABEL_NEXT"],
            self.TRAINING_SUMMARY: model.get("OUTPUT_HTML"),
            self.REPORT: scores["OUTPUT_REPORT"],
            self.OVERALL_ACCURACY: scores["OVERALL_ACCURACY"],
            self.MEAN_IOU: scores["MEAN_IOU"],
            self.BEST_VAL_MIOU: model["BEST_VAL_MIOU"],
        }


def _remove_earlier_dataset(folder):
    """Tile Dataset adds to a dataset folder: an earlier first run's dataset is
    removed so this run's chips are the only ones (a folder that is not a
    dataset is left alone, and Tile Dataset reports it)."""
    if os.path.isfile(os.path.join(folder, DATASET_JSON)):
        shutil.rmtree(folder)
