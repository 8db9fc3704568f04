"""The dialogs a first-time user sees: each algorithm opens with what a first run
needs and keeps the rest under "Advanced parameters"; Train Model's Encoder list
follows its Model; Evaluate's two rasters are not labelled "[optional]"; the help
is written with the dialog's labels, the qgis_process names in a final section.

The dialogs are built headless (QT_QPA_PLATFORM=offscreen), as QGIS builds them."""

import re

import pytest

# What each dialog shows before "Advanced parameters": its inputs, then its outputs
# (QGIS 3.22 shows every output in the dialog's main part).
ESSENTIALS = {
    "semseg:tiledataset": ({"IMAGE", "LABEL", "LABEL_VECTOR", "LABEL_FIELD", "TILE_SIZE"},
                           {"OUTPUT"}),
    "semseg:colortoindex": ({"INPUT", "MODE", "COLOR_MAP", "COLOR_MAP_FILE"}, {"OUTPUT"}),
    "semseg:trainmodel": ({"DATASET", "MODEL", "ENCODER", "EPOCHS"},
                          {"OUTPUT_MODEL", "LOG_DIR"}),
    "semseg:predictraster": ({"INPUT", "MODEL"},
                             {"OUTPUT", "OUTPUT_PROBABILITY", "OUTPUT_CONFIDENCE",
                              "OUTPUT_ENTROPY", "OUTPUT_VECTOR", "OUTPUT_LABEL_NEXT"}),
    "semseg:evaluate": ({"PREDICTION", "REFERENCE"},
                        {"OUTPUT_TABLE", "OUTPUT_REPORT", "OUTPUT_JSON"}),
    "semseg:exportmodel": ({"MODEL", "DEEPNESS"}, {"OUTPUT"}),
    "semseg:predictscenes": ({"INPUTS", "MODEL"}, {"OUTPUT_FOLDER"}),
    "semseg:setupengine": ({"FOLDER"}, set()),
    "semseg:enginestatus": (set(), set()),
}
# No dialog of the provider (those above and any added later) opens with more fields.
MOST_FIELDS = 8


def _registry():
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry()


def _dialog(alg_id):
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    return AlgorithmDialog(_registry().createAlgorithmById(alg_id))


def _widget(wrapper):
    from processing.gui.wrappers import WidgetWrapper

    return wrapper.widget if isinstance(wrapper, WidgetWrapper) else wrapper.wrappedWidget()


def _in_advanced_group(widget):
    parent = widget.parentWidget()
    while parent is not None:
        if parent.objectName() == "grpAdvanced":
            return True
        parent = parent.parentWidget()
    return False


def _shown_first(alg_id):
    """(inputs, outputs) whose widgets the algorithm dialog shows outside the
    "Advanced parameters" group."""
    dialog = _dialog(alg_id)
    try:
        alg = dialog.algorithm()
        shown = {name for name, wrapper in dialog.mainWidget().wrappers.items()
                 if _widget(wrapper) is not None and not _in_advanced_group(_widget(wrapper))}
        outputs = {d.name() for d in alg.destinationParameterDefinitions()}
        return shown - outputs, shown & outputs
    finally:
        dialog.deleteLater()


@pytest.mark.parametrize("alg_id", sorted(ESSENTIALS))
def test_each_dialog_opens_with_its_essentials_only(qgis_app, alg_id):
    inputs, outputs = _shown_first(alg_id)
    assert (inputs, outputs) == ESSENTIALS[alg_id]
    alg = _registry().algorithmById(alg_id)
    advanced = {d.name() for d in alg.parameterDefinitions()
                if d.flags() & d.Flag.FlagAdvanced}
    assert advanced == {d.name() for d in alg.parameterDefinitions()
                        if not d.isDestination()} - inputs


def test_train_model_opens_with_six_fields(qgis_app):
    inputs, outputs = _shown_first("semseg:trainmodel")
    assert len(inputs) + len(outputs) == 6


def test_no_dialog_opens_with_more_than_a_few_fields(qgis_app):
    provider = _registry().providerById("semseg")
    counts = {}
    for alg in provider.algorithms():
        essential = [d for d in alg.parameterDefinitions()
                     if not d.flags() & (d.Flag.FlagAdvanced | d.Flag.FlagHidden)]
        counts[alg.id()] = len(essential)
    assert max(counts.values()) <= MOST_FIELDS, counts


# ------------------------------------------------------------------ the encoder list
def _encoder_dialog():
    dialog = _dialog("semseg:trainmodel")
    wrappers = dialog.mainWidget().wrappers
    return dialog, wrappers["MODEL"], wrappers["ENCODER"]


