"""Desktop QGIS under Xvfb: the plugin loads in a fresh profile, every algorithm dialog
opens and renders, and no Python error is logged (scripts/desktop_check.py)."""

import json
import os
import shutil
import subprocess  # nosec B404 - we start QGIS with a list argv

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "desktop_check.py")
ALGORITHMS = ["tiledataset", "colortoindex", "trainmodel", "predictraster", "evaluate",
              "setupengine", "enginestatus"]
NO_TF_PYTHON = "/usr/bin/python3"

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
    tmp_path = tmp_path_factory.mktemp("desktop")
    out = tmp_path / "screenshots"
    env = dict(os.environ, SEMSEG_SCREENSHOT_DIR=str(out), SEMSEG_DESKTOP_TIMEOUT="90",
               SEMSEG_DESKTOP_SETTLE_S="3", SEMSEG_PYTHON=NO_TF_PYTHON)
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) screen, not offscreen
    proc = subprocess.run(  # nosec B603 B607
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo",
         "--noversioncheck", "--profiles-path", str(_profile(tmp_path)), "--code", SCRIPT],
        capture_output=True, text=True, timeout=120, env=env, cwd=str(tmp_path))
    report_path = out / "report.json"
    assert report_path.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert proc.returncode == 0, (proc.returncode, report, proc.stderr[-3000:])
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
