"""Confusion matrix, scores, Evaluate and its reports (engine/metrics.py, engine/report.py)."""

import csv
import json

import numpy as np
import pytest
from osgeo import gdal
from sklearn import metrics as skm

from rasters import ORIGIN, write_raster
from semantic_segmentation.engine import metrics, raster, report
from semantic_segmentation.engine.errors import InputError


def _pair(seed=0, h=45, w=60, classes=5, agree=0.7):
    rng = np.random.default_rng(seed)
    ref = rng.integers(0, classes, size=(h, w)).astype(np.uint8)
    pred = np.where(rng.random((h, w)) < agree, ref,
                    rng.integers(0, classes, size=(h, w))).astype(np.uint8)
    return ref, pred


def _sk_cm(ref, pred, n=256):
    return skm.confusion_matrix(ref.ravel(), pred.ravel(), labels=np.arange(n))


@pytest.mark.parametrize("target_pixels", [7, 200, 1 << 22])
def test_confusion_matrix_equals_sklearn_for_any_block_size(tmp_path, monkeypatch, target_pixels):
    ref, pred = _pair()
    ref[:5, :7] = 255  # ignore value
    ref[40:, 50:] = 9  # reference nodata
    pred[10:14, 20:30] = 200  # prediction nodata
    r = write_raster(tmp_path / "ref.tif", ref, nodata=9)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=200)
    blocks = raster.block_windows
    monkeypatch.setattr(raster, "block_windows", lambda ds, **kw: blocks(ds, target_pixels))
    cm = metrics.confusion_matrix(p, r)
    keep = (ref != 255) & (ref != 9) & (pred != 200)
    np.testing.assert_array_equal(cm, _sk_cm(ref[keep], pred[keep]))
    assert cm.dtype == np.int64 and cm.shape == (256, 256)


def test_confusion_matrix_on_tiled_int16_rasters_equals_sklearn(tmp_path):
    ref, pred = _pair(seed=1, h=70, w=90)
    r = write_raster(tmp_path / "ref.tif", ref.astype(np.int16), nodata=-1)
    p = str(tmp_path / "pred.tif")
    gdal.Translate(p, write_raster(tmp_path / "p0.tif", pred.astype(np.int16)),
                   creationOptions=["TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32"])
    cm = metrics.confusion_matrix(p, r, n=8)
    np.testing.assert_array_equal(cm, _sk_cm(ref, pred, 8))


def test_value_outside_class_range_raises_naming_file_and_value(tmp_path):
    ref, pred = _pair()
    pred[0, 0] = 12
    r, p = write_raster(tmp_path / "ref.tif", ref), write_raster(tmp_path / "pred.tif", pred)
    with pytest.raises(InputError, match=r"pred\.tif holds the value 12"):
        metrics.confusion_matrix(p, r, n=8)


def test_kappa_f1_iou_equal_sklearn():
    ref, pred = _pair(seed=2, classes=6, agree=0.5)
    pred[pred == 5] = 4  # class 5 only in the reference
    cm = _sk_cm(ref, pred)
    s = metrics.scores(cm)
    y, p = ref.ravel(), pred.ravel()
    assert s["classes"] == [0, 1, 2, 3, 4, 5]
    assert s["kappa"] == pytest.approx(skm.cohen_kappa_score(y, p))
    assert s["overall_accuracy"] == pytest.approx(skm.accuracy_score(y, p))
    np.testing.assert_allclose(s["f1"], skm.f1_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["iou"], skm.jaccard_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["precision"],
                               skm.precision_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["recall"], skm.recall_score(y, p, average=None))
    assert s["mean_iou"] == pytest.approx(np.mean(s["iou"]))
    assert s["pixels"] == y.size


def test_ignore_background_drops_row_and_column_0():
    ref, pred = _pair(seed=3, classes=4, agree=0.6)
    s = metrics.scores(_sk_cm(ref, pred), ignore_background=True)
    keep = (ref != 0) & (pred != 0)
    y, p = ref[keep], pred[keep]
    assert s["classes"] == [1, 2, 3]
    assert s["pixels"] == keep.sum()
    assert s["kappa"] == pytest.approx(skm.cohen_kappa_score(y, p))
    np.testing.assert_allclose(s["iou"], skm.jaccard_score(y, p, average=None))


