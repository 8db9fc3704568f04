"""QGIS-style vector paths, shared by Tile Dataset's labels and Predict Raster's mask."""

from semantic_segmentation.engine.vectorize import split_vector_path


def test_split_plain_path():
    assert split_vector_path("/data/labels.gpkg") == ("/data/labels.gpkg", None, None)


def test_split_layer_name_id_and_subset():
    assert split_vector_path("/d/l.gpkg|layername=roads") == ("/d/l.gpkg", "roads", None)
    assert split_vector_path("/d/l.shp|layerid=0") == ("/d/l.shp", 0, None)
    assert split_vector_path('/d/l.gpkg|layername=a|subset="class" > 1') == (
        "/d/l.gpkg", "a", '"class" > 1')
