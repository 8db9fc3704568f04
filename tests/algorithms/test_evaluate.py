"""Evaluate (semseg:evaluate) through processing.run, checked against textbook formulas.

These tests run in QGIS's own Python, which has no scikit-learn: the reference
scores are computed here with numpy from their definitions (the engine's own
tests compare the same code with scikit-learn)."""

import csv
import json

import numpy as np
import pytest

from rasters import write_raster
from semantic_segmentation.engine import outputs

ALG = "semseg:evaluate"
IGNORE = 255


def _pair(seed, h=24, w=30, classes=4):
    """A reference with every class and some ignored pixels, and a noisy prediction."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(0, classes, size=(h, w)).astype(np.uint8)
    pred = np.where(rng.random((h, w)) < 0.7, ref,
                    rng.integers(0, classes, size=(h, w))).astype(np.uint8)
    ref[0, :5] = IGNORE
    return pred, ref


def _sklearn(pred, ref, keep=None):
    """Scores as scikit-learn defines them (rows: reference, columns: prediction)."""
    keep = (ref != IGNORE) if keep is None else keep
    p, r = pred[keep].astype(int), ref[keep].astype(int)
    labels = np.unique(r)
    index = {v: i for i, v in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for a, b in zip(r, p):
        if b in index:
            cm[index[a], index[b]] += 1
    n = len(r)
    oa = float(np.sum(r == p)) / n
    classes = np.union1d(r, p)
    pe = sum(float(np.sum(r == c)) * float(np.sum(p == c)) for c in classes) / n ** 2
    iou = [np.sum((r == c) & (p == c)) / np.sum((r == c) | (p == c)) for c in labels]
    return {"oa": oa, "kappa": (oa - pe) / (1 - pe), "miou": float(np.mean(iou)), "cm": cm}


@pytest.fixture
def files(tmp_path):
    pred, ref = _pair(0)
    return (pred, ref, write_raster(tmp_path / "pred.tif", pred),
            write_raster(tmp_path / "ref.tif", ref))


def _params(tmp_path, **extra):
    params = {"OUTPUT_TABLE": str(tmp_path / "scores.csv"),
              "OUTPUT_REPORT": str(tmp_path / "report.html"),
              "OUTPUT_JSON": str(tmp_path / "scores.json")}
    params.update(extra)
    return params


def test_global_scores_equal_sklearn(run, tmp_path, files):
    pred, ref, pred_path, ref_path = files
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path))
    expected = _sklearn(pred, ref)
    assert res["OVERALL_ACCURACY"] == pytest.approx(expected["oa"])
    assert res["KAPPA"] == pytest.approx(expected["kappa"])
    assert res["MEAN_IOU"] == pytest.approx(expected["miou"])
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        data = json.load(f)
    np.testing.assert_array_equal(data["confusion_matrix"], expected["cm"])


def test_report_files_are_written(run, tmp_path, files):
    _, _, pred_path, ref_path = files
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path))
    assert res["OUTPUT_TABLE"] == str(tmp_path / "scores.csv")
    with open(res["OUTPUT_TABLE"], encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["value", "name"]
    assert [r[0] for r in rows[1:5]] == ["0", "1", "2", "3"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<table" in html


def test_json_output_is_optional(run, tmp_path, files):
    _, _, pred_path, ref_path = files
    params = _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path)
    del params["OUTPUT_JSON"]
    res = run(ALG, params)
    assert not res.get("OUTPUT_JSON")
    assert not (tmp_path / "scores.json").exists()


def test_ignore_background_skips_reference_zero_and_counts_predicted_zero_as_miss(
        run, tmp_path, files):
    pred, ref, pred_path, ref_path = files
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path,
                           IGNORE_BACKGROUND=True))
    keep = (ref != IGNORE) & (ref != 0)  # a prediction of 0 stays: it is a miss
    p, r = pred[keep].astype(int), ref[keep].astype(int)
    n = len(r)
    labels = np.unique(r)
    assert 0 not in labels and np.any(p == 0)
    oa = float(np.sum(r == p)) / n
    pe = sum(float(np.sum(r == c)) * float(np.sum(p == c)) for c in labels) / n ** 2
    iou = [np.sum((r == c) & (p == c)) / np.sum((r == c) | (p == c)) for c in labels]
    assert res["OVERALL_ACCURACY"] == pytest.approx(oa)
    assert res["KAPPA"] == pytest.approx((oa - pe) / (1 - pe))
    assert res["MEAN_IOU"] == pytest.approx(float(np.mean(iou)))
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        data = json.load(f)
    assert data["classes"] == labels.tolist()
    assert data["confusion_matrix_columns"] == [0] + labels.tolist()


def test_ignore_background_object_predicted_as_background_is_a_miss(run, tmp_path):
    ref_path = write_raster(tmp_path / "ref.tif", np.array([[1, 1, 1, 1]], np.uint8))
    pred_path = write_raster(tmp_path / "pred.tif", np.array([[1, 0, 0, 0]], np.uint8))
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path,
                           IGNORE_BACKGROUND=True))
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        scores = json.load(f)["scores"]
    assert scores["classes"] == [1]
    assert scores["recall"] == [0.25] and scores["iou"] == [0.25]
    assert res["MEAN_IOU"] == 0.25 and res["OVERALL_ACCURACY"] == 0.25
    with open(res["OUTPUT_TABLE"], encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows if r[0] != "summary"] == ["value", "1"]


@pytest.mark.parametrize("role", ["PREDICTION", "REFERENCE"])
@pytest.mark.parametrize("kind, message", [
    ("rgb", r"bad\.tif has 3 bands.*Color to Index"),
    ("float", r"bad\.tif holds the value 1\.7"),
])
def test_misreadable_class_raster_fails_naming_it(run, tmp_path, files, role, kind, message):
    from qgis.core import QgsProcessingException

    pred, ref, pred_path, ref_path = files
    array = pred if role == "PREDICTION" else ref
    if kind == "rgb":
        bad = np.stack([array] * 3, axis=-1)
    else:
        bad = array.astype(np.float32)
        bad[5, 6] = 1.7
    paths = {"PREDICTION": pred_path, "REFERENCE": ref_path,
             role: write_raster(tmp_path / "bad.tif", bad)}
    with pytest.raises(QgsProcessingException, match=message):
        run(ALG, _params(tmp_path, **paths))
    assert not (tmp_path / "scores.csv").exists()


def test_reference_points_give_stratified_area_estimates(run, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    from rasters import ORIGIN

    pred = np.zeros((20, 30), np.uint8)
    pred[:, 20:] = 1  # 400 pixels of class 0, 200 of class 1
    pred_path = write_raster(tmp_path / "pred.tif", pred)
    layer = QgsVectorLayer("Point?crs=EPSG:32616&field=truth:integer", "sample", "memory")
    features = []
    # map class 0: four points, one of them truly 1; map class 1: two points, both 1
    for (row, col), truth in [((5, 5), 0), ((6, 6), 0), ((7, 7), 0), ((8, 8), 1),
                              ((2, 25), 1), ((3, 26), 1)]:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(ORIGIN[0] + 30 * col + 15,
                                                         ORIGIN[1] - 30 * row - 15)))
        f.setAttributes([truth])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE_VECTOR=layer,
                           REFERENCE_FIELD="truth"))
    assert res["OVERALL_ACCURACY"] == pytest.approx(5 / 6)
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        data = json.load(f)
    assert data["confusion_matrix"] == [[3, 0], [1, 2]]
    rows = {r["value"]: r for r in data["area_estimates"]}
    w0, w1 = 400 / 600, 200 / 600
    assert rows[1]["mapped_area"] == pytest.approx(200 * 900.0)
    assert rows[1]["adjusted_area"] == pytest.approx((w0 * 0.25 + w1) * 600 * 900.0)
    assert rows[0]["users_accuracy"] == pytest.approx(0.75)
    assert data["overall_accuracy_estimate"] == pytest.approx(w0 * 0.75 + w1)
    assert data["overall_accuracy_ci95"] > 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Olofsson" in html


def test_reference_sample_without_field_fails(run, tmp_path, files):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    _, _, pred_path, _ = files
    layer = QgsVectorLayer("Point?crs=EPSG:32616&field=truth:integer", "sample", "memory")
    with pytest.raises(QgsProcessingException, match="REFERENCE_FIELD"):
        run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE_VECTOR=layer))


def test_class_names_of_the_prediction_reach_the_table(run, tmp_path):
    from osgeo import gdal

    pred, ref = _pair(1)
    pred_path = write_raster(tmp_path / "pred.tif", pred)
    ds = gdal.Open(pred_path, gdal.GA_Update)
    ds.GetRasterBand(1).SetCategoryNames(["water", "forest", "field", "town"])
    ds = None
    ref_path = write_raster(tmp_path / "ref.tif", ref)
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path))
    with open(res["OUTPUT_TABLE"], encoding="utf-8") as f:
        names = [r[1] for r in csv.reader(f)][1:5]
    assert names == ["water", "forest", "field", "town"]


def test_folders_per_image_mean_equals_sklearn_means(run, tmp_path):
    pred_dir, ref_dir = tmp_path / "pred", tmp_path / "ref"
    pred_dir.mkdir()
    ref_dir.mkdir()
    expected = []
    for i in range(2):
        pred, ref = _pair(10 + i)
        write_raster(pred_dir / f"scene{i}.tif", pred)
        write_raster(ref_dir / f"scene{i}.tif", ref)
        expected.append(_sklearn(pred, ref))
    res = run(ALG, _params(tmp_path, PREDICTION_FOLDER=str(pred_dir),
                           REFERENCE_FOLDER=str(ref_dir), MODE="per_image"))
    assert res["OVERALL_ACCURACY"] == pytest.approx(np.mean([e["oa"] for e in expected]))
    assert res["KAPPA"] == pytest.approx(np.mean([e["kappa"] for e in expected]))
    assert res["MEAN_IOU"] == pytest.approx(np.mean([e["miou"] for e in expected]))


@pytest.mark.parametrize("inputs, message", [
    ({}, r"Choose the Prediction .* Missing: Prediction \(PREDICTION\), Reference "
         r"\(REFERENCE\)"),
    ({"PREDICTION": "pred"}, r"Missing: Reference \(REFERENCE\)"),
    ({"PREDICTION_FOLDER": "dir"}, "REFERENCE_FOLDER is missing"),
    ({"PREDICTION": "pred", "REFERENCE": "ref", "PREDICTION_FOLDER": "dir",
      "REFERENCE_FOLDER": "dir"}, "not both"),
])
def test_exactly_one_pair_is_required(run, tmp_path, files, inputs, message):
    from qgis.core import QgsProcessingException

    _, _, pred_path, ref_path = files
    paths = {"pred": pred_path, "ref": ref_path, "dir": str(tmp_path)}
    params = _params(tmp_path, **{k: paths[v] for k, v in inputs.items()})
    with pytest.raises(QgsProcessingException, match=message):
        run(ALG, params)
    assert not (tmp_path / "scores.csv").exists()


def test_cancelled_run_leaves_no_report(run, tmp_path, files, cancelling_feedback):
    from qgis.core import QgsProcessingException

    _, _, pred_path, ref_path = files
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE=ref_path),
            cancelling_feedback(after=1))
    for name in ("scores.csv", "report.html", "scores.json"):
        assert not (tmp_path / name).exists()
    assert outputs.stale_partials(str(tmp_path)) == []


def test_ignore_background_counts_predicted_zero_when_zero_is_the_nodata(run, tmp_path):
    """30 of 50 object pixels predicted as 0, the prediction's nodata: recall 0.40."""
    ref = np.zeros((10, 10), np.uint8)
    ref[2:7, :] = 1
    pred = ref.copy()
    pred[2:5, :] = 0
    res = run(ALG, _params(tmp_path, PREDICTION=write_raster(tmp_path / "pred.tif", pred,
                                                             nodata=0),
                           REFERENCE=write_raster(tmp_path / "ref.tif", ref),
                           IGNORE_BACKGROUND=True))
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        scores = json.load(f)["scores"]
    assert scores["recall"] == [pytest.approx(0.4)]
    assert res["OVERALL_ACCURACY"] == pytest.approx(0.4)


