"""Evaluate: compare predicted class rasters with reference labels."""

import math
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..engine.data import footprints, raster
from ..engine.evaluate import metrics, report
from ..engine.errors import SegError
from ..seg_plugin.i18n import tr_message
from ..seg_plugin.layers import raster_path
from .base import INTEGER, SegAlgorithm, option_parameter, shown_as_required


class EvaluateAlgorithm(SegAlgorithm):
    """Confusion matrix and scores of a prediction (or a folder of them)."""

    PREDICTION = "PREDICTION"
    REFERENCE = "REFERENCE"
    PREDICTION_FOLDER = "PREDICTION_FOLDER"
    REFERENCE_FOLDER = "REFERENCE_FOLDER"
    REFERENCE_VECTOR = "REFERENCE_VECTOR"
    REFERENCE_FIELD = "REFERENCE_FIELD"
    MODE = "MODE"
    IGNORE_BACKGROUND = "IGNORE_BACKGROUND"
    IGNORE_VALUE = "IGNORE_VALUE"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    OUTPUT_JSON = "OUTPUT_JSON"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    KAPPA = "KAPPA"
    MEAN_IOU = "MEAN_IOU"

    NAME = "evaluate"
    DISPLAY = "Evaluate"
    HELP = (
        "Compares predicted class rasters with reference labels: confusion matrix, overall "
        "accuracy, Cohen's kappa, per-class precision, recall, F1 and IoU, mean IoU.\n\n"
        "Prediction: the class raster (from Predict Raster). Reference: the label raster to "
        "compare it with. The prediction is resampled (nearest) onto the reference grid and "
        "only the overlap is compared. Scores table (CSV), Report (HTML) and Scores as JSON: "
        "the files to write, each optional; overall accuracy, kappa and mean IoU are also "
        "outputs that a model can use. A warning says when the reference lies where the "
        "prediction's model was trained.\n\n"
        "Advanced parameters, other inputs instead of the two rasters: a Prediction folder "
        "and a Reference folder, whose rasters are paired by file name; or, with the "
        "Prediction, a Reference sample (points or polygons) and its Class field, an integer "
        "field holding the reference class: points take the prediction's class at their "
        "pixel, polygons are burnt onto the prediction grid. The report then adds map "
        "accuracy and class areas estimated as Olofsson et al. (2014) recommend (map classes "
        "as strata, mapped proportions from the whole prediction), each with its 95% "
        "confidence interval; areas in map units squared. Each point is one sample, and so "
        "is each polygon (a cluster of pixels).\n\n"
        "Advanced parameters, what to count: Mode, one confusion matrix over all pixels of "
        "all pairs, or the mean of each image's scores. Ignore background: skip pixels whose "
        "reference is class 0 (class 0 gets no row; a pixel of another class predicted as 0 "
        "still counts as a miss). Ignore value in the reference: reference pixels with this "
        "value (and nodata pixels) are not counted. A prediction whose nodata value is a "
        "class of the reference is refused.\n\n"
        "qgis_process names: PREDICTION, REFERENCE, OUTPUT_TABLE, OUTPUT_REPORT, OUTPUT_JSON; "
        "PREDICTION_FOLDER, REFERENCE_FOLDER, REFERENCE_VECTOR, REFERENCE_FIELD, MODE "
        "(global, per_image), IGNORE_BACKGROUND, IGNORE_VALUE. Give two rasters, two "
        "folders, or a prediction raster and a sample."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        # optional for qgis_process, batch files and models, where an alternative may
        # replace them; the dialog shows them as the inputs a first run needs
        self.addParameter(shown_as_required(QgsProcessingParameterRasterLayer(
            self.PREDICTION, self.tr("Prediction (class raster)"), optional=True)))
        self.addParameter(shown_as_required(QgsProcessingParameterRasterLayer(
            self.REFERENCE, self.tr("Reference (label raster)"), optional=True)))
        self.addParameter(QgsProcessingParameterFile(
            self.PREDICTION_FOLDER, self.tr("Prediction folder (instead of a raster)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.REFERENCE_FOLDER, self.tr("Reference folder (instead of a raster)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.REFERENCE_VECTOR, self.tr("Reference sample (points or polygons, instead of "
                                           "a reference raster)"),
            [QgsProcessing.SourceType.TypeVectorPoint,
             QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.REFERENCE_FIELD, self.tr("Class field of the reference sample"),
            parentLayerParameterName=self.REFERENCE_VECTOR,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(option_parameter(self.MODE, self.tr("Mode"), "evaluate_mode"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.IGNORE_BACKGROUND, self.tr("Ignore background (class 0)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            self.IGNORE_VALUE, self.tr("Ignore value in the reference"),
            INTEGER, defaultValue=255))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_TABLE, self.tr("Scores table"), self.tr("CSV files (*.csv)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Report"), self.tr("HTML files (*.html *.htm)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_JSON, self.tr("Scores as JSON"), self.tr("JSON files (*.json)"),
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(
            self.OVERALL_ACCURACY, self.tr("Overall accuracy")))
        self.addOutput(QgsProcessingOutputNumber(self.KAPPA, self.tr("Kappa")))
        self.addOutput(QgsProcessingOutputNumber(self.MEAN_IOU, self.tr("Mean IoU")))
        self.advanced_except(self.PREDICTION, self.REFERENCE)

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS's name)
        """QGIS's checks, then which input is missing (the dialog's message box): the
        Prediction and Reference are optional only because an alternative can
        replace them."""
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message

        def given(name):
            return parameters.get(name) not in (None, "")

        if given(self.PREDICTION_FOLDER) or given(self.REFERENCE_FOLDER):
            return ok, message  # the folders: processAlgorithm checks the pair
        sample = given(self.REFERENCE_VECTOR)
        missing = [self.tr("Prediction ({0})").format(self.PREDICTION)] \
            if not given(self.PREDICTION) else []
        if not sample and not given(self.REFERENCE):
            missing.append(self.tr("Reference ({0})").format(self.REFERENCE))
        if missing:
            return False, self.tr(
                "Choose the Prediction (the class raster to score) and the Reference (the "
                "label raster to compare it with). Missing: {0}. Folders of rasters, or a "
                "reference sample, can replace them: see Advanced parameters.").format(
                    ", ".join(missing))
        return ok, message

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        reference_vector, reference_field = self._reference_vector(parameters, context,
                                                                   feedback)
        prediction, reference, class_names = self._inputs(parameters, context,
                                                          bool(reference_vector))
        mode = self.option(parameters, self.MODE, context)
        ignore_background = self.parameterAsBoolean(parameters, self.IGNORE_BACKGROUND, context)
        ignore_value = self.parameterAsInt(parameters, self.IGNORE_VALUE, context)
        table = self.parameterAsFileOutput(parameters, self.OUTPUT_TABLE, context) or None
        html = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context) or None
        json_path = self.parameterAsFileOutput(parameters, self.OUTPUT_JSON, context) or None

        result = self.run_engine(
            metrics.evaluate, feedback, prediction, reference, mode=mode,
            ignore_background=ignore_background, ignore_value=ignore_value,
            class_names=class_names, reference_vector=reference_vector,
            reference_field=reference_field)
        for warning in result.warnings:  # engine Messages: translated like every log line
            feedback.pushWarning(tr_message(warning))
        self._warn_training_overlap(prediction, reference, ignore_value, feedback)
        try:
            if table:
                report.write_csv(result, table)
            if html:
                report.write_html(result, html, title=self.tr("Segmentation evaluation"))
            if json_path:
                report.write_json(result, json_path)
        except OSError as exc:
            raise QgsProcessingException(self.tr("Cannot write the report: {0}").format(exc)) \
                from exc

        scores = result.scores
        feedback.pushInfo(self.tr(
            "Overall accuracy {0}, kappa {1}, mean IoU {2}, mean F1 {3} ({4} pixels)").format(
                _fmt(scores["overall_accuracy"]), _fmt(scores["kappa"]),
                _fmt(scores["mean_iou"]), _fmt(scores["mean_f1"]), scores["pixels"]))
        for value, name, iou in zip(scores["classes"], scores["names"], scores["iou"]):
            feedback.pushInfo(self.tr("  class {0} ({1}): IoU {2}").format(value, name, _fmt(iou)))
        if result.area:
            feedback.pushInfo(self.tr(
                "Map accuracy (stratified estimate): overall accuracy {0} \u00b1 {1} (95% "
                "confidence interval)").format(_fmt(result.area["overall_accuracy"]),
                                               _fmt(result.area["overall_accuracy_ci95"])))
        return {
            self.OUTPUT_TABLE: table,
            self.OUTPUT_REPORT: html,
            self.OUTPUT_JSON: json_path,
            self.OVERALL_ACCURACY: scores["overall_accuracy"],
            self.KAPPA: scores["kappa"],
            self.MEAN_IOU: scores["mean_iou"],
        }

    def _warn_training_overlap(self, prediction, reference, ignore_value, feedback):
        """A warning when the reference raster lies where the prediction's model
        was trained (Predict Raster records the model's training footprints in
        the class raster), with the share of the reference that does."""
        if not reference or os.path.isdir(reference) or os.path.isdir(prediction):
            return
        overlap = self.check_input(self.REFERENCE, footprints.reference_overlap,
                                   prediction, reference, ignore_value)
        if overlap is None or overlap[1] <= 0:
            return
        model, fraction = overlap
        feedback.pushWarning(self.tr(
            "{0:.1%} of the reference lies where the model {1} was trained (its training "
            "chips): there the scores tell how well it learnt its own training pixels, not "
            "how well it maps new ground. Evaluate on an area it was not trained on, such as "
            "a held-out part of the scene.").format(fraction, model or self.tr("(unknown)")))

    def _reference_vector(self, parameters, context, feedback):
        """(OGR path, class field) of the reference sample, or (None, None)."""
        if self.parameterAsSource(parameters, self.REFERENCE_VECTOR, context) is None:
            return None, None
        field = self.parameterAsString(parameters, self.REFERENCE_FIELD, context)
        if not field:
            raise QgsProcessingException(self.tr(
                "A reference sample was given ({0}) but no class field ({1}): choose the "
                "integer field that holds the reference class.")
                .format(self.REFERENCE_VECTOR, self.REFERENCE_FIELD))
        return self.ogr_path(parameters, self.REFERENCE_VECTOR, context, feedback), field

    def _inputs(self, parameters, context, sample=False):
        """(prediction, reference, class names or None): two rasters or two folders,
        or (with a reference ``sample``) the prediction raster alone."""
        pred_layer = self.parameterAsRasterLayer(parameters, self.PREDICTION, context)
        ref_layer = self.parameterAsRasterLayer(parameters, self.REFERENCE, context)
        pred_dir = self.parameterAsFile(parameters, self.PREDICTION_FOLDER, context)
        ref_dir = self.parameterAsFile(parameters, self.REFERENCE_FOLDER, context)
        if sample:
            if ref_layer is not None or ref_dir or pred_dir or pred_layer is None:
                raise QgsProcessingException(self.tr(
                    "With a reference sample ({0}), give the prediction raster ({1}) and no "
                    "other reference ({2}, {3}) or folder ({4}).").format(
                        self.REFERENCE_VECTOR, self.PREDICTION, self.REFERENCE,
                        self.REFERENCE_FOLDER, self.PREDICTION_FOLDER))
            prediction = raster_path(pred_layer, self.PREDICTION)
            return prediction, None, _category_names(prediction) or None
        layers = pred_layer is not None or ref_layer is not None
        folders = bool(pred_dir or ref_dir)
        if layers and folders:
            raise QgsProcessingException(self.tr(
                "Give either two rasters ({0}, {1}) or two folders ({2}, {3}), not both.")
                .format(self.PREDICTION, self.REFERENCE, self.PREDICTION_FOLDER,
                        self.REFERENCE_FOLDER))
        if folders:
            if not (pred_dir and ref_dir):
                missing = self.REFERENCE_FOLDER if pred_dir else self.PREDICTION_FOLDER
                raise QgsProcessingException(self.tr(
                    "{0} is missing: give both folders.").format(missing))
            for parameter, folder in ((self.PREDICTION_FOLDER, pred_dir),
                                      (self.REFERENCE_FOLDER, ref_dir)):
                if not os.path.isdir(folder):
                    raise QgsProcessingException(self.tr(
                        "{0}: {1} is not a folder.").format(parameter, folder))
            return pred_dir, ref_dir, None
        if pred_layer is None or ref_layer is None:
            missing = [p for p, layer in ((self.PREDICTION, pred_layer),
                                          (self.REFERENCE, ref_layer)) if layer is None]
            raise QgsProcessingException(self.tr(
                "Give a prediction and a reference: two rasters ({0}, {1}) or two folders "
                "({2}, {3}). Missing: {4}.").format(
                    self.PREDICTION, self.REFERENCE, self.PREDICTION_FOLDER,
                    self.REFERENCE_FOLDER, ", ".join(missing)))
        prediction = raster_path(pred_layer, self.PREDICTION)
        reference = raster_path(ref_layer, self.REFERENCE)
        names = {**_category_names(prediction), **_category_names(reference)}
        return prediction, reference, names or None


def _category_names(path):
    """{value: name} of a class raster's GDAL category names (empty if none)."""
    try:
        ds = raster.open_raster(path)
    except SegError:
        return {}
    names = raster.category_names(ds.GetRasterBand(1))
    return {i: name for i, name in enumerate(names) if name}


def _fmt(value):
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else \
        f"{value:.4f}"
