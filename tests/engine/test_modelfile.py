"""The self-describing model file: metadata, atomic save, safe loading."""

import json
import os
import zipfile

import numpy as np
import pytest

from semantic_segmentation.engine import outputs
from semantic_segmentation.engine.formats import modelfile
from semantic_segmentation.engine.errors import InputError

keras = pytest.importorskip("keras")

META = {"classes": [{"value": 1, "name": "water", "color": [0, 0, 255]},
                    {"value": 2, "name": "land", "color": [0, 255, 0]}],
        "bands": 3, "mean": [0, 0, 0], "std": [1, 1, 1], "tile_size": 32}


def _tiny_model(lambda_layer=False):
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(2, 3, padding="same")(inputs)
    if lambda_layer:
        x = keras.layers.Lambda(lambda t: t * 2.0)(x)
    return keras.Model(inputs, keras.layers.Softmax()(x))


def _add_entry(path, name, text):
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, text)


def test_save_then_load_keeps_predictions_and_metadata(tmp_path):
    model = _tiny_model()
    path = str(tmp_path / "m.keras")
    modelfile.save_model(model, path, META)
    assert outputs.stale_partials(str(tmp_path)) == []
    meta = modelfile.read_metadata(path)
    assert meta["format"] == "semseg-model" and meta["version"] == 1
    assert meta["classes"][0]["name"] == "water"
    assert meta["plugin_version"] and meta["created"]
    loaded, meta2 = modelfile.load_model(path)
    x = np.random.default_rng(0).normal(size=(1, 16, 16, 3)).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert meta2 == meta


def test_a_checkpoint_keeps_its_arrays_uncompressed_and_reads_them_back(tmp_path):
    """Train Model writes a checkpoint after every epoch: its arrays (optimizer
    state, best weights) are stored, not deflated, which made each save take
    several seconds for little gain; the metadata stays compressed."""
    model = _tiny_model()
    weights = model.get_weights()
    optimizer = [np.full((3, 3), 0.5, np.float32), np.arange(4, dtype=np.float32)]
    path = str(tmp_path / "m.resume.keras")
    modelfile.save_checkpoint(model, path, META, {"epoch": 2}, optimizer, weights)
    with zipfile.ZipFile(path) as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
    assert kinds[modelfile.OPTIMIZER_ENTRY] == zipfile.ZIP_STORED
    assert kinds[modelfile.BEST_WEIGHTS_ENTRY] == zipfile.ZIP_STORED
    assert kinds[modelfile.METADATA_ENTRY] == zipfile.ZIP_DEFLATED
    state, values, best = modelfile.read_checkpoint(path)
    assert state == {"epoch": 2}
    for a, b in zip(values + best, optimizer + weights):
        np.testing.assert_array_equal(a, b)


def test_save_refuses_other_extension(tmp_path):
    with pytest.raises(InputError, match=r"\.keras"):
        modelfile.save_model(_tiny_model(), str(tmp_path / "m.h5"), META)