def test_prediction_without_crs_against_georeferenced_reference_warns(run, tmp_path):
    from test_web_layers import WarningFeedback

    pred, ref = _pair(1)
    pred_path = write_raster(tmp_path / "pred.tif", pred, epsg=None)
    fb = WarningFeedback()
    run(ALG, _params(tmp_path, PREDICTION=pred_path,
                     REFERENCE=write_raster(tmp_path / "ref.tif", ref)), fb)
    assert any("no CRS" in w and "pred.tif" in w for w in fb.warnings), fb.warnings


def test_reference_polygons_are_one_sample_each(run, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    from rasters import ORIGIN

    pred = np.zeros((20, 30), np.uint8)
    pred[:, 15:] = 1
    pred_path = write_raster(tmp_path / "pred.tif", pred)
    layer = QgsVectorLayer("Polygon?crs=EPSG:32616&field=truth:integer", "sample", "memory")
    features = []
    for (r0, c0, r1, c1), truth in [((2, 2, 5, 6), 0), ((10, 12, 13, 18), 1),
                                    ((15, 20, 18, 24), 1), ((2, 22, 4, 25), 0)]:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(
            ORIGIN[0] + 30 * c0, ORIGIN[1] - 30 * (r1 + 1),
            ORIGIN[0] + 30 * (c1 + 1), ORIGIN[1] - 30 * r0)))
        f.setAttributes([truth])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    res = run(ALG, _params(tmp_path, PREDICTION=pred_path, REFERENCE_VECTOR=layer,
                           REFERENCE_FIELD="truth"))
    with open(res["OUTPUT_JSON"], encoding="utf-8") as f:
        data = json.load(f)
    assert data["sampling_unit"] == "polygon"
    assert data["sample_counts"] == {"0": 2, "1": 3}  # polygons, not their 80 pixels
