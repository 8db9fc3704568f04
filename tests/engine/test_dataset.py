"""Tile Dataset's folders as Train Model reads them (``dataset.py``), and the
folders it refuses, without TensorFlow (the tf.data pipelines are tested in
test_training.py)."""

import json
import os

import numpy as np
import pytest

from datasets import write_dataset
from rasters import write_raster
from semantic_segmentation.engine.data import dataset
from semantic_segmentation.engine.errors import InputError


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("ds") / "dataset", n_train=6, n_val=2)


def test_dataset_maps_values_to_indices_and_keeps_ignore(data_dir):
    info = dataset.read_info(data_dir)
    assert info.class_values == [1, 2, 3] and info.n_classes == 3
    images, labels = dataset.load_arrays(info, "train")
    assert images.shape == (6, 32, 32, 3) and images.dtype == np.float32
    assert set(np.unique(labels)) == {0, 1, 2, 255}
    assert abs(float(images.mean())) < 0.5  # normalised by the dataset's mean/std


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is empty") as err:
        dataset.read_info(str(tmp_path))
    assert str(tmp_path) in str(err.value)


def test_folder_without_dataset_json_is_refused(tmp_path):
    (tmp_path / "x.tif").write_text("")
    with pytest.raises(InputError, match="not a dataset made by Tile Dataset"):
        dataset.read_info(str(tmp_path))


def test_chip_of_wrong_size_or_bands_is_named(tmp_path):
    folder = write_dataset(tmp_path / "d", n_train=2, n_val=1)
    info = dataset.read_info(folder)
    write_raster(os.path.join(folder, "images", "chip_000.tif"),
                 np.zeros((16, 32, 3), np.uint16))
    with pytest.raises(InputError, match=r"chip_000.tif is 32 x 16 pixels"):
        dataset.load_arrays(info, "train")
    write_raster(os.path.join(folder, "images", "chip_000.tif"),
                 np.zeros((32, 32, 2), np.uint16))
    with pytest.raises(InputError, match=r"chip_000.tif has 2 band\(s\)"):
        dataset.load_arrays(info, "train")


def test_dataset_without_labels_is_refused(tmp_path):
    folder = write_dataset(tmp_path / "d", n_train=2, n_val=1)
    path = os.path.join(folder, "dataset.json")
    meta = json.load(open(path))
    meta.update(has_labels=False, classes={})
    json.dump(meta, open(path, "w"))
    with pytest.raises(InputError, match="has no labels"):
        dataset.read_info(folder)
