"""Engine status (semseg:enginestatus): the self-check of the engine's Python, run in a
child process, reported as outputs and as a block for bug reports."""

import os

import pytest

VENV_PYTHON = os.environ["SEMSEG_PYTHON"]  # the project's .venv (tests/conftest.py)
SYSTEM_PYTHON = "/usr/bin/python3"


class _Log:
    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Log(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.info, self.warnings, self.errors = [], [], []

            def pushInfo(self, info):  # noqa: N802 (QGIS's name)
                self.info.append(info)

            def pushWarning(self, warning):  # noqa: N802
                self.warnings.append(warning)

            def reportError(self, error, fatalError=False):  # noqa: N802, N803
                self.errors.append(error)

        return Log()


def test_status_of_the_project_venv_is_ready(run):
    if not os.path.exists(VENV_PYTHON):
        pytest.skip(f"{VENV_PYTHON} is missing (make install)")
    log = _Log()
    result = run("semseg:enginestatus", {"PYTHON": VENV_PYTHON}, log)
    assert result["READY"] is True
    assert result["PYTHON"] == VENV_PYTHON
    assert result["TENSORFLOW"].startswith("2.") and result["KERAS"].startswith("3.")
    assert result["NUMPY"].startswith("1.") and result["GDAL"]
    assert result["DEVICES"].startswith("CPU: ")
    block = "\n".join(log.info)
    for line in ("Plugin version: ", "QGIS: 3.", "OS: ", f"Engine Python: {VENV_PYTHON}",
                 f"TensorFlow: {result['TENSORFLOW']}", "Ready: yes"):
        assert line in block
    assert log.errors == [] and log.warnings == []


def test_status_without_tensorflow_is_not_ready_and_no_error(run):
    log = _Log()
    result = run("semseg:enginestatus", {"PYTHON": SYSTEM_PYTHON}, log)
    if result["TENSORFLOW"]:
        pytest.skip(f"{SYSTEM_PYTHON} has TensorFlow")
    assert result["READY"] is False
    assert result["KERAS"] == "" and result["NUMPY"] and result["GDAL"]
    assert "Missing modules: tensorflow, keras" in "\n".join(log.info)
    assert any("Set up the engine" in w for w in log.warnings) and log.errors == []


def test_status_without_any_engine_says_so(run, monkeypatch):
    from semantic_segmentation.seg_plugin import engine_setting

    monkeypatch.setenv("SEMSEG_PYTHON", "")
    monkeypatch.setattr(engine_setting, "configured_python", lambda: "")
    monkeypatch.setattr(engine_setting, "default_python", lambda: "/nonexistent/bin/python")
    log = _Log()
    result = run("semseg:enginestatus", {}, log)
    assert result["READY"] is False and result["PYTHON"] == "" and result["TENSORFLOW"] == ""
    assert any("No Python is set up" in w for w in log.warnings)


@pytest.mark.parametrize("alg_id, outputs", [
    ("semseg:setupengine", {"PYTHON", "READY"}),
    ("semseg:enginestatus", {"PYTHON", "TENSORFLOW", "KERAS", "NUMPY", "GDAL", "BACKEND",
                             "DEVICES", "READY"}),
])
def test_engine_outputs_are_declared_for_models(qgis_app, alg_id, outputs):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    assert {out.name() for out in alg.outputDefinitions()} == outputs
    assert alg.group() == QgsApplication.processingRegistry().algorithmById(
        "semseg:trainmodel").group()


def test_qgis_process_reads_the_engine_setting(tmp_path):
    """qgis_process, with no SEMSEG_PYTHON in its environment, runs the engine named by
    the Processing setting stored in its profile: a Python of its own name (QGIS's
    Python under another path, so that no default could name it; without TensorFlow,
    its self-check answers at once), whose self-check then reports."""
    import glob
    import subprocess  # nosec B404
    from qgis.PyQt.QtCore import QSettings

    binary = "/usr/bin/qgis_process.bin"
    if not os.path.exists(binary) or not os.path.exists(SYSTEM_PYTHON):
        pytest.skip("needs qgis_process.bin and QGIS's Python")
    engine_python = str(tmp_path / "engine" / "python3")
    os.makedirs(os.path.dirname(engine_python))
    os.symlink(SYSTEM_PYTHON, engine_python)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {k: v for k, v in os.environ.items()
           if k not in ("SEMSEG_PYTHON", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QGIS_PLUGINPATH=os.path.join(root, "build", "qgis-plugins"),
               QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    enable = subprocess.run([binary, "plugins", "enable", "semantic_segmentation"],  # nosec
                            capture_output=True, text=True, timeout=120, env=env)
    assert enable.returncode == 0, enable.stdout + enable.stderr
    ini = glob.glob(str(tmp_path / "profile" / "**" / "QGIS3.ini"), recursive=True)
    assert ini, "qgis_process wrote no settings file"
    settings = QSettings(ini[0], QSettings.Format.IniFormat)
    settings.setValue("Processing/Configuration/SEMSEG_PYTHON", engine_python)
    settings.sync()
    status = subprocess.run([binary, "run", "semseg:enginestatus"],  # nosec B603
                            capture_output=True, text=True, timeout=180, env=env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"PYTHON:\t{engine_python}\n" in status.stdout
    assert "NUMPY:\t1." in status.stdout  # that Python ran the self-check
    assert "READY:\tfalse" in status.stdout  # and it has no TensorFlow
