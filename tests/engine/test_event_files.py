"""TensorBoard event files written without TensorFlow (engine/train/event_files.py),
read back by TensorFlow's and TensorBoard's own readers."""

import os
import struct

import pytest

from semantic_segmentation.engine.train import event_files


def _f32(value):
    return struct.unpack("<f", struct.pack("<f", value))[0]


def _events(folder):
    """The (tag, step, value) scalars of ``folder``'s event files, read by TensorFlow
    (which checks each record's CRCs), and the files' first events' file versions."""
    tf = pytest.importorskip("tensorflow")
    names = [n for n in os.listdir(folder) if n.startswith("events.out.tfevents.")]
    assert names
    scalars, versions = [], []
    for name in sorted(names):
        events = list(tf.compat.v1.train.summary_iterator(os.path.join(folder, name)))
        versions.append(events[0].file_version)
        scalars += [(v.tag, e.step, v.simple_value) for e in events[1:] for v in e.summary.value]
    return scalars, versions


def test_crc32c_of_the_check_string():
    assert event_files.crc32c(b"123456789") == 0xE3069283
    assert event_files.crc32c(b"") == 0


def test_scalars_are_read_back_by_tensorflow(tmp_path):
    folder = tmp_path / "logs" / "train"  # made by EventFile
    writer = event_files.EventFile(str(folder))
    writer.scalar("epoch_loss", 0.1234567891, step=1)
    writer.scalar("epoch_loss", 2.5, step=2)
    writer.scalar("taux_d\u2019erreur", 1e-3, step=300)  # non-ASCII tag, a multi-byte step
    writer.scalar("epoch_big", 1e300, step=3)    # beyond float32: infinity
    writer.flush()
    writer.close()
    writer.close()  # twice is harmless
    name = os.path.basename(writer.path)
    assert name.startswith("events.out.tfevents.") and name.endswith(".v2")
    assert name.split(".")[-3] == str(os.getpid())
    scalars, versions = _events(str(folder))
    assert versions == ["brain.Event:2"]
    assert scalars == [("epoch_loss", 1, _f32(0.1234567891)), ("epoch_loss", 2, 2.5),
                       ("taux_d\u2019erreur", 300, _f32(1e-3)), ("epoch_big", 3, float("inf"))]


def test_two_files_in_one_folder_get_different_names(tmp_path):
    first, second = event_files.EventFile(str(tmp_path)), event_files.EventFile(str(tmp_path))
    first.close()
    second.close()
    assert first.path != second.path
    assert len(os.listdir(tmp_path)) == 2


def test_tensorboard_reads_the_scalars(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    writer = event_files.EventFile(str(tmp_path))
    for step, value in enumerate((0.9, 0.5, 0.25), start=1):
        writer.scalar("epoch_loss", value, step)
    writer.close()
    acc = accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert "epoch_loss" in acc.Tags()["scalars"]
    assert [(s.step, s.value) for s in acc.Scalars("epoch_loss")] == [
        (1, _f32(0.9)), (2, 0.5), (3, 0.25)]


def test_event_writer_callback_writes_train_and_validation_runs(tmp_path):
    pytest.importorskip("keras")
    from semantic_segmentation.engine.train.callbacks import EventWriter

    folder = tmp_path / "tensorboard"
    callback = EventWriter(str(folder))
    callback.on_epoch_end(0, {"loss": 0.75, "miou": 0.25, "val_loss": 0.5, "val_miou": 0.375})
    callback.on_epoch_end(1, {"loss": 0.5, "miou": 0.5, "val_loss": 0.25, "val_miou": 0.625})
    callback.close()
    assert callback.writers == {}
    assert sorted(os.listdir(folder)) == ["train", "validation"]
    train, versions = _events(str(folder / "train"))
    assert versions == ["brain.Event:2"]
    assert sorted(train) == [("epoch_loss", 1, 0.75), ("epoch_loss", 2, 0.5),
                             ("epoch_miou", 1, 0.25), ("epoch_miou", 2, 0.5)]
    validation, _ = _events(str(folder / "validation"))
    assert sorted(validation) == [("epoch_loss", 1, 0.5), ("epoch_loss", 2, 0.25),
                                  ("epoch_miou", 1, 0.375), ("epoch_miou", 2, 0.625)]
    # a later fit (a training phase of its own) opens new files beside the first ones
    callback.on_epoch_end(2, {"loss": 0.25})
    callback.on_train_end()
    train, versions = _events(str(folder / "train"))
    assert versions == ["brain.Event:2", "brain.Event:2"]
    assert ("epoch_loss", 3, 0.25) in train
