"""Color to Index (semseg:colortoindex) through processing.run."""

import json
import os

import numpy as np
import pytest
from osgeo import gdal

from rasters import read_raster, write_raster
from semantic_segmentation.engine import outputs

ALG = "semseg:colortoindex"
CLASSES = [(0, "background", (0, 0, 0)), (1, "building", (255, 255, 255)),
           (2, "road", (200, 30, 40))]


@pytest.fixture
def cmap_file(tmp_path):
    path = tmp_path / "cmap.json"
    path.write_text(json.dumps({"name": "test", "classes": [
        {"value": v, "name": n, "color": list(c)} for v, n, c in CLASSES]}), encoding="utf-8")
    return str(path)


def _rgb_label(tmp_path, h=30, w=40, extra=None):
    index = np.random.default_rng(0).integers(0, 3, size=(h, w)).astype(np.uint8)
    rgb = np.array([c for _, _, c in CLASSES], np.uint8)[index]
    if extra is not None:
        rgb[:2, :3] = extra
    return index, write_raster(tmp_path / "rgb.tif", rgb)


def test_color_to_index_writes_indices_and_class_table(run, tmp_path, cmap_file):
    index, rgb = _rgb_label(tmp_path)
    out = str(tmp_path / "index.tif")
    res = run(ALG, {"INPUT": rgb, "MODE": "color_to_index", "COLOR_MAP_FILE": cmap_file, "OUTPUT": out})
    assert res["OUTPUT"] == out
    arr, ds = read_raster(out)
    np.testing.assert_array_equal(arr[..., 0], index)
    band = ds.GetRasterBand(1)
    assert band.DataType == gdal.GDT_Byte
    assert band.GetRasterColorTable().GetColorEntry(2)[:3] == (200, 30, 40)
    assert band.GetCategoryNames()[:3] == ["background", "building", "road"]
    assert ds.GetGeoTransform() == gdal.Open(rgb).GetGeoTransform()


def test_color_to_index_writes_class_style_sidecar(run, tmp_path, cmap_file, qgis_app):
    from qgis.core import QgsPalettedRasterRenderer, QgsRasterLayer

    _, rgb = _rgb_label(tmp_path)
    out = str(tmp_path / "index.tif")
    run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": cmap_file, "OUTPUT": out})
    assert os.path.exists(tmp_path / "index.qml")
    layer = QgsRasterLayer(out, "index", "gdal")
    layer.loadDefaultStyle()
    renderer = layer.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer)
    assert [(c.value, c.label, c.color.getRgb()[:3]) for c in renderer.classes()] == CLASSES


def test_preset_voc_is_the_default_colour_map(run, tmp_path):
    rgb = np.zeros((20, 20, 3), np.uint8)
    rgb[:10] = (128, 0, 0)  # aeroplane
    rgb[10:, :5] = (224, 224, 192)  # VOC's border colour: ignore
    src = write_raster(tmp_path / "voc.tif", rgb)
    out = str(tmp_path / "index.tif")
    run(ALG, {"INPUT": src, "OUTPUT": out})
    arr, _ = read_raster(out)
    assert (arr[:10] == 1).all() and (arr[10:, :5] == 255).all() and (arr[10:, 5:] == 0).all()


def test_colour_map_presets_come_from_the_engine(qgis_app):
    from qgis.core import QgsApplication

    from semantic_segmentation.engine.data import labels

    alg = QgsApplication.processingRegistry().algorithmById(ALG)
    param = alg.parameterDefinition("COLOR_MAP")
    assert param.options() == list(labels.PRESETS)
    assert param.usesStaticStrings() and param.defaultValue() == "voc"


def test_unknown_colours_fail_and_are_listed(run, tmp_path, cmap_file):
    from qgis.core import QgsProcessingException

    _, rgb = _rgb_label(tmp_path, extra=(1, 2, 3))
    out = tmp_path / "index.tif"
    with pytest.raises(QgsProcessingException, match=r"\(1, 2, 3\): 6 pixels"):
        run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": cmap_file, "UNKNOWN": "fail", "OUTPUT": str(out)})
    assert not out.exists()


def test_unknown_colours_map_to_255_when_ignored(run, tmp_path, cmap_file):
    index, rgb = _rgb_label(tmp_path, extra=(1, 2, 3))
    out = str(tmp_path / "index.tif")
    run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": cmap_file, "UNKNOWN": "ignore", "OUTPUT": out})
    arr, _ = read_raster(out)
    assert (arr[:2, :3, 0] == 255).all()
    np.testing.assert_array_equal(arr[2:, :, 0], index[2:])


