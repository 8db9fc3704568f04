"""The first hour (issue 23): the shipped sample, the first run on it, Train Model's
lasting defaults, a progress bar that moves from the start and the training summary
as an output, and Evaluate's warning when its reference lies where the model learnt."""

import json
import os
import re
import shutil

import pytest
from osgeo import gdal


class Recorder:
    """A feedback that records, in order, its info and warning lines and its progress."""

    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        events = self.events = []

        class Feedback(QgsProcessingFeedback):
            def pushInfo(self, info):  # noqa: N802 (QGIS's name)
                events.append(("info", info))
                super().pushInfo(info)

            def pushWarning(self, warning):  # noqa: N802
                events.append(("warning", warning))
                super().pushWarning(warning)

        self.feedback = Feedback()
        self.feedback.progressChanged.connect(lambda value: events.append(("progress", value)))

    def lines(self, kind):
        return [text for k, text in self.events if k == kind]


EPOCH_LINE = re.compile(r"^Epoch (\d+)/(\d+): loss [0-9.]+, .*val mIoU [0-9.]+")


@pytest.fixture(scope="module")
def first_run(qgis_app, tmp_path_factory):
    """First run on the sample, shortened: 2 epochs of 2 steps of a quarter-width network."""
    import processing

    folder = tmp_path_factory.mktemp("first-run") / "run"
    recorder = Recorder()
    results = processing.run("semseg:firstrun", {
        "OUTPUT": str(folder), "EPOCHS": 2, "STEPS_PER_EPOCH": 2, "WIDTH": 0.25},
        feedback=recorder.feedback)
    return results, recorder, folder


def test_sample_data_is_written_and_loaded_styled(qgis_app, tmp_path):
    import processing
    from qgis.core import QgsProject

    results = processing.runAndLoadResults("semseg:sampledata", {"OUTPUT": str(tmp_path)})
    assert results["IMAGE"] == str(tmp_path / "landsat8_cloud.tif")
    assert results["LABEL"] == str(tmp_path / "landsat8_cloud_label.tif")
    layers = {layer.source(): layer for layer in QgsProject.instance().mapLayers().values()}
    image, label = layers[results["IMAGE"]], layers[results["LABEL"]]
    assert image.renderer().type() == "multibandcolor"
    assert (image.renderer().redBand(), image.renderer().greenBand(),
            image.renderer().blueBand()) == (4, 3, 2)
    assert label.renderer().type() == "paletted"
    assert [c.label for c in label.renderer().classes()] == ["clear", "cloud", "cirrus"]
    QgsProject.instance().removeAllMapLayers()


def test_the_label_copied_alone_keeps_its_class_names(qgis_app, run, tmp_path):
    results = run("semseg:sampledata", {"OUTPUT": str(tmp_path / "sample"), "LOAD": False})
    copies = tmp_path / "copies"
    copies.mkdir()
    image = shutil.copyfile(results["IMAGE"], copies / "image.tif")
    label = shutil.copyfile(results["LABEL"], copies / "label.tif")  # the .tif alone
    assert not [p for p in os.listdir(copies) if not p.endswith(".tif")]
    tiles = run("semseg:tiledataset", {"IMAGE": str(image), "LABEL": str(label),
                                       "TILE_SIZE": 64, "OUTPUT": str(tmp_path / "dataset")})
    with open(os.path.join(tiles["OUTPUT"], "dataset.json"), encoding="utf-8") as f:
        names = json.load(f)["class_names"]
    assert {str(k): v for k, v in names.items()} == {"0": "clear", "1": "cloud", "2": "cirrus"}


def test_first_run_writes_every_step_and_the_scores(first_run):
    results, recorder, folder = first_run
    for key in ("MODEL", "PREDICTION", "ENTROPY", "LABEL_NEXT", "TRAINING_SUMMARY", "REPORT"):
        assert results[key] and os.path.isfile(results[key]), key
        assert os.path.dirname(results[key]).startswith(str(folder)), key
    for key in ("OVERALL_ACCURACY", "MEAN_IOU", "BEST_VAL_MIOU"):
        assert 0.0 <= results[key] <= 1.0, key
    infos = recorder.lines("info")
    for step in range(1, 7):
        assert any(line.startswith(f"{step}/6 ") for line in infos), step
    # Evaluate's reference is the held-out east third: nowhere the model trained
    assert not [w for w in recorder.lines("warning") if "was trained" in w]


