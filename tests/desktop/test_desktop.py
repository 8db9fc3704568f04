"""Desktop QGIS under Xvfb: the plugin loads in a fresh profile, every algorithm dialog
opens and renders, and no Python error is logged (scripts/desktop_check.py); and a new
user's first hour: Sample data and First run on the sample run from their dialogs, their
layers loaded, with screenshots of the outcome (SEMSEG_DESKTOP_FIRST_RUN=1)."""

import json
import os
import shutil
import subprocess  # nosec B404 - we start QGIS with a list argv

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "desktop_check.py")
ALGORITHMS = ["tiledataset", "colortoindex", "trainmodel", "predictraster", "evaluate",
              "setupengine", "enginestatus", "sampledata", "firstrun"]
NO_TF_PYTHON = "/usr/bin/python3"
TF_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

pytestmark = pytest.mark.skipif(
    not (shutil.which("xvfb-run") and shutil.which("qgis")),
    reason="needs xvfb-run and the qgis desktop binary (installed by `make install`)")


def _profile(tmp_path):
    """A throwaway profiles folder with the plugin linked in and enabled."""
    profiles = tmp_path / "profiles-root"
    default = profiles / "profiles" / "default"
    (default / "python" / "plugins").mkdir(parents=True)
    (default / "QGIS").mkdir(parents=True)
    os.symlink(ROOT, default / "python" / "plugins" / "semantic_segmentation")
    (default / "QGIS" / "QGIS3.ini").write_text(
        "[PythonPlugins]\nsemantic_segmentation=true\n", encoding="utf-8")
    return profiles


def _lacks_tensorflow(python):
    try:
        return subprocess.run([python, "-c", "import tensorflow"],  # nosec B603
                              capture_output=True, timeout=60).returncode != 0
    except OSError:
        return False


@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    return _run_desktop(tmp_path_factory.mktemp("desktop"), 120, SEMSEG_DESKTOP_TIMEOUT="90",
                        SEMSEG_DESKTOP_SETTLE_S="3", SEMSEG_PYTHON=NO_TF_PYTHON)


def _run_desktop(tmp_path, timeout, **settings):
    """scripts/desktop_check.py in QGIS under xvfb-run, a fresh profile in ``tmp_path``,
    with the environment ``settings``: (its report, the screenshots folder)."""
    out = tmp_path / "screenshots"
    env = dict(os.environ, SEMSEG_SCREENSHOT_DIR=str(out), **settings)
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) screen, not offscreen
    proc = subprocess.run(  # nosec B603 B607
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo",
         "--noversioncheck", "--profiles-path", str(_profile(tmp_path)), "--code", SCRIPT],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=str(tmp_path))
    report_path = out / "report.json"
    assert report_path.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert proc.returncode == 0, (proc.returncode, report.get("first_run") or report,
                                  proc.stderr[-3000:])
    return report, out


def test_plugin_loads_with_its_provider(desktop):
    report, _ = desktop
    assert report["finished"] and not report["timed_out"]
    assert report["plugin_loaded"]
    assert report["provider_present"]
    assert {f"semseg:{name}" for name in ALGORITHMS} <= set(report["algorithms"])


def test_every_dialog_renders(desktop):
    from qgis.PyQt.QtGui import QImage

    _, out = desktop
    for name in ALGORITHMS:
        path = out / f"{name}.png"
        assert path.exists(), name
        assert path.stat().st_size > 10_000, name
        image = QImage(str(path))
        assert image.width() >= 400 and image.height() >= 300, name
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        assert len(colours) > 8, f"{name}.png is nearly uniform"


def test_no_python_error_is_logged(desktop):
    report, _ = desktop
    ours = [e for e in report["errors"]
            if "semantic_segmentation" in e["message"] or "semseg" in e["message"].lower()
            or e["tag"] == "desktop_check"]
    assert ours == []
    assert not [e for e in report["errors"] if "python" in e["tag"].lower()]


def test_missing_tensorflow_is_reported_with_set_up_the_engine(desktop):
    report, _ = desktop
    if not _lacks_tensorflow(NO_TF_PYTHON):
        pytest.skip(f"{NO_TF_PYTHON} has TensorFlow")
    texts = [w["message"] for w in report["warnings"] if w["tag"] == "Semantic Segmentation"]
    assert any(f"{NO_TF_PYTHON} cannot import tensorflow" in t and "Set up the engine" in t
               and "SEMSEG_PYTHON" in t for t in texts), report["warnings"]
    assert not any(f"{NO_TF_PYTHON} -m pip" in t for t in texts)  # never pip into QGIS's Python