def test_save_failure_leaves_nothing(tmp_path):
    path = str(tmp_path / "m.keras")

    class Broken:
        def save(self, target):
            open(target, "w").write("half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        modelfile.save_model(Broken(), path, META)
    assert not os.path.exists(path)
    assert outputs.stale_partials(str(tmp_path)) == []


def test_read_metadata_missing_file(tmp_path):
    path = str(tmp_path / "none.keras")
    with pytest.raises(InputError, match="does not exist") as err:
        modelfile.read_metadata(path)
    assert path in str(err.value)


def test_read_metadata_refuses_text_file(tmp_path):
    path = tmp_path / "notes.keras"
    path.write_text("hello")
    with pytest.raises(InputError, match="not a Keras model file") as err:
        modelfile.read_metadata(str(path))
    assert str(path) in str(err.value)


def test_read_metadata_refuses_foreign_zip(tmp_path):
    path = str(tmp_path / "other.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a model")
    with pytest.raises(InputError, match="not a Keras model file"):
        modelfile.read_metadata(path)


def test_plain_keras_file_is_not_ours(tmp_path):
    path = str(tmp_path / "plain.keras")
    _tiny_model().save(path)
    with pytest.raises(InputError, match="not one made by Train Model: no semseg.json"):
        modelfile.read_metadata(path)
    with pytest.raises(InputError, match="no semseg.json"):
        modelfile.load_model(path)


def test_corrupt_metadata_is_reported(tmp_path):
    path = str(tmp_path / "bad.keras")
    _tiny_model().save(path)
    _add_entry(path, "semseg.json", "{not json")
    with pytest.raises(InputError, match="corrupt") as err:
        modelfile.read_metadata(path)
    assert path in str(err.value)


@pytest.mark.parametrize("values", [(1, 255), (-1, 2), (1, 2.5), (1, 1), (1, "2")],
                         ids=["nodata", "negative", "fraction", "repeated", "text"])
def test_class_values_outside_0_to_254_are_refused_with_the_value(tmp_path, values):
    """255 is the nodata of labels and of Predict Raster's class raster; a class
    value must be a label pixel value."""
    path = str(tmp_path / "values.keras")
    classes = [dict(c, value=v) for c, v in zip(META["classes"], values)]
    modelfile.save_model(_tiny_model(), path, dict(META, classes=classes))
    with pytest.raises(InputError, match="class value") as err:
        modelfile.read_metadata(path)
    assert path in str(err.value) and repr(values[1]) in str(err.value)


def test_lambda_layer_is_refused_before_deserialising(tmp_path):
    path = str(tmp_path / "lambda.keras")
    _tiny_model(lambda_layer=True).save(path)
    _add_entry(path, "semseg.json", json.dumps({"format": "semseg-model", "version": 1,
                                                **META}))
    assert modelfile.read_metadata(path)["bands"] == 3  # the metadata itself is fine
    with pytest.raises(InputError, match="Lambda") as err:
        modelfile.load_model(path)
    assert path in str(err.value)


def test_unknown_classes_are_listed_as_unsafe():
    config = {"module": "keras.src.models.functional", "class_name": "Functional",
              "config": {"layers": [
                  {"module": "keras.layers", "class_name": "Conv2D", "config": {}},
                  {"module": "evil.payload", "class_name": "Backdoor", "config": {},
                   "registered_name": "Backdoor"},
                  {"module": "m", "class_name": "X", "registered_name": "semseg>NoSuchLayer"},
              ]}}
    assert modelfile.unsafe_classes(config) == ["evil.payload.Backdoor", "semseg>NoSuchLayer"]


def test_class_entries_fill_names_and_colours():
    entries = modelfile.class_entries([0, 3], {"3": "roof"}, {"0": [1, 2, 3]})
    assert entries[0] == {"value": 0, "name": "class 0", "color": [1, 2, 3]}
    assert entries[1]["name"] == "roof" and len(entries[1]["color"]) == 3
    assert entries[1]["color"] != entries[0]["color"]


def test_oversized_metadata_entry_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """A 400 KB semseg.json once pushed QGIS to 833 MiB: an entry over the cap
    is refused from the zip's directory (ZipInfo.file_size), never unpacked."""
    path = str(tmp_path / "big.keras")
    _tiny_model().save(path)
    padding = "x" * (modelfile.MAX_METADATA_BYTES + 1)
    _add_entry(path, "semseg.json", json.dumps({"format": "semseg-model", "version": 1,
                                                **META, "padding": padding}))
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(InputError, match="more than the 1048576 bytes") as err:
        modelfile.read_metadata(path)
    assert path in str(err.value)
    size = zipfile.ZipFile(path).getinfo("semseg.json").file_size
    assert f"unpacks to {size} bytes" in str(err.value)
    assert "semseg.json" not in opened


def test_small_metadata_entry_under_the_cap_still_reads(tmp_path):
    path = str(tmp_path / "ok.keras")
    modelfile.save_model(_tiny_model(), path, dict(META, notes="y" * 100_000))
    assert modelfile.read_metadata(path)["notes"] == "y" * 100_000


@pytest.mark.parametrize("config", [
    {"module": "evil.payload", "class_name": "Backdoor", "config": {}},
    ["not", "a", "model"],
], ids=["foreign-class", "not-a-config"])
def test_check_keras_file_refuses_crafted_archives_naming_the_file(tmp_path, config):
    path = str(tmp_path / "crafted.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
    with pytest.raises(InputError) as err:
        modelfile.check_keras_file(path)
    assert path in str(err.value)


def _varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _onnx_property(key, value):
    """One ModelProto ``metadata_props`` entry (field 14) in protobuf wire format."""
    entry = b""
    for number, data in ((1, key.encode()), (2, value.encode())):
        entry += _varint(number << 3 | 2) + _varint(len(data)) + data
    return _varint(14 << 3 | 2) + _varint(len(entry)) + entry


def test_oversized_onnx_metadata_property_is_refused_before_it_is_read(tmp_path):
    from semantic_segmentation.engine.formats import onnx_backend

    meta = json.dumps({"format": "semseg-model", "version": 1, **META})
    small = tmp_path / "small.onnx"
    small.write_bytes(_onnx_property("semseg", meta))
    assert modelfile.read_metadata(str(small))["bands"] == 3
    big = tmp_path / "big.onnx"
    big.write_bytes(_onnx_property("semseg", meta + " " * onnx_backend.MAX_PROPERTY_BYTES))
    with pytest.raises(InputError, match="more than the 1048576 bytes") as err:
        modelfile.read_metadata(str(big))
    assert str(big) in str(err.value)
