"""engine/options.py is the one table of option names: plain data that QGIS imports, and
what the engine's own modules check against."""

import ast
import os

import pytest

from semantic_segmentation.engine import options
from semantic_segmentation.engine.errors import InputError

ENGINE = os.path.join(os.path.dirname(__file__), "..", "..", "engine")


def test_options_imports_only_the_standard_library_and_plain_data():
    with open(os.path.join(ENGINE, "options.py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    assert modules <= {"os", "collections", "dataclasses", "..models", ".errors"}, modules


def test_every_set_has_unique_names_labels_and_a_valid_default():
    for key in options.keys():
        names = options.names(key)
        assert names and len(set(names)) == len(names), key
        assert all(options.labels(key)), key
        assert options.default(key) in names, key
    assert options.default("model") == "unet" and options.default("color_map") == "voc"
    assert "voc" in options.names("color_map")


def test_the_engine_modules_use_the_table():
    from semantic_segmentation.engine.data import labels, tiling
    from semantic_segmentation.engine.predict import prediction
    from semantic_segmentation.engine.train import losses, schedules, training

    assert list(losses.LOSSES) == options.names("loss")
    assert list(losses.CLASS_WEIGHTS) == options.names("class_weights")
    assert list(schedules.LR_MODES) == options.names("lr_mode")
    assert list(training.OPTIMIZERS) == options.names("optimizer")
    assert list(training.STRATEGIES) == options.names("strategy")
    assert list(prediction.MODES) == options.names("predict_mode")
    assert list(prediction.PROBABILITY_FORMATS) == options.names("probability_format")
    assert list(tiling.METHODS) == options.names("tile_method")
    assert labels.preset_names() == options.names("color_map")


def test_an_unknown_name_lists_the_valid_ones():
    with pytest.raises(InputError, match="METHOD 'grid' is not valid; choose one of random, "
                                         "stride"):
        options.check("tile_method", "grid", "METHOD")
    with pytest.raises(KeyError, match="tile_method"):
        options.names("nope")


def test_the_evaluation_rejects_an_unknown_mode(tmp_path):
    from semantic_segmentation.engine.evaluate import metrics

    with pytest.raises(InputError, match="MODE 'mean' is not valid; choose one of global, "
                                         "per_image"):
        metrics.evaluate(tmp_path / "p.tif", tmp_path / "r.tif", mode="mean")
