"""Predict Raster's WORKERS and Predict Scenes through Processing: the engine
task they choose, the same outputs as one process, a failing scene named."""

import os

import numpy as np
import pytest

from rasters import read_raster

# one pytest-xdist worker runs every file that shares the tiny_model fixtures
pytestmark = pytest.mark.xdist_group("tiny_model")


def test_workers_give_the_same_outputs_as_one_process(qgis_app, tiny_model, tiny_scene,
                                                      tmp_path, monkeypatch):
    import processing
    from qgis.core import QgsProcessingFeedback

    monkeypatch.delenv("SEMSEG_DASK_SCHEDULER", raising=False)
    outs = {}
    for workers in (0, 2):
        feedback = QgsProcessingFeedback()
        log = []
        feedback.pushInfo = log.append
        outs[workers] = processing.run("semseg:predictraster", {
            "INPUT": tiny_scene[0], "MODEL": tiny_model["OUTPUT_MODEL"], "WORKERS": workers,
            "OUTPUT": str(tmp_path / f"c{workers}.tif"),
            "OUTPUT_ENTROPY": str(tmp_path / f"e{workers}.tif")}, feedback=feedback)
        assert any("worker process" in line for line in log) == bool(workers)
    for key in ("OUTPUT", "OUTPUT_ENTROPY"):
        np.testing.assert_array_equal(read_raster(outs[0][key])[0], read_raster(outs[2][key])[0])
    assert os.path.exists(outs[2]["OUTPUT"][:-4] + ".qml")  # styled like one process's


def test_predict_scenes_names_outputs_and_reports_a_failing_scene(qgis_app, tiny_model,
                                                                  tiny_scene, tmp_path):
    import processing
    from qgis.core import QgsProcessingFeedback

    errors = []
    feedback = QgsProcessingFeedback()
    feedback.reportError = lambda text, fatalError=False: errors.append(text)
    folder = tmp_path / "out"
    result = processing.run("semseg:predictscenes", {
        "INPUTS": [tiny_scene[0], tiny_scene[1]],
        "MODEL": tiny_model["OUTPUT_MODEL"], "OUTPUT_FOLDER": str(folder), "ENTROPY": True},
        feedback=feedback)
    assert result["FAILED"] == 1  # the label raster has 1 band, the model takes 3
    assert [os.path.basename(p) for p in result["OUTPUTS"]] == ["image_classes.tif"]
    assert sorted(f for f in os.listdir(folder) if f.endswith(".tif")) == [
        "image_classes.tif", "image_entropy.tif"]
    assert any(e.startswith("label failed") and "band" in e for e in errors)


def test_predict_scenes_on_two_workers_from_qgis_process(qgis_process, tiny_model, tiny_scene,
                                                         tmp_path):
    """The batch-run path: qgis_process, a multiple-layer input given twice, WORKERS=2 (a
    LocalCluster): both scenes' classes as one process writes them."""
    import json
    import shutil
    import subprocess  # nosec B404

    import processing

    second = tmp_path / "second.tif"
    shutil.copy(tiny_scene[0], second)
    folder = tmp_path / "out"
    proc = subprocess.run(  # nosec B603
        [qgis_process, "--json", "run", "semseg:predictscenes", "--",
         f"INPUTS={tiny_scene[0]}", f"INPUTS={second}", f"MODEL={tiny_model['OUTPUT_MODEL']}",
         f"OUTPUT_FOLDER={folder}", "WORKERS=2"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["FAILED"] == 0
    assert sorted(os.path.basename(p) for p in results["OUTPUTS"]) == [
        "image_classes.tif", "second_classes.tif"]
    alone = processing.run("semseg:predictraster", {
        "INPUT": tiny_scene[0], "MODEL": tiny_model["OUTPUT_MODEL"],
        "OUTPUT": str(tmp_path / "alone.tif")})
    for name in ("image_classes.tif", "second_classes.tif"):
        np.testing.assert_array_equal(read_raster(str(folder / name))[0],
                                      read_raster(alone["OUTPUT"])[0])
