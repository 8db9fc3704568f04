"""Train Model and Predict Raster through Processing: the worker process,
its progress, cancel and errors, and the styled outputs."""

import os
import signal
import sys
import threading
import time

import numpy as np
import pytest
from osgeo import gdal

from rasters import read_raster

# one pytest-xdist worker runs every file that shares the tiny_model fixtures
pytestmark = pytest.mark.xdist_group("tiny_model")


@pytest.fixture
def scene(tiny_scene):
    return tiny_scene


@pytest.fixture
def dataset(tiny_chips):
    return tiny_chips


@pytest.fixture
def trained_model(tiny_model):
    return tiny_model


def engine_processes():
    """Command lines of engine workers this test process started that still run."""
    return [cmd for _pid, cmd in engine_children()]


def engine_children():
    """(pid, command line) of engine workers this test process started that still run."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    parent = int(f.read().rsplit(b")", 1)[1].split()[1])
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError, IndexError):
                continue
            if parent == os.getpid() and "semantic_segmentation.engine" in cmd:
                found.append((int(pid), cmd))
    return found


class CancelAfter:
    """A feedback that asks to cancel once progress has passed ``fraction``."""

    def __init__(self, percent):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.percent = percent
        self.feedback.progressChanged.connect(self._on_progress)

    def _on_progress(self, value):
        if value > self.percent:
            self.feedback.cancel()


def test_train_writes_self_describing_model(trained_model):
    from semantic_segmentation.engine.formats import modelfile

    path = trained_model["OUTPUT_MODEL"]
    assert os.path.exists(path)
    meta = modelfile.read_metadata(path)
    assert meta["bands"] == 3
    assert [c["value"] for c in meta["classes"]] == [0, 1, 2]
    assert meta["model"] and meta["encoder"]
    assert 0.0 <= trained_model["BEST_VAL_MIOU"] <= 1.0


def test_training_never_loads_tensorflow_into_qgis(trained_model):
    assert trained_model["OUTPUT_MODEL"]
    assert "tensorflow" not in sys.modules
    assert "keras" not in sys.modules


def test_train_rejects_folder_that_is_not_a_dataset(qgis_app, tmp_path, tiny_training):
    import processing
    from qgis.core import QgsProcessingException

    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(QgsProcessingException, match="dataset"):
        processing.run("semseg:trainmodel", {"DATASET": str(tmp_path),
                                            "OUTPUT_MODEL": str(tmp_path / "m.keras"), **tiny_training})
    assert not os.path.exists(tmp_path / "m.keras")


def test_train_rejects_incompatible_model_and_encoder(qgis_app, dataset, tmp_path,
                                                      tiny_training):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="vgg_16"):
        processing.run("semseg:trainmodel", {"DATASET": dataset, "MODEL": "segnet",
                                            "ENCODER": "mobilenet_v2",
                                            "OUTPUT_MODEL": str(tmp_path / "m.keras"), **tiny_training})


def test_cancel_ends_worker_and_writes_no_model(qgis_app, dataset, tmp_path, tiny_training):
    import processing
    from qgis.core import QgsProcessingException

    from semantic_segmentation.engine import outputs

    out = tmp_path / "m.keras"
    cancel = CancelAfter(1)
    params = {"DATASET": dataset, "OUTPUT_MODEL": str(out), **tiny_training,
              "EPOCHS": 50, "STEPS_PER_EPOCH": 40}
    with pytest.raises(QgsProcessingException, match="Cancel"):
        processing.run("semseg:trainmodel", params, feedback=cancel.feedback)
    # asked at 1 % of 2000 steps, the run stopped long before its end
    assert cancel.feedback.progress() < 50
    assert not out.exists()
    assert outputs.stale_partials(str(tmp_path)) == []
    assert [t for t in threading.enumerate() if t.name.startswith("semseg-worker")] == []
    assert engine_processes() == []


def test_predict_keeps_grid_and_styles_classes(qgis_app, trained_model, scene, tmp_path):
    import processing

    out = tmp_path / "classes.tif"
    result = processing.run("semseg:predictraster", {
        "INPUT": scene[0], "MODEL": trained_model["OUTPUT_MODEL"], "OUTPUT": str(out),
        "OUTPUT_VECTOR": str(tmp_path / "classes.gpkg")})
    assert result["OUTPUT"] == str(out)
    classes, ds = read_raster(out)
    src = gdal.Open(scene[0])
    assert ds.GetGeoTransform() == src.GetGeoTransform()
    assert ds.RasterXSize == src.RasterXSize and ds.RasterYSize == src.RasterYSize
    assert set(np.unique(classes)) <= {0, 1, 2}
    table = ds.GetRasterBand(1).GetRasterColorTable()
    assert table is not None and table.GetCount() >= 3
    assert os.path.exists(str(out)[:-4] + ".qml")
    assert os.path.exists(result["OUTPUT_VECTOR"])


def test_predict_with_the_onnx_export_matches_and_is_styled(qgis_app, trained_model, scene,
                                                            tiny_onnx, tmp_path):
    """Export Model's .onnx file (Deepness layout) in Predict Raster: the metadata comes
    from the file (read inside QGIS without ONNX Runtime), the worker runs it with ONNX
    Runtime, and the class raster is the .keras model's one at the same windows."""
    import processing

    from semantic_segmentation.engine.formats import modelfile

    onnx_path = tiny_onnx["OUTPUT"]
    meta = modelfile.read_metadata(onnx_path)
    assert meta["onnx"]["layout"] == "NCHW" and "onnxruntime" not in sys.modules
    tile = meta["onnx"]["tile_size"]
    outs = {}
    for name, model in (("keras", trained_model["OUTPUT_MODEL"]), ("onnx", onnx_path)):
        outs[name] = tmp_path / f"{name}.tif"
        processing.run("semseg:predictraster", {
            "INPUT": scene[0], "MODEL": model, "OUTPUT": str(outs[name]),
            "TILE_SIZE": tile})
    got, want = read_raster(outs["onnx"])[0], read_raster(outs["keras"])[0]
    assert np.mean(got == want) >= 0.9999
    assert os.path.exists(str(outs["onnx"])[:-4] + ".qml")
    with pytest.raises(Exception, match="TensorFlow cannot run the ONNX file"):
        processing.run("semseg:predictraster", {
            "INPUT": scene[0], "MODEL": onnx_path, "OUTPUT": str(tmp_path / "tf.tif"),
            "BACKEND": "tensorflow"})