def test_prediction_on_other_grid_is_aligned_and_compared_on_overlap(tmp_path):
    ref, _ = _pair(seed=4, h=40, w=40)
    big = np.kron(ref, np.ones((2, 2), np.uint8))  # 15 m pixels
    shifted = big[6:, 10:]  # starts 3 rows and 5 columns (30 m) into the reference
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", shifted, pixel=15.0,
                     origin=(ORIGIN[0] + 150.0, ORIGIN[1] - 90.0))
    cm = metrics.confusion_matrix(p, r)
    overlap = ref[3:, 5:]
    np.testing.assert_array_equal(cm, _sk_cm(overlap, overlap))


def test_no_overlap_raises_clear_error(tmp_path):
    ref, pred = _pair()
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", pred, origin=(ORIGIN[0] + 1e5, ORIGIN[1]))
    with pytest.raises(InputError, match="does not overlap"):
        metrics.evaluate(p, r)


def _folders(tmp_path, n=3):
    pd, rd = tmp_path / "pred", tmp_path / "ref"
    pd.mkdir(), rd.mkdir()
    for i in range(n):
        ref, pred = _pair(seed=10 + i, h=20 + 5 * i, w=30, agree=0.5 + 0.1 * i)
        write_raster(rd / f"img{i}.tif", ref)
        write_raster(pd / f"img{i}.tif", pred)
    write_raster(pd / "extra.tif", pred)
    return pd, rd


def test_folder_mode_pairs_by_name_and_per_image_mean_is_mean_of_images(tmp_path):
    pd, rd = _folders(tmp_path)
    res = metrics.evaluate(pd, rd, mode="per_image")
    assert [n for n, _ in res.per_image] == ["img0", "img1", "img2"]
    assert any("extra.tif" in w for w in res.warnings)
    singles = [metrics.evaluate(pd / f"img{i}.tif", rd / f"img{i}.tif").scores for i in range(3)]
    for key in ("overall_accuracy", "kappa", "mean_iou", "frequency_weighted_iou"):
        assert res.scores[key] == pytest.approx(np.mean([s[key] for s in singles]))
    pooled = metrics.evaluate(pd, rd, mode="global")
    assert pooled.scores["pixels"] == sum(s["pixels"] for s in singles)
    np.testing.assert_array_equal(pooled.cm, res.cm)


def test_folders_without_matching_names_raise_naming_both(tmp_path):
    pd, rd = tmp_path / "p", tmp_path / "r"
    pd.mkdir(), rd.mkdir()
    write_raster(pd / "a.tif", np.zeros((4, 4), np.uint8))
    write_raster(rd / "b.tif", np.zeros((4, 4), np.uint8))
    with pytest.raises(InputError) as err:
        metrics.evaluate(pd, rd)
    assert str(pd) in str(err.value) and str(rd) in str(err.value)


def test_reports_are_written_and_contain_the_figures(tmp_path):
    pd, rd = _folders(tmp_path)
    res = metrics.evaluate(pd, rd, mode="per_image", class_names={0: "background", 1: "water"})
    oa = f"{res.scores['overall_accuracy']:.4f}"
    html_path = report.write_html(res, tmp_path / "r.html", title="My run")
    text = open(html_path, encoding="utf-8").read()
    assert "My run" in text and oa in text and "water" in text and "img2" in text
    assert "<script" not in text and "http" not in text.replace("http-equiv", "")
    rows = list(csv.reader(open(report.write_csv(res, tmp_path / "r.csv"))))
    assert rows[0][:6] == ["value", "name", "precision", "recall", "f1", "iou"]
    assert rows[1][:2] == ["0", "background"]
    assert ["summary", "overall_accuracy"] == rows[len(res.classes) + 1][:2]
    data = json.load(open(report.write_json(res, tmp_path / "r.json")))
    assert data["scores"]["overall_accuracy"] == pytest.approx(res.scores["overall_accuracy"])
    assert data["confusion_matrix"] == res.cm.tolist()
    assert len(data["per_image"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