def test_option_widgets_show_labels_and_return_names(desktop):
    """Train Model's options in the algorithm, batch and modeler dialogs: the labels are
    listed, the value is the name (scripts/desktop_check.py, check_options)."""
    report, out = desktop
    checks = report["options"]
    loss = checks["standard_loss"]
    assert loss["class"] == "OptionWidgetWrapper"
    assert loss["texts"][:2] == ["Categorical cross-entropy", "Binary cross-entropy (2 classes)"]
    assert loss["value"] == "dice"  # given to the dialog by name
    assert checks["standard_model"]["value"] == "deeplab_v3p"
    assert "DeepLabV3+" in checks["standard_model"]["texts"]
    assert checks["batch_loss"]["texts"] == loss["texts"]
    assert checks["batch_loss"]["value"] == "categorical_crossentropy"
    assert checks["batch_loss_set"] == "lovasz"
    modeler = checks["modeler_loss"]
    assert modeler["texts"][:len(loss["texts"])] == loss["texts"]
    assert "Loss name" in modeler["texts"]  # a model input that can supply a name
    assert checks["modeler_static"] == "categorical_crossentropy"
    assert checks["modeler_input"] == "LOSS_NAME"
    assert (out / "trainmodel-modeler.png").exists()


def test_dialogs_open_with_their_essentials(desktop):
    """What each dialog shows before "Advanced parameters" in desktop QGIS: Train
    Model six fields (tests/algorithms/test_dialogs.py checks every dialog's list)."""
    report, _ = desktop
    shown = report["shown_first"]
    assert shown["semseg:trainmodel"] == ["DATASET", "ENCODER", "EPOCHS", "LOG_DIR", "MODEL",
                                          "OUTPUT_MODEL"]
    assert shown["semseg:evaluate"] == ["OUTPUT_JSON", "OUTPUT_REPORT", "OUTPUT_TABLE",
                                        "PREDICTION", "REFERENCE"]
    assert len(shown["semseg:predictraster"]) <= 8


def test_encoder_list_follows_the_model(desktop):
    """Train Model in desktop QGIS: after choosing DeepLabV3+ the Encoder list holds only
    the encoders that fit it, its default selected (scripts/desktop_check.py, check_encoder;
    the list open in trainmodel-deeplab-encoders.png)."""
    from semantic_segmentation.models import catalog

    report, out = desktop
    checks = report["encoder"]
    assert checks["model"] == "deeplab_v3p"
    assert "unet_native" in checks["before"]
    fitting = [e for e in catalog.ENCODERS if catalog.pair_problem("deeplab_v3p", e) is None]
    assert sorted(checks["names"]) == sorted(fitting)
    assert "unet_native" not in checks["names"] and "resunet_native" not in checks["names"]
    assert checks["state"]["value"] == catalog.default_encoder("deeplab_v3p")
    assert checks["current_text"].endswith("(default)")
    assert (out / "trainmodel-deeplab-encoders.png").exists()


def test_evaluate_rasters_are_not_labelled_optional(desktop):
    report, _ = desktop
    labels = report["labels"]
    assert labels["PREDICTION"] == "Prediction (class raster)"
    assert labels["REFERENCE"] == "Reference (label raster)"
    assert labels["PREDICTION_FOLDER"].endswith("[optional]")  # an alternative, under Advanced


# ---------------------------------------------------------------- the first run, from its dialog
def _has_tensorflow(python):
    try:
        return subprocess.run([python, "-c", "import tensorflow"],  # nosec B603
                              capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _colours(path):
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(path))
    return image, {image.pixel(x, y) for x in range(0, image.width(), 5)
                   for y in range(0, image.height(), 5)}