def test_predict_uncertainty_outputs_are_styled_and_label_next_is_ranked(
        qgis_app, trained_model, scene, tmp_path):
    import processing
    from osgeo import ogr

    paths = {k: str(tmp_path / f"{k}.tif") for k in ("classes", "confidence", "entropy")}
    result = processing.run("semseg:predictraster", {
        "INPUT": scene[0], "MODEL": trained_model["OUTPUT_MODEL"], "TTA": "flips",
        "OUTPUT": paths["classes"], "OUTPUT_CONFIDENCE": paths["confidence"],
        "OUTPUT_ENTROPY": paths["entropy"], "OUTPUT_LABEL_NEXT": str(tmp_path / "next.gpkg"),
        "LABEL_NEXT_COUNT": 3})
    for key in ("confidence", "entropy"):
        assert result[f"OUTPUT_{key.upper()}"] == paths[key]
        values, _ = read_raster(paths[key])
        assert 0.0 <= values.min() and values.max() <= 1.0
        with open(paths[key][:-4] + ".qml", encoding="utf-8") as f:
            assert "singlebandpseudocolor" in f.read()
    ds = ogr.Open(result["OUTPUT_LABEL_NEXT"])
    ranks = [f["rank"] for f in ds.GetLayer(0)]
    ds = None
    assert ranks == [1, 2, 3]
    # outlines with their rank (a fill would hide the uncertainty they point to), as a
    # default-style sidecar QGIS applies whenever the file is loaded
    from qgis.core import QgsVectorLayer

    assert os.path.isfile(str(tmp_path / "next.qml"))
    layer = QgsVectorLayer(result["OUTPUT_LABEL_NEXT"], "next", "ogr")
    assert layer.isValid() and layer.labelsEnabled()
    assert layer.labeling().settings().fieldName == "rank"
    fill = layer.renderer().symbol().symbolLayer(0)
    assert fill.brushStyle() == 0  # Qt.NoBrush