def _fitting(model):
    from semantic_segmentation.models import catalog

    return [e for e in catalog.ENCODERS if catalog.pair_problem(model, e) is None]


def test_encoder_list_follows_the_model(qgis_app):
    from qgis.core import QgsProcessingContext

    from semantic_segmentation.models import catalog

    context = QgsProcessingContext()
    dialog, model, encoder = _encoder_dialog()
    try:
        assert model.parameterValue() == catalog.DEFAULT_DECODER
        assert sorted(encoder.options_shown()) == sorted(_fitting(catalog.DEFAULT_DECODER))
        assert encoder.parameterValue() == catalog.DEFAULT_ENCODER
        for name in catalog.DECODERS:
            before = encoder.parameterValue()
            model.setParameterValue(name, context)
            shown = encoder.options_shown()
            assert sorted(shown) == sorted(_fitting(name)), name
            assert len(shown) < len(catalog.ENCODERS), name
            # the chosen encoder stays while it fits, else the model's default
            expected = before if before in shown else catalog.default_encoder(name)
            assert encoder.parameterValue() == expected, name
            default = encoder.widget.itemText(encoder.widget.findData(
                catalog.default_encoder(name)))
            assert default.endswith("(default)"), default
            marked = [encoder.widget.itemText(i) for i in range(encoder.widget.count())
                      if encoder.widget.itemText(i).endswith("(default)")]
            assert marked == [default], name
    finally:
        dialog.deleteLater()


def test_deeplab_lists_no_unet_encoder_and_keeps_a_fitting_choice(qgis_app):
    from qgis.core import QgsProcessingContext

    context = QgsProcessingContext()
    dialog, model, encoder = _encoder_dialog()
    try:
        assert encoder.parameterValue() == "unet_native"
        model.setParameterValue("deeplab_v3p", context)
        assert "unet_native" not in encoder.options_shown()
        assert encoder.parameterValue() == "xception_41"  # DeepLabV3+'s default
        assert encoder.widget.currentText() == "Xception-41 (default)"
        encoder.setParameterValue("resnet_v2_50", context)
        model.setParameterValue("pspnet", context)  # ResNet-50 v2 fits PSPNet too: kept
        assert encoder.parameterValue() == "resnet_v2_50"
        model.setParameterValue("mobile_unet", context)
        assert encoder.options_shown() == ["mobilenet_v2"]
        assert encoder.parameterValue() == "mobilenet_v2"
    finally:
        dialog.deleteLater()


def test_dialog_given_a_pair_by_name_shows_it(qgis_app):
    """Parameters handed to the dialog (history, "Edit parameters") keep a fitting
    pair: the Model comes first, then its Encoder is listed."""
    dialog = _dialog("semseg:trainmodel")
    dialog.setParameters({"MODEL": "refinenet", "ENCODER": "resnet_v2_50"})
    try:
        wrappers = dialog.mainWidget().wrappers
        assert wrappers["MODEL"].parameterValue() == "refinenet"
        assert wrappers["ENCODER"].parameterValue() == "resnet_v2_50"
    finally:
        dialog.deleteLater()


def test_batch_rows_follow_their_model(qgis_app):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from qgis.core import QgsProcessingContext

    dialog = BatchAlgorithmDialog(_registry().createAlgorithmById("semseg:trainmodel"))
    try:
        panel = dialog.mainWidget()
        row = panel.wrappers[0]
        model = row[panel.parameter_to_column["MODEL"]]
        encoder = row[panel.parameter_to_column["ENCODER"]]
        model.setParameterValue("deeplab_v3p", QgsProcessingContext())
        assert sorted(encoder.options_shown()) == sorted(_fitting("deeplab_v3p"))
        assert encoder.parameterValue() == "xception_41"
    finally:
        dialog.deleteLater()


def test_a_pair_that_does_not_fit_is_refused_once_before_the_run(qgis_app, tmp_path):
    """qgis_process and batch files still take any name: the catalog's one check
    refuses a pair that does not fit, before anything runs."""
    from qgis.core import QgsProcessingContext

    alg = _registry().createAlgorithmById("semseg:trainmodel")
    params = {"DATASET": str(tmp_path), "MODEL": "deeplab_v3p", "ENCODER": "unet_native",
              "OUTPUT_MODEL": str(tmp_path / "m.keras")}
    ok, message = alg.checkParameterValues(params, QgsProcessingContext())
    assert not ok
    assert message.count("does not fit") == 1
    assert "ENCODER 'unet_native' does not fit MODEL 'deeplab_v3p'" in message
    params["ENCODER"] = "resnet_v2_50"
    assert alg.checkParameterValues(params, QgsProcessingContext())[0]
    params["MODEL"], params["OUTPUT_STRIDE"] = "icnet", "32"
    ok, message = alg.checkParameterValues(params, QgsProcessingContext())
    assert not ok and "OUTPUT_STRIDE 32" in message