@pytest.fixture(scope="module")
def first_run_desktop(tmp_path_factory):
    """Desktop QGIS with the engine (TensorFlow in the checkout's .venv): Sample data,
    then First run on the sample (2 epochs of 3 steps, a quarter-width network) from
    their dialogs, Run pressed (scripts/desktop_check.py, SEMSEG_DESKTOP_FIRST_RUN)."""
    if not _has_tensorflow(TF_PYTHON):
        pytest.skip(f"{TF_PYTHON} cannot import tensorflow: the first run needs the engine "
                    "(`make install` sets up .venv)")
    tmp_path = tmp_path_factory.mktemp("desktop-first-run")
    return _run_desktop(
        tmp_path, 480, SEMSEG_DESKTOP_TIMEOUT="420", SEMSEG_DESKTOP_SETTLE_S="1",
        SEMSEG_PYTHON=TF_PYTHON, SEMSEG_DESKTOP_FIRST_RUN="1",
        SEMSEG_DESKTOP_FIRST_RUN_DIR=str(tmp_path / "data"),
        SEMSEG_DESKTOP_FIRST_RUN_EPOCHS="2", SEMSEG_DESKTOP_FIRST_RUN_STEPS="3",
        SEMSEG_DESKTOP_FIRST_RUN_WIDTH="0.25", TF_CPP_MIN_LOG_LEVEL="2")


def test_first_run_from_its_dialog_writes_every_output(first_run_desktop):
    report, out = first_run_desktop
    assert report["finished"] and not report["timed_out"]
    checks = report["first_run"]
    log = (out / "firstrun-log.txt").read_text(encoding="utf-8") \
        if (out / "firstrun-log.txt").exists() else ""
    assert checks["errors"] == [] and checks["sample_ok"] and checks["ok"], (checks, log[-3000:])
    for key in ("IMAGE", "LABEL"):
        assert os.path.isfile(checks["sample"][key]), key
    results = checks["results"]
    for key in ("MODEL", "PREDICTION", "ENTROPY", "LABEL_NEXT", "TRAINING_SUMMARY", "REPORT"):
        assert results[key] and os.path.isfile(results[key]), key
    assert isinstance(checks["mean_iou"], float) and 0.0 <= checks["mean_iou"] <= 1.0
    assert checks["mean_iou"] == results["MEAN_IOU"]
    assert "Epoch 2/2" in log and "Execution completed" in log


def test_first_run_layers_are_loaded_with_their_file_names(first_run_desktop):
    """Every layer Sample data and First run loaded is in the project, named after its
    file (two runs' layers can be told apart: tests/algorithms/test_layer_names.py)."""
    report, _ = first_run_desktop
    checks = report["first_run"]
    results, sample = checks["results"], checks["sample"]
    loaded = {os.path.normpath(layer["source"].split("|", 1)[0]): layer
              for layer in checks["layers"]}
    expected = [sample["IMAGE"], sample["LABEL"], results["PREDICTION"], results["ENTROPY"],
                results["LABEL_NEXT"]]
    assert set(map(os.path.normpath, expected)) <= set(loaded), checks["layers"]
    names = {path: loaded[os.path.normpath(path)]["name"] for path in expected}
    assert names == {path: os.path.splitext(os.path.basename(path))[0] for path in expected}
    assert loaded[os.path.normpath(results["PREDICTION"])]["renderer"] == "paletted"
    assert loaded[os.path.normpath(results["ENTROPY"])]["renderer"] == "singlebandpseudocolor"
    assert loaded[os.path.normpath(sample["IMAGE"])]["renderer"] == "multibandcolor"


def test_first_run_logs_no_python_error(first_run_desktop):
    report, _ = first_run_desktop
    assert [e for e in report["errors"] if e["tag"] == "desktop_check"] == []
    assert not [e for e in report["errors"] if "python" in e["tag"].lower()
                or "semseg" in e["message"].lower()
                or "semantic_segmentation" in e["message"]]


@pytest.mark.parametrize("name, size", [("first-run-map", (1000, 600)),
                                        ("first-run-entropy", (1000, 600)),
                                        ("training-summary", (600, 600)),
                                        ("firstrun-log", (600, 400)),
                                        ("sampledata", (400, 300)),
                                        ("firstrun", (400, 300))])
def test_first_run_screenshots_are_not_blank(first_run_desktop, name, size):
    report, out = first_run_desktop
    path = out / f"{name}.png"
    assert path.exists(), report["screenshots"]
    image, colours = _colours(path)
    assert image.width() >= size[0] and image.height() >= size[1], name
    assert len(colours) > 16, f"{name}.png is nearly uniform"


def test_training_summary_shows_its_curves(first_run_desktop):
    report, out = first_run_desktop
    checks = report["first_run"]
    assert checks["summary_loaded"], checks.get("summary_viewer")
    summary = checks["results"]["TRAINING_SUMMARY"]
    assert os.path.isfile(os.path.join(os.path.dirname(summary), "curves.png"))
    _, colours = _colours(out / "training-summary.png")
    assert len(colours) > 32  # the curves' colours, not only text on white