def test_predict_bad_overlap_fails_before_any_output(qgis_app, trained_model, scene,
                                                     tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="OVERLAP"):
        processing.run("semseg:predictraster", {
            "INPUT": scene[0], "MODEL": trained_model["OUTPUT_MODEL"], "TILE_SIZE": 32,
            "OVERLAP": 32, "OUTPUT": str(tmp_path / "out.tif")})
    assert os.listdir(tmp_path) == []


def test_predict_with_foreign_model_file_is_clear_error(qgis_app, scene, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    bogus = tmp_path / "bogus.keras"
    bogus.write_text("not a model")
    with pytest.raises(QgsProcessingException, match="bogus.keras"):
        processing.run("semseg:predictraster", {"INPUT": scene[0], "MODEL": str(bogus),
                                               "OUTPUT": str(tmp_path / "out.tif")})
    assert not (tmp_path / "out.tif").exists()


def test_missing_engine_python_is_clear_error(qgis_app, scene, tmp_path, monkeypatch):
    import processing
    from qgis.core import QgsProcessingException

    monkeypatch.setenv("SEMSEG_PYTHON", str(tmp_path / "no-such-python"))
    with pytest.raises(QgsProcessingException, match="SEMSEG_PYTHON") as error:
        processing.run("semseg:predictraster", {"INPUT": scene[0],
                                               "MODEL": str(tmp_path / "m.keras"),
                                               "OUTPUT": str(tmp_path / "out.tif")})
    assert "no-such-python" in str(error.value) and "Set up the engine" in str(error.value)


# Like the Landsat scene: an origin that is no multiple of the 30 m pixel size.
LANDSAT = (452475.0, 3408675.0)


def test_predict_extent_halves_lie_on_the_scene_grid_and_mosaic(qgis_app, trained_model,
                                                                 tmp_path):
    """Default RESOLUTION: the layer's own. The outputs lie on the input's pixels,
    EXTENT halves mosaic into the whole run, and the plan is in the metadata."""
    import json

    import processing
    from rasters import synthetic_scene, write_raster

    image, _ = synthetic_scene(h=96, w=128, bands=3, seed=4)
    src = write_raster(tmp_path / "landsat.tif", image, origin=LANDSAT)
    x0, y0 = LANDSAT
    cut = y0 - 40.5 * 30
    runs = {"whole": None, "top": (x0, x0 + 128 * 30, cut, y0),
            "bottom": (x0, x0 + 128 * 30, y0 - 96 * 30, cut)}
    got = {}
    for name, extent in runs.items():
        params = {"INPUT": src, "MODEL": trained_model["OUTPUT_MODEL"],
                  "OUTPUT": str(tmp_path / f"{name}.tif")}
        if extent:
            params["EXTENT"] = "{0},{1},{2},{3} [EPSG:32616]".format(*extent)
        processing.run("semseg:predictraster", params)
        got[name] = read_raster(tmp_path / f"{name}.tif")
    whole, ds = got["whole"]
    assert ds.GetGeoTransform() == (x0, 30.0, 0.0, y0, 0.0, -30.0)
    assert whole.shape[:2] == (96, 128)
    top, top_ds = got["top"]
    assert top_ds.GetGeoTransform()[3] == y0 and top.shape[:2] == (41, 128)
    assert got["bottom"][1].GetGeoTransform()[3] == y0 - 40 * 30
    assert np.array_equal(np.concatenate([top[:-1], got["bottom"][0]]), whole)
    plan = json.loads(ds.GetMetadataItem("SEMSEG_PLAN"))
    assert plan["memory_budget"] == 512 << 20 and plan["window"] >= 32


def test_predict_reads_a_layer_at_its_own_resolution_and_warns(qgis_app, trained_model,
                                                               tmp_path):
    """A model trained at 30 m on a 60 m layer: the layer's own grid and a
    warning, not a silent warp to 30 m."""
    import processing
    from rasters import synthetic_scene, write_raster
    from test_web_layers import WarningFeedback

    image, _ = synthetic_scene(h=48, w=64, bands=3, seed=4)
    src = write_raster(tmp_path / "coarse.tif", image, pixel=60.0, origin=LANDSAT)
    feedback = WarningFeedback()
    processing.run("semseg:predictraster", {"INPUT": src, "MODEL": trained_model["OUTPUT_MODEL"],
                                            "OUTPUT": str(tmp_path / "o.tif")},
                   feedback=feedback)
    out, ds = read_raster(tmp_path / "o.tif")
    assert ds.GetGeoTransform() == gdal.Open(src).GetGeoTransform() and out.shape[:2] == (48, 64)
    assert any("trained at 30" in w and "RESOLUTION" in w for w in feedback.warnings)


def test_predict_refuses_a_plan_over_the_memory_budget(qgis_app, trained_model, scene,
                                                       tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="TILE_SIZE.*BATCH_SIZE") as error:
        processing.run("semseg:predictraster", {
            "INPUT": scene[0], "MODEL": trained_model["OUTPUT_MODEL"], "TILE_SIZE": 32,
            "OVERLAP": 16, "BATCH_SIZE": 256, "TTA": "d4", "MEMORY_BUDGET": 16,
            "OUTPUT": str(tmp_path / "out.tif")})
    assert "budget of 16 MiB" in str(error.value) and "MEMORY_BUDGET" in str(error.value)
    assert os.listdir(tmp_path) == []


def test_memory_budget_is_a_processing_setting(qgis_app):
    from processing.core.ProcessingConfig import ProcessingConfig

    from semantic_segmentation.seg_plugin import engine_setting

    assert engine_setting.MEMORY_SETTING in ProcessingConfig.settings
    assert engine_setting.memory_budget() == 512
    old = ProcessingConfig.getSetting(engine_setting.MEMORY_SETTING)
    try:
        ProcessingConfig.setSettingValue(engine_setting.MEMORY_SETTING, 2048)
        assert engine_setting.memory_budget() == 2048
        ProcessingConfig.setSettingValue(engine_setting.MEMORY_SETTING, 3)  # too small
        assert engine_setting.memory_budget() == 512
    finally:
        ProcessingConfig.setSettingValue(engine_setting.MEMORY_SETTING, old)


# ---------------------------------------------------------------- nothing left behind
@pytest.fixture
def system_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, for this process and the workers it starts:
    the job folders, and whatever a worker would make on its own."""
    import tempfile

    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def semseg_litter(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("semseg-"))


class CancelClock:
    """A feedback that cancels when told (from a progress report, or another
    thread) and records when, to time the algorithm's return from there."""

    def __init__(self, percent=None, text=None):
        from qgis.core import QgsProcessingFeedback

        clock = self

        class Feedback(QgsProcessingFeedback):
            def pushInfo(self, info):
                super().pushInfo(info)
                if text is not None and text in info and clock.at is None:
                    clock.cancel()

        self.feedback = Feedback()
        self.at = None
        if percent is not None:
            self.feedback.progressChanged.connect(
                lambda value: value > percent and self.at is None and self.cancel())

    def cancel(self):
        self.at = time.monotonic()
        self.feedback.cancel()

    def cancel_at_start_up(self, delay=0.5):
        """Cancel ``delay`` s after the worker process exists: it is importing
        TensorFlow (several seconds) then."""

        def watch():
            end = time.monotonic() + 120
            while not engine_children() and time.monotonic() < end:
                time.sleep(0.02)
            time.sleep(delay)
            self.cancel()

        threading.Thread(target=watch, daemon=True).start()


# Cancel's bound: the algorithm returns within 2 s of a cancel at any stage. The
# worker raises Cancelled at once on SIGTERM (0.1-0.3 s measured, idle or loaded),
# and the parent kills it after a 1 s grace (CANCEL_GRACE_S) or as soon as it
# reported its end, so the 2 s bound holds even when the worker hangs in C code.
CANCEL_BOUND_S = 2.0


def _run_cancelled(algorithm, params, clock):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Cancel"):
        processing.run(algorithm, params, feedback=clock.feedback)
    returned = time.monotonic()
    assert clock.at is not None
    return returned - clock.at


@pytest.mark.parametrize("stage", ["start_up", "building", "training"])
def test_cancel_of_training_returns_within_two_seconds_and_leaves_nothing(
        qgis_app, dataset, tmp_path, tiny_training, system_tmp, stage):
    """start_up: TensorFlow is being imported; building: the network is built
    and its first step traced (no progress report for seconds); training:
    between two steps."""
    from semantic_segmentation.engine import outputs
    from semantic_segmentation.engine.train.training import SETUP_SHARE

    out, logs = tmp_path / "m.keras", tmp_path / "logs"
    # the set-up moves the bar through its first SETUP_SHARE (2 %) before the steps
    clock = CancelClock(percent=3 if stage == "training" else None,
                        text=" parameters; " if stage == "building" else None)
    if stage == "start_up":
        clock.cancel_at_start_up()
    params = {"DATASET": dataset, "OUTPUT_MODEL": str(out), "LOG_DIR": str(logs),
              **tiny_training, "EPOCHS": 50, "STEPS_PER_EPOCH": 40}
    took = _run_cancelled("semseg:trainmodel", params, clock)
    assert took < CANCEL_BOUND_S, took
    if stage != "training":
        assert clock.feedback.progress() <= 100 * SETUP_SHARE
    assert not out.exists()
    assert outputs.stale_partials(str(tmp_path)) == []
    assert not logs.exists() or outputs.stale_partials(str(logs)) == []
    assert semseg_litter(system_tmp) == []
    assert engine_processes() == []


def test_cancel_of_prediction_returns_within_two_seconds_and_leaves_nothing(
        qgis_app, trained_model, tmp_path, system_tmp):
    from rasters import synthetic_scene, write_raster

    from semantic_segmentation.engine import outputs

    image, _label = synthetic_scene(h=1536, w=1536, bands=3)
    scene = write_raster(tmp_path / "big.tif", image)
    out = tmp_path / "out"
    out.mkdir()
    clock = CancelClock(percent=1)
    took = _run_cancelled("semseg:predictraster", {
        "INPUT": scene, "MODEL": trained_model["OUTPUT_MODEL"],
        "OUTPUT": str(out / "classes.tif"), "OUTPUT_VECTOR": str(out / "classes.gpkg")}, clock)
    assert took < CANCEL_BOUND_S, took
    assert os.listdir(out) == [] and outputs.stale_partials(str(out)) == []
    assert semseg_litter(system_tmp) == []
    assert engine_processes() == []


def test_killed_worker_is_reported_as_such_and_leaves_nothing(qgis_app, dataset, tmp_path,
                                                             tiny_training, system_tmp):
    """SIGKILL (the out-of-memory killer's signal) runs no cleanup in the worker:
    its parent removes the job folder (the training's data cache and history)
    and the partial outputs, and says what a kill most often means."""
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from semantic_segmentation.engine import outputs

    out, logs = tmp_path / "m.keras", tmp_path / "logs"
    feedback = QgsProcessingFeedback()
    killed = []

    def kill(value):
        # after the first epoch: the data cache and history are on disk
        if value > 5 and not killed:
            killed.extend(pid for pid, _cmd in engine_children())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    feedback.progressChanged.connect(kill)
    params = {"DATASET": dataset, "OUTPUT_MODEL": str(out), "LOG_DIR": str(logs),
              **tiny_training, "EPOCHS": 20, "STEPS_PER_EPOCH": 4}
    with pytest.raises(QgsProcessingException,
                       match=r"killed \(signal 9\), most often because the system ran out "
                             r"of memory: try a smaller BATCH_SIZE or TILE_SIZE"):
        processing.run("semseg:trainmodel", params, feedback=feedback)
    assert len(killed) == 1
    assert not out.exists()
    assert outputs.stale_partials(str(tmp_path)) == []
    assert outputs.stale_partials(str(logs)) == []
    assert semseg_litter(system_tmp) == []
    assert engine_processes() == []