# ------------------------------------------------------------------ Evaluate's inputs
def test_evaluate_labels_its_rasters_as_required(qgis_app):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog

    dialog = _dialog("semseg:evaluate")
    try:
        wrappers = dialog.mainWidget().wrappers
        for name, label in (("PREDICTION", "Prediction (class raster)"),
                            ("REFERENCE", "Reference (label raster)")):
            assert wrappers[name].label.text() == label
            assert wrappers[name].parameterValue() is None  # empty until chosen
        assert "[optional]" in wrappers["REFERENCE_FOLDER"].wrappedLabel().text()
    finally:
        dialog.deleteLater()
    batch = BatchAlgorithmDialog(_registry().createAlgorithmById("semseg:evaluate"))
    try:  # the batch dialog keeps QGIS's own layer widget
        panel = batch.mainWidget()
        wrapper = panel.wrappers[0][panel.parameter_to_column["PREDICTION"]]
        assert type(wrapper).__name__ != "RequiredInputWrapper"
    finally:
        batch.deleteLater()


def test_evaluate_dialog_takes_a_chosen_layer(qgis_app, tmp_path):
    import numpy as np
    from qgis.core import QgsProcessingContext, QgsProject, QgsRasterLayer
    from rasters import write_raster

    path = write_raster(tmp_path / "pred.tif", np.zeros((1, 8, 8), np.uint8))
    layer = QgsRasterLayer(path, "pred")
    QgsProject.instance().addMapLayer(layer)
    dialog = _dialog("semseg:evaluate")
    try:
        wrapper = dialog.mainWidget().wrappers["PREDICTION"]
        wrapper.setParameterValue(layer.id(), QgsProcessingContext())
        assert dialog.mainWidget().createProcessingParameters()["PREDICTION"] == layer.id()
    finally:
        dialog.deleteLater()
        QgsProject.instance().removeAllMapLayers()


@pytest.mark.parametrize("given, ok, expected", [
    ({}, False, "Missing: Prediction (PREDICTION), Reference (REFERENCE)"),
    ({"PREDICTION": "pred"}, False, "Missing: Reference (REFERENCE)"),
    ({"PREDICTION": "pred", "REFERENCE": "pred"}, True, None),
    ({"PREDICTION_FOLDER": "dir", "REFERENCE_FOLDER": "dir"}, True, None),
    ({"PREDICTION": "pred", "REFERENCE_VECTOR": "sample"}, True, None),
    ({"REFERENCE_VECTOR": "sample"}, False, "Missing: Prediction (PREDICTION)."),
])
def test_evaluate_says_which_input_is_missing(qgis_app, tmp_path, given, ok, expected):
    import numpy as np
    from qgis.core import QgsProcessingContext, QgsProject
    from rasters import write_raster

    pred = write_raster(tmp_path / "pred.tif", np.zeros((1, 8, 8), np.uint8))
    sample = tmp_path / "sample.geojson"
    sample.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                      '"properties": {"class": 1}, "geometry": {"type": "Point", '
                      '"coordinates": [1, 1]}}]}', encoding="utf-8")
    paths = {"pred": pred, "dir": str(tmp_path), "sample": str(sample)}
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    alg = _registry().createAlgorithmById("semseg:evaluate")
    result, message = alg.checkParameterValues(
        {name: paths[value] for name, value in given.items()}, context)
    assert result == ok, message
    if expected:
        assert expected in message and "Advanced parameters" in message


# ------------------------------------------------------------------ help
UPPER_NAME = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")


@pytest.mark.parametrize("alg_id", sorted(ESSENTIALS))
def test_help_speaks_the_dialogs_language(qgis_app, alg_id):
    """Labels in the paragraphs; the qgis_process names only in the last one, which
    names every parameter."""
    alg = _registry().algorithmById(alg_id)
    paragraphs = alg.shortHelpString().split("\n\n")
    names = {d.name() for d in alg.parameterDefinitions()}
    assert paragraphs[-1].startswith("qgis_process name"), paragraphs[-1]
    assert names <= set(UPPER_NAME.findall(paragraphs[-1]))
    for paragraph in paragraphs[:-1]:
        assert not names & set(UPPER_NAME.findall(paragraph)), paragraph
    assert len(paragraphs) >= 2
