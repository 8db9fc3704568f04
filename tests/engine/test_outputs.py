"""Outputs appear only when complete, sidecars and Shapefile parts included."""

import os

from semantic_segmentation.engine import outputs


def touch(path, text="x"):
    with open(path, "w") as f:
        f.write(text)


def test_partial_name_is_hidden_and_keeps_the_extension(tmp_path):
    partial = outputs.partial_path(str(tmp_path / "model.keras"))
    assert os.path.basename(partial) == ".model.partial.keras"


def test_finish_moves_shapefile_parts_and_removes_stale_ones(tmp_path):
    final = str(tmp_path / "classes.shp")
    touch(tmp_path / "classes.qix", "stale index of an earlier result")
    partial = outputs.partial_path(final)
    for ext in (".shp", ".shx", ".dbf", ".prj"):
        touch(partial[:-4] + ext)
    outputs.finish(final)
    assert sorted(os.listdir(tmp_path)) == ["classes.dbf", "classes.prj", "classes.shp",
                                           "classes.shx"]


def test_discard_removes_every_partial_part(tmp_path):
    final = str(tmp_path / "out.tif")
    partial = outputs.partial_path(final)
    for name in (partial, partial + ".aux.xml", partial + ".ovr"):
        touch(name)
    outputs.discard(final)
    assert outputs.stale_partials(str(tmp_path)) == []
    assert os.listdir(tmp_path) == []
