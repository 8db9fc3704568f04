"""No traceback reaches a user: every failure in QGIS's process is a
QgsProcessingException that names the file, layer or parameter, leaves no
output behind, and reads the same whether GDAL's exceptions are on or off
(another plugin may call ``gdal.UseExceptions()``; GDAL 4 makes it the default).

Every test here runs twice, through the ``gdal_exceptions`` fixture.
"""

import json
import os
import subprocess

import numpy as np
import pytest

from rasters import synthetic_scene, write_raster

pytestmark = pytest.mark.usefixtures("gdal_exceptions")

TRACEBACK = "Traceback (most recent call last)"


def _fails(run, alg_id, params, *names):
    """Run ``alg_id``; assert it raises a QgsProcessingException naming ``names``."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as info:
        run(alg_id, params)
    message = str(info.value)
    assert TRACEBACK not in message
    assert 'File "' not in message  # no frame of a traceback either
    for name in names:
        assert str(name) in message, message
    return message


def _tree(folder):
    """Every path under ``folder`` (to show that a failed run added nothing)."""
    return sorted(os.path.join(root, name) for root, dirs, files in os.walk(folder)
                  for name in dirs + files)


@pytest.fixture
def scene(tmp_path):
    image, label = synthetic_scene(h=64, w=64)
    return (write_raster(tmp_path / "image.tif", image),
            write_raster(tmp_path / "label.tif", label))


@pytest.fixture
def a_file(tmp_path):
    """A regular file: a path under it cannot be created, even by root."""
    path = tmp_path / "somefile.txt"
    path.write_text("not a folder")
    return path


@pytest.fixture
def not_a_raster(tmp_path):
    path = tmp_path / "text.tif"
    path.write_text("this is not a GeoTIFF")
    return path


def _evaluate_outputs(folder):
    return {"OUTPUT_TABLE": str(folder / "scores.csv"),
            "OUTPUT_REPORT": str(folder / "report.html"),
            "OUTPUT_JSON": str(folder / "scores.json")}


# ---------------------------------------------------------------- outputs
def test_tile_dataset_output_under_a_file_names_output(run, tmp_path, scene, a_file):
    before = _tree(tmp_path)
    _fails(run, "semseg:tiledataset",
           {"IMAGE": scene[0], "LABEL": scene[1], "TILE_SIZE": 32, "METHOD": "stride",
            "OUTPUT": str(a_file / "sub")},
           "OUTPUT", a_file / "sub", "is a file")
    assert _tree(tmp_path) == before


def test_color_to_index_output_under_a_file_names_output(run, tmp_path, a_file):
    rgb = np.zeros((16, 16, 3), np.uint8)
    source = write_raster(tmp_path / "rgb.tif", rgb)
    before = _tree(tmp_path)
    _fails(run, "semseg:colortoindex", {"INPUT": source, "OUTPUT": str(a_file / "x" / "o.tif")},
           "OUTPUT", a_file / "x" / "o.tif")
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("bad", ["OUTPUT_TABLE", "OUTPUT_REPORT", "OUTPUT_JSON"])
def test_evaluate_unwritable_output_names_it_and_writes_nothing(run, tmp_path, scene, a_file,
                                                                bad):
    params = _evaluate_outputs(tmp_path / "out")
    params[bad] = str(a_file / "scores")
    before = _tree(tmp_path)
    _fails(run, "semseg:evaluate", {"PREDICTION": scene[1], "REFERENCE": scene[1], **params},
           bad, a_file)
    assert _tree(tmp_path) == before


def test_evaluate_output_that_is_a_folder_names_it(run, tmp_path, scene):
    params = _evaluate_outputs(tmp_path)
    (tmp_path / "report.html").mkdir()
    _fails(run, "semseg:evaluate", {"PREDICTION": scene[1], "REFERENCE": scene[1], **params},
           "OUTPUT_REPORT", "is a folder")
    assert not (tmp_path / "scores.csv").exists()


# ---------------------------------------------------------------- dataset.json
BAD_DESCRIPTIONS = {
    "bad-json": ("{ not json", "dataset.json"),
    "a-list": ("[1, 2, 3]", "is not a dataset description made by Tile Dataset"),
    "foreign": (json.dumps({"images": [], "categories": []}),
                "is not a dataset description made by Tile Dataset"),
    "newer": (json.dumps({"format": "semseg-dataset", "version": 99}), "version 99"),
    "old-without-version": (json.dumps({"format": "semseg-dataset", "tile_size": 32}),
                            "'version'"),
    "missing-keys": (json.dumps({"format": "semseg-dataset", "version": 1, "tile_size": 32,
                                 "bands": 3, "tile_count": 4, "data_type": "UInt16"}),
                     "is incomplete or invalid"),
    "wrong-types": (json.dumps({"format": "semseg-dataset", "version": 1,
                                "tile_size": "big", "bands": 3}), "is incomplete or invalid"),
}


@pytest.fixture(params=sorted(BAD_DESCRIPTIONS))
def bad_dataset(request, tmp_path):
    """A dataset folder whose dataset.json is malformed, foreign or old; and
    the text its error must hold."""
    text, needle = BAD_DESCRIPTIONS[request.param]
    folder = tmp_path / "dataset"
    (folder / "images").mkdir(parents=True)
    (folder / "dataset.json").write_text(text)
    (folder / "train.txt").write_text("a_000000\n")
    return folder, needle


def test_tile_dataset_appending_to_a_bad_dataset_json_names_it(run, tmp_path, scene,
                                                               bad_dataset):
    folder, needle = bad_dataset
    before = _tree(tmp_path)
    _fails(run, "semseg:tiledataset",
           {"IMAGE": scene[0], "LABEL": scene[1], "TILE_SIZE": 32, "METHOD": "stride",
            "OUTPUT": str(folder)},
           folder, needle)
    assert _tree(tmp_path) == before


def test_train_model_checks_the_dataset_json_in_qgis(run, tmp_path, bad_dataset, feedback):
    folder, needle = bad_dataset
    _fails(run, "semseg:trainmodel",
           {"DATASET": str(folder), "OUTPUT_MODEL": str(tmp_path / "model.keras")},
           "DATASET", folder, needle)
    assert "Engine:" not in feedback.textLog()  # failed before starting the engine
    assert not (tmp_path / "model.keras").exists()


@pytest.mark.parametrize("kind", ["missing", "empty", "a-file"])
def test_train_model_without_a_dataset_names_the_folder(run, tmp_path, kind):
    folder = tmp_path / "dataset"
    if kind == "empty":
        folder.mkdir()
    elif kind == "a-file":
        folder.write_text("x")
    _fails(run, "semseg:trainmodel",
           {"DATASET": str(folder), "OUTPUT_MODEL": str(tmp_path / "model.keras")},
           "DATASET", folder)


# ---------------------------------------------------------------- Evaluate's folders
def test_evaluate_missing_prediction_folder_names_it(run, tmp_path, scene):
    refs = tmp_path / "refs"
    refs.mkdir()
    write_raster(refs / "a.tif", np.zeros((8, 8), np.uint8))
    _fails(run, "semseg:evaluate",
           {"PREDICTION_FOLDER": str(tmp_path / "nowhere"), "REFERENCE_FOLDER": str(refs),
            **_evaluate_outputs(tmp_path)},
           "PREDICTION_FOLDER", tmp_path / "nowhere")
    assert not (tmp_path / "scores.csv").exists()


@pytest.mark.parametrize("role", ["prediction", "reference"])
def test_evaluate_empty_folder_names_it(run, tmp_path, role):
    folders = {r: tmp_path / r for r in ("prediction", "reference")}
    for r, folder in folders.items():
        folder.mkdir()
        if r != role:
            write_raster(folder / "a.tif", np.zeros((8, 8), np.uint8))
    (folders[role] / "notes.txt").write_text("no rasters here")
    _fails(run, "semseg:evaluate",
           {"PREDICTION_FOLDER": str(folders["prediction"]),
            "REFERENCE_FOLDER": str(folders["reference"]), **_evaluate_outputs(tmp_path)},
           folders[role], "holds no rasters")
    assert not (tmp_path / "scores.csv").exists()


def test_evaluate_folders_without_matching_names_say_so(run, tmp_path):
    preds, refs = tmp_path / "preds", tmp_path / "refs"
    preds.mkdir()
    refs.mkdir()
    write_raster(preds / "a.tif", np.zeros((8, 8), np.uint8))
    write_raster(refs / "b.tif", np.zeros((8, 8), np.uint8))
    _fails(run, "semseg:evaluate",
           {"PREDICTION_FOLDER": str(preds), "REFERENCE_FOLDER": str(refs),
            **_evaluate_outputs(tmp_path)},
           preds, refs, "same name")
    assert not (tmp_path / "scores.csv").exists()


def test_evaluate_folder_with_a_text_file_named_tif_names_it(run, tmp_path):
    preds, refs = tmp_path / "preds", tmp_path / "refs"
    preds.mkdir()
    refs.mkdir()
    (preds / "a.tif").write_text("not a raster")
    write_raster(refs / "a.tif", np.zeros((8, 8), np.uint8))
    _fails(run, "semseg:evaluate",
           {"PREDICTION_FOLDER": str(preds), "REFERENCE_FOLDER": str(refs),
            **_evaluate_outputs(tmp_path)},
           preds / "a.tif", "GDAL cannot open")
    assert not (tmp_path / "scores.csv").exists()


# ---------------------------------------------------------------- unreadable layers
@pytest.mark.parametrize("parameter", ["IMAGE", "LABEL"])
def test_tile_dataset_raster_gdal_cannot_open_names_the_parameter(run, tmp_path, scene,
                                                                  not_a_raster, parameter):
    params = {"IMAGE": scene[0], "LABEL": scene[1], "TILE_SIZE": 32,
              "OUTPUT": str(tmp_path / "dataset"), parameter: str(not_a_raster)}
    _fails(run, "semseg:tiledataset", params, parameter, not_a_raster)
    assert not (tmp_path / "dataset").exists()


def test_tile_dataset_vector_ogr_cannot_open_names_label_vector(run, tmp_path, scene):
    vector = tmp_path / "labels.gpkg"
    vector.write_text("not a GeoPackage")
    _fails(run, "semseg:tiledataset",
           {"IMAGE": scene[0], "LABEL_VECTOR": str(vector), "LABEL_FIELD": "class",
            "TILE_SIZE": 32, "OUTPUT": str(tmp_path / "dataset")},
           "LABEL_VECTOR", vector)
    assert not (tmp_path / "dataset").exists()


def test_predict_mask_ogr_cannot_open_names_mask(run, tmp_path, scene, feedback):
    mask = tmp_path / "mask.gpkg"
    mask.write_text("not a GeoPackage")
    _fails(run, "semseg:predictraster",
           {"INPUT": scene[0], "MODEL": str(tmp_path / "model.keras"), "MASK": str(mask),
            "OUTPUT": str(tmp_path / "classes.tif")},
           "MASK", mask)
    assert "Engine:" not in feedback.textLog()  # failed before starting the engine
    assert not (tmp_path / "classes.tif").exists()


def test_evaluate_raster_gdal_cannot_open_names_the_parameter(run, tmp_path, scene,
                                                              not_a_raster):
    _fails(run, "semseg:evaluate",
           {"PREDICTION": str(not_a_raster), "REFERENCE": scene[1],
            **_evaluate_outputs(tmp_path)},
           "PREDICTION", not_a_raster)


def test_color_to_index_raster_gdal_cannot_open_names_input(run, tmp_path, not_a_raster):
    _fails(run, "semseg:colortoindex",
           {"INPUT": str(not_a_raster), "OUTPUT": str(tmp_path / "o.tif")},
           "INPUT", not_a_raster)
    assert not (tmp_path / "o.tif").exists()


def test_label_raster_that_does_not_overlap_is_named(run, tmp_path, scene):
    """The warp path (gdal.Warp, osr) under both exception modes."""
    _, label = synthetic_scene(h=64, w=64)
    far = write_raster(tmp_path / "far.tif", label, origin=(900000.0, 100000.0))
    _fails(run, "semseg:tiledataset",
           {"IMAGE": scene[0], "LABEL": far, "TILE_SIZE": 32,
            "OUTPUT": str(tmp_path / "dataset")},
           far, "does not overlap")
    assert not (tmp_path / "dataset").exists()


def test_label_vector_with_a_bad_filter_is_named(run, tmp_path, scene):
    """OGR's attribute filter path (it raises with ogr.UseExceptions())."""
    from osgeo import ogr

    from rasters import srs_wkt
    from semantic_segmentation.engine.data import raster, tiling

    path = tmp_path / "labels.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("labels", raster.srs_from_wkt(srs_wkt()), ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("class", 1)
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        "POLYGON ((500000 4200000, 500900 4200000, 500900 4199100, 500000 4199100, "
        "500000 4200000))"))
    layer.CreateFeature(feature)
    feature = layer = ds = None
    from semantic_segmentation.engine.errors import InputError

    with pytest.raises(InputError) as info:
        tiling.tile_scene(tiling.TileParams(
            scene[0], tmp_path / "dataset",
            label_vector=f"{path}|layername=labels|subset=nonsense ((",
            label_field="class", tile_size=32, method="stride"))
    assert str(path) in str(info.value) and "nonsense ((" in str(info.value)
    assert not (tmp_path / "dataset").exists()