def test_index_to_color_inverts_color_to_index(run, tmp_path, cmap_file):
    _, rgb = _rgb_label(tmp_path)
    index = str(tmp_path / "index.tif")
    back = str(tmp_path / "back.tif")
    run(ALG, {"INPUT": rgb, "MODE": "color_to_index", "COLOR_MAP_FILE": cmap_file, "OUTPUT": index})
    run(ALG, {"INPUT": index, "MODE": "index_to_color", "COLOR_MAP_FILE": cmap_file, "OUTPUT": back})
    np.testing.assert_array_equal(read_raster(back)[0], read_raster(rgb)[0])
    assert (tmp_path / "index.qml").exists() and not (tmp_path / "back.qml").exists()


def test_index_to_color_drops_a_stale_class_style(run, tmp_path, cmap_file):
    _, rgb = _rgb_label(tmp_path)
    out = str(tmp_path / "out.tif")
    run(ALG, {"INPUT": rgb, "MODE": "color_to_index", "COLOR_MAP_FILE": cmap_file, "OUTPUT": out})
    index = str(tmp_path / "index.tif")
    os.replace(out, index)
    os.replace(out + ".aux.xml", index + ".aux.xml")
    assert (tmp_path / "out.qml").exists()
    run(ALG, {"INPUT": index, "MODE": "index_to_color", "COLOR_MAP_FILE": cmap_file, "OUTPUT": out})
    assert not (tmp_path / "out.qml").exists()


def test_qgis_colour_map_export_is_read(run, tmp_path):
    txt = tmp_path / "export.txt"
    txt.write_text("# QGIS Generated Color Map Export File\nINTERPOLATION:EXACT\n"
                   "0,0,0,0,255,background\n1,255,255,255,255,building\n"
                   "2,200,30,40,255,road\n", encoding="utf-8")
    index, rgb = _rgb_label(tmp_path)
    out = str(tmp_path / "index.tif")
    run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": str(txt), "OUTPUT": out})
    np.testing.assert_array_equal(read_raster(out)[0][..., 0], index)


def test_bad_colour_map_file_names_the_parameter(run, tmp_path):
    from qgis.core import QgsProcessingException

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    _, rgb = _rgb_label(tmp_path)
    with pytest.raises(QgsProcessingException, match="COLOR_MAP_FILE"):
        run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": str(bad), "OUTPUT": str(tmp_path / "o.tif")})


def test_cancelled_run_leaves_no_output(run, tmp_path, cmap_file, cancelling_feedback):
    from qgis.core import QgsProcessingException

    _, rgb = _rgb_label(tmp_path)
    out = tmp_path / "index.tif"
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        run(ALG, {"INPUT": rgb, "COLOR_MAP_FILE": cmap_file, "OUTPUT": str(out)},
            cancelling_feedback(after=1))
    assert not out.exists() and not (tmp_path / "index.qml").exists()
    assert outputs.stale_partials(str(tmp_path)) == []


def test_post_processor_styles_the_layer_with_class_names(run, tmp_path, qgis_app, feedback):
    from qgis.core import QgsPalettedRasterRenderer, QgsProcessingContext, QgsRasterLayer

    from semantic_segmentation.seg_plugin.styles import ClassStylePostProcessor

    path = write_raster(tmp_path / "plain.tif", np.arange(3, dtype=np.uint8).reshape(1, 3))
    layer = QgsRasterLayer(path, "plain", "gdal")
    processor = ClassStylePostProcessor.create(CLASSES, name="classes")
    processor.postProcessLayer(layer, QgsProcessingContext(), feedback)
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    assert [c.label for c in layer.renderer().classes()] == ["background", "building", "road"]
    assert layer.name() == "classes"
    assert processor not in ClassStylePostProcessor._alive


def test_loaded_output_shows_class_colours(tmp_path, qgis_app, cmap_file, feedback):
    import processing
    from qgis.core import (QgsPalettedRasterRenderer, QgsProcessingContext,
                           QgsProcessingOutputLayerDefinition, QgsProject)

    _, rgb = _rgb_label(tmp_path)
    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    out = str(tmp_path / "index.tif")
    processing.runAndLoadResults(
        ALG, {"INPUT": rgb, "COLOR_MAP_FILE": cmap_file,
              "OUTPUT": QgsProcessingOutputLayerDefinition(out, project)},
        feedback=feedback, context=context)
    from semantic_segmentation.seg_plugin.styles import ClassStylePostProcessor
    assert ClassStylePostProcessor._alive == []  # it ran (and was released)
    try:
        layers = [lyr for lyr in project.mapLayers().values()
                  if os.path.abspath(lyr.source()) == out]
        assert len(layers) == 1
        renderer = layers[0].renderer()
        assert isinstance(renderer, QgsPalettedRasterRenderer)
        assert [(c.value, c.label) for c in renderer.classes()] == [(v, n) for v, n, _ in CLASSES]
    finally:
        project.removeAllMapLayers()
