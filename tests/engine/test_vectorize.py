"""QGIS-style vector paths, shared by Tile Dataset's labels and Predict Raster's mask."""

from semantic_segmentation.engine.data.vectorize import split_vector_path


def test_split_plain_path():
    assert split_vector_path("/data/labels.gpkg") == ("/data/labels.gpkg", None, None)


def test_split_layer_name_id_and_subset():
    assert split_vector_path("/d/l.gpkg|layername=roads") == ("/d/l.gpkg", "roads", None)
    assert split_vector_path("/d/l.shp|layerid=0") == ("/d/l.shp", 0, None)
    assert split_vector_path('/d/l.gpkg|layername=a|subset="class" > 1') == (
        "/d/l.gpkg", "a", '"class" > 1')


def test_the_layer_a_path_names_or_the_first(tmp_path):
    from osgeo import ogr

    from semantic_segmentation.engine.data.vectorize import pick_layer

    path = str(tmp_path / "two.gpkg")
    source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    for name in ("first", "second"):
        source.CreateLayer(name, None, ogr.wkbPolygon)
    assert pick_layer(source, None).GetName() == "first"
    assert pick_layer(source, "second").GetName() == "second"
    assert pick_layer(source, " second ").GetName() == "second"
    assert pick_layer(source, 1).GetName() == "second"
    assert pick_layer(source, "third") is None and pick_layer(source, 5) is None