def test_first_run_logs_one_line_per_epoch_and_returns_the_training_summary(first_run):
    results, recorder, _folder = first_run
    epochs = [EPOCH_LINE.match(line) for line in recorder.lines("info")]
    assert [(m.group(1), m.group(2)) for m in epochs if m] == [("1", "2"), ("2", "2")]
    with open(results["TRAINING_SUMMARY"], encoding="utf-8") as f:
        page = f.read()
    assert "curves.png" in page and "Training summary" in page
    assert os.path.isfile(os.path.join(os.path.dirname(results["TRAINING_SUMMARY"]),
                                       "curves.png"))


def test_predicted_classes_keep_their_names_in_a_copy_of_the_tif(first_run, tmp_path):
    from semantic_segmentation.engine.data import raster

    results, _recorder, _folder = first_run
    copy = shutil.copyfile(results["PREDICTION"], tmp_path / "copy.tif")
    ds = gdal.Open(str(copy))
    assert raster.category_names(ds.GetRasterBand(1)) == ["clear", "cloud", "cirrus"]
    assert ds.GetMetadataItem("SEMSEG_MODEL") == results["MODEL"]


def test_evaluate_warns_with_the_share_of_the_reference_the_model_trained_on(first_run,
                                                                             tmp_path):
    import processing

    results, _recorder, folder = first_run
    recorder = Recorder()
    processing.run("semseg:evaluate", {
        "PREDICTION": results["PREDICTION"],
        "REFERENCE": str(folder / "data" / "landsat8_cloud_label.tif")},
        feedback=recorder.feedback)
    warnings = [w for w in recorder.lines("warning") if "was trained" in w]
    assert len(warnings) == 1 and results["MODEL"] in warnings[0]
    share = float(re.search(r"([0-9.]+)% of the reference", warnings[0]).group(1)) / 100
    # training chips lie in the west two thirds only, less the validation blocks
    assert 0.2 < share < 2 / 3


def test_train_model_defaults_last_and_logs_go_beside_the_model(qgis_app, tiny_dataset,
                                                                tiny_training, tmp_path):
    import processing
    from qgis.core import QgsApplication, QgsProcessingUtils

    alg = QgsApplication.processingRegistry().algorithmById("semseg:trainmodel")
    default = alg.parameterDefinition("OUTPUT_MODEL").defaultValue()
    assert default.endswith(".keras") and os.path.isabs(default)
    assert not default.startswith(QgsProcessingUtils.tempFolder())
    assert "OUTPUT_HTML" in {out.name() for out in alg.outputDefinitions()}

    recorder = Recorder()
    out = tmp_path / "m.keras"
    results = processing.run("semseg:trainmodel", {
        "DATASET": tiny_dataset, "OUTPUT_MODEL": str(out), **tiny_training},
        feedback=recorder.feedback)
    assert results["LOG_DIR"] == str(tmp_path / "m_logs")
    assert results["OUTPUT_HTML"] == str(tmp_path / "m_logs" / "index.html")
    assert os.path.isfile(results["OUTPUT_HTML"])
    # the bar moves before the first step (TensorFlow's import, the chips, the network)
    events = recorder.events
    built = next(i for i, (kind, text) in enumerate(events)
                 if kind == "info" and " parameters; " in text)
    before = [value for kind, value in events[:built] if kind == "progress"]
    assert before and 0 < max(before) <= 2.0
    assert [EPOCH_LINE.match(t) is not None for t in recorder.lines("info")].count(True) == 1


def test_first_run_cancels_promptly_and_keeps_the_steps_done(qgis_app, tmp_path):
    """Cancel while Train Model runs (a child algorithm, through processing.run): the
    run stops within seconds, writes no model, and keeps the dataset it tiled."""
    import time

    import processing
    from qgis.core import QgsProcessingException

    recorder = Recorder()
    asked = []

    def cancel_in_training(value):
        # progress inside step 4 of 6 (Train Model) once its first steps have run
        if value > 100 * 3.05 / 6 and not asked:
            asked.append(time.monotonic())
            recorder.feedback.cancel()

    recorder.feedback.progressChanged.connect(cancel_in_training)
    folder = tmp_path / "run"
    with pytest.raises(QgsProcessingException, match="Cancel"):
        processing.run("semseg:firstrun", {"OUTPUT": str(folder), "EPOCHS": 20,
                                           "STEPS_PER_EPOCH": 4, "WIDTH": 0.25},
                       feedback=recorder.feedback)
    assert asked and time.monotonic() - asked[0] < 5
    assert not (folder / "cloud_model.keras").exists()
    assert (folder / "dataset" / "dataset.json").exists()
