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
    ("semseg:enginestatus", {"PYTHON", "TENSORFLOW", "KERAS", "NUMPY", "GDAL", "DEVICES",
                             "READY"}),
])
def test_engine_outputs_are_declared_for_models(qgis_app, alg_id, outputs):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    assert {out.name() for out in alg.outputDefinitions()} == outputs
    assert alg.group() == QgsApplication.processingRegistry().algorithmById(
        "semseg:trainmodel").group()
