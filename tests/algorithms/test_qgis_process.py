"""The command-line contract: the algorithms through `qgis_process` (the venv's wrapper)."""

import json
import subprocess

import numpy as np
import pytest

from rasters import read_raster, write_raster

TIMEOUT = 180


def _qgis_process(exe, *args):
    proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _run_json(exe, alg_id, **params):
    out = _qgis_process(exe, "--json", "run", alg_id, "--",
                        *(f"{k}={v}" for k, v in params.items()))
    return json.loads(out[out.index("{"):])


def test_list_shows_the_algorithms(qgis_process):
    out = _qgis_process(qgis_process, "list")
    for alg_id in ("semseg:tiledataset", "semseg:colortoindex", "semseg:evaluate"):
        assert alg_id in out


def test_help_describes_the_parameters(qgis_process):
    out = _qgis_process(qgis_process, "help", "semseg:tiledataset")
    assert "Tile Dataset (semseg:tiledataset)" in out
    for name in ("IMAGE:", "LABEL_VECTOR:", "TILE_SIZE:", "METHOD:", "OUTPUT:", "TILE_COUNT:"):
        assert name in out
    assert "VAL_FRACTION: Validation fraction" in out  # the parameter, not the help text
    # QGIS 3.22 lists a static-string enum's names with their positions ("- 1: stride"),
    # under the parameter (the bare words are in the help text anyway)
    method = out.split("\nMETHOD: ", 1)[1].split("\nSTRIDE: ", 1)[0]
    assert "- 0: random\n" in method and "- 1: stride\n" in method


def test_run_color_to_index(qgis_process, tmp_path):
    rgb = np.zeros((20, 30, 3), np.uint8)
    rgb[:, 10:] = (128, 0, 0)  # VOC aeroplane
    src = write_raster(tmp_path / "rgb.tif", rgb)
    out = tmp_path / "index.tif"
    result = _run_json(qgis_process, "semseg:colortoindex", INPUT=src, COLOR_MAP="voc",
                       MODE="color_to_index", UNKNOWN="fail", OUTPUT=out)["results"]
    assert result["OUTPUT"] == str(out)
    arr, _ = read_raster(out)
    assert (arr[:, :10] == 0).all() and (arr[:, 10:] == 1).all()


def test_run_evaluate(qgis_process, tmp_path):
    ref = np.repeat(np.arange(4, dtype=np.uint8), 10)[None].repeat(8, axis=0)
    pred = ref.copy()
    pred[:2, :10] = 1  # 20 of 320 pixels wrong
    pred_path = write_raster(tmp_path / "pred.tif", pred)
    ref_path = write_raster(tmp_path / "ref.tif", ref)
    result = _run_json(qgis_process, "semseg:evaluate", PREDICTION=pred_path,
                       REFERENCE=ref_path, OUTPUT_TABLE=tmp_path / "scores.csv",
                       OUTPUT_REPORT=tmp_path / "report.html",
                       OUTPUT_JSON=tmp_path / "scores.json")["results"]
    assert result["OVERALL_ACCURACY"] == pytest.approx(300 / 320)
    for name in ("scores.csv", "report.html", "scores.json"):
        assert (tmp_path / name).exists()
    assert json.loads((tmp_path / "scores.json").read_text())["scores"]["overall_accuracy"] \
        == pytest.approx(300 / 320)


def test_run_reports_a_bad_input_as_an_error(qgis_process, tmp_path):
    pred_path = write_raster(tmp_path / "pred.tif", np.zeros((4, 4), np.uint8))
    proc = subprocess.run([qgis_process, "run", "semseg:evaluate", "--",
                           f"PREDICTION={pred_path}",
                           f"OUTPUT_TABLE={tmp_path / 'scores.csv'}",
                           f"OUTPUT_REPORT={tmp_path / 'report.html'}"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode != 0
    assert "Missing: Reference (REFERENCE)" in proc.stdout + proc.stderr
    assert not (tmp_path / "scores.csv").exists()
