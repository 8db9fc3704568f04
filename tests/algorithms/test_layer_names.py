"""Output layers loaded into the project are named after their files
(``prediction``, ``prediction_entropy``), not after the output's description,
so that two runs can be told apart; temporary outputs after their input."""

import os

import numpy as np
import pytest
from rasters import write_raster

CLASSES = [(0, "background", (0, 0, 0)), (1, "building", (255, 0, 0))]


def _context():
    from qgis.core import QgsProcessingContext, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return context


def _to_load(context, path, description):
    from qgis.core import QgsProcessingContext, QgsProject

    context.addLayerToLoadOnCompletion(
        path, QgsProcessingContext.LayerDetails(description, QgsProject.instance(), "OUTPUT"))


def test_a_file_output_takes_its_base_name(qgis_app, tmp_path):
    from semantic_segmentation.seg_plugin.layers import name_when_loaded, output_layer_name

    context = _context()
    path = str(tmp_path / "prediction_entropy.tif")
    _to_load(context, path, "Uncertainty (normalised entropy, 0-1)")
    assert name_when_loaded(context, path, "scene uncertainty") == "prediction_entropy"
    details = context.layerToLoadOnCompletionDetails(path)
    assert details.name == "prediction_entropy" and details.forceName
    assert output_layer_name(str(tmp_path / "polygons.gpkg") + "|layername=classes",
                             "x") == "polygons"
    assert name_when_loaded(context, str(tmp_path / "not_loaded.tif"), "x") is None


def test_a_temporary_output_takes_the_name_given(qgis_app):
    from qgis.core import QgsProcessingUtils

    from semantic_segmentation.seg_plugin.layers import is_temporary, name_when_loaded

    context = _context()
    path = os.path.join(QgsProcessingUtils.tempFolder(), "0a1b2c", "OUTPUT.tif")
    _to_load(context, path, "Class raster")
    assert is_temporary(path)
    assert name_when_loaded(context, path, "scene prediction") == "scene prediction"


def test_predict_raster_names_each_output(qgis_app, tmp_path):
    """Predict Raster's names for its six outputs (the run itself needs the engine:
    tests/algorithms/test_train_predict.py)."""
    from qgis.core import QgsApplication, QgsProcessingUtils

    alg = QgsApplication.processingRegistry().createAlgorithmById("semseg:predictraster")
    context = _context()
    out = {"OUTPUT": str(tmp_path / "prediction.tif"),
           "OUTPUT_ENTROPY": str(tmp_path / "prediction_entropy.tif"),
           "OUTPUT_VECTOR": os.path.join(QgsProcessingUtils.tempFolder(), "9f", "OUTPUT.gpkg"),
           "OUTPUT_PROBABILITY": None}
    for name, path in out.items():
        if path:
            _to_load(context, path, name)
    alg._name_layers(context, out, "scene")
    names = {name: context.layerToLoadOnCompletionDetails(path).name
             for name, path in out.items() if path}
    assert names == {"OUTPUT": "prediction", "OUTPUT_ENTROPY": "prediction_entropy",
                     "OUTPUT_VECTOR": "scene class polygons"}


def _cmap(tmp_path):
    import json

    path = tmp_path / "cmap.json"
    path.write_text(json.dumps({"name": "test", "classes": [
        {"value": v, "name": n, "color": list(c)} for v, n, c in CLASSES]}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("outputs, names", [
    (["first.tif", "second.tif"], ["first", "second"]),
    (["TEMPORARY_OUTPUT"], ["labels class indices"]),
])
def test_color_to_index_layers_are_told_apart(qgis_app, tmp_path, feedback, outputs, names):
    import processing
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProject

    index = np.random.default_rng(0).integers(0, 2, size=(12, 16)).astype(np.uint8)
    rgb = write_raster(tmp_path / "labels.tif",
                       np.array([c for _, _, c in CLASSES], np.uint8)[index])
    project = QgsProject.instance()
    try:
        loaded = []
        for output in outputs:
            target = output if output == "TEMPORARY_OUTPUT" else str(tmp_path / output)
            context = _context()
            before = set(project.mapLayers())
            definition = QgsProcessingOutputLayerDefinition(target, project)
            definition.destinationName = "Output raster"  # as the algorithm dialog names it
            processing.runAndLoadResults(
                "semseg:colortoindex",
                {"INPUT": rgb, "COLOR_MAP_FILE": _cmap(tmp_path), "OUTPUT": definition},
                feedback=feedback, context=context)
            loaded += [project.mapLayer(i).name() for i in set(project.mapLayers()) - before]
        assert loaded == names
    finally:
        project.removeAllMapLayers()