# ---------------------------------------------------------------- the last-resort net
def test_unforeseen_error_names_the_algorithm_and_keeps_the_traceback_in_debug(
        run, tmp_path, scene, feedback, monkeypatch):
    from semantic_segmentation.algorithms import tile_dataset

    def broken(*args, **kwargs):
        return {}["no such key"]

    monkeypatch.setattr(tile_dataset, "tile_scene", broken)
    message = _fails(run, "semseg:tiledataset",
                     {"IMAGE": scene[0], "LABEL": scene[1], "TILE_SIZE": 32,
                      "OUTPUT": str(tmp_path / "dataset")},
                     "Tile Dataset", "KeyError", "no such key")
    assert message.count("\n") == 0
    log = feedback.textLog()
    assert TRACEBACK in log and "broken" in log


def test_every_algorithm_is_guarded(qgis_app):
    from qgis.core import QgsApplication

    from semantic_segmentation.algorithms.base import SegAlgorithm

    algorithms = [alg for alg in
                  QgsApplication.processingRegistry().providerById("semseg").algorithms()
                  if isinstance(alg, SegAlgorithm)]
    assert {alg.name() for alg in algorithms} >= {
        "tiledataset", "colortoindex", "trainmodel", "predictraster", "evaluate",
        "setupengine", "enginestatus"}
    for alg in algorithms:
        assert getattr(type(alg).processAlgorithm, "guarded", False), alg.id()


# ---------------------------------------------------------------- qgis_process
def test_qgis_process_prints_a_clean_error_line(qgis_process, tmp_path, gdal_exceptions):
    if not gdal_exceptions:
        pytest.skip("qgis_process is a process of its own: one run is enough")
    refs = tmp_path / "refs"
    refs.mkdir()
    proc = subprocess.run(
        [qgis_process, "run", "semseg:evaluate", "--", "PREDICTION_FOLDER=/nonexistent",
         f"REFERENCE_FOLDER={refs}", f"OUTPUT_TABLE={tmp_path / 'scores.csv'}",
         f"OUTPUT_REPORT={tmp_path / 'report.html'}"],
        capture_output=True, text=True, timeout=180)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    # qgis_process echoes its inputs ("PREDICTION_FOLDER:\t/nonexistent"): read its error line
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert errors and "PREDICTION_FOLDER: /nonexistent is not a folder" in errors[-1], output
    assert "Traceback" not in output
    assert not (tmp_path / "scores.csv").exists()
