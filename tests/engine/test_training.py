"""Train Model's engine: dataset pipeline, losses, schedules, training, the worker."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from datasets import write_dataset
from semantic_segmentation.engine import outputs
from semantic_segmentation.engine.data import augment, batches, dataset
from semantic_segmentation.engine.formats import modelfile
from semantic_segmentation.engine.train import training
from semantic_segmentation.engine.errors import InputError
from semantic_segmentation.engine.progress import Progress

tf = pytest.importorskip("tensorflow")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
# unet over its native encoder: the fewest layers, so tracing the step is quick.
TINY = {"model": "unet", "encoder": "unet_native", "width": 0.25, "batch_size": 4, "epochs": 2,
        "seed": 1}


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = PLUGINS
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def _write_job(path, params):
    with open(path, "w") as f:
        json.dump({"task": "train", "params": params}, f)
    return str(path)


def _run_worker(job, timeout=240):
    proc = subprocess.run([sys.executable, "-m", "semantic_segmentation.engine", job],
                          env=_env(), capture_output=True, text=True, timeout=timeout)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc, lines


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    # 8 validation chips: enough to choose the best epoch by (engine/data/splits.py)
    return write_dataset(tmp_path_factory.mktemp("ds") / "dataset", n_train=6, n_val=8)


# A 4-epoch cosine run whose cycle (3 epochs) spans the epochs: its learning rate
# differs from epoch to epoch, so a resumed run that restarted the schedule would show.
RUN = {"lr_mode": "cosine_cycle", "lr_cycle": 3, "learning_rate": 0.01, **TINY, "epochs": 4,
       "batch_size": 3}


@pytest.fixture(scope="module")
def trained(tmp_path_factory, data_dir):
    """One tiny model trained in-process (shared by several tests)."""
    out = tmp_path_factory.mktemp("train")
    logs, lines = [], []

    def callback(value, **extra):  # what the worker writes as progress lines
        if value is not None:
            lines.append({"type": "progress", "fraction": value, **extra})
        return True

    result = training.run_job(
        {"dataset": data_dir, "output_model": str(out / "model.keras"),
         "log_dir": str(out / "logs"), **RUN},
        Progress(callback, logs.append))
    return result, logs, lines


# ---------------------------------------------------------------- dataset
def _all(batches):
    return [batches[i] for i in range(len(batches))]


def test_streamed_batches_match_in_memory(data_dir, tmp_path):
    info = dataset.read_info(data_dir)
    held = _all(batches.make_batches(info, "val", 3))
    streamed = batches.make_batches(info, "val", 3, cache_dir=str(tmp_path), memory_limit=0)
    assert isinstance(streamed.images, np.memmap)
    assert [len(b[0]) for b in held] == [3, 3, 2]  # the last batch is shorter
    for (a, b), (c, d) in zip(held, _all(streamed)):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    train = batches.make_batches(info, "train", 4, training=True, seed=3)
    train_streamed = batches.make_batches(info, "train", 4, training=True, seed=3,
                                          cache_dir=str(tmp_path), memory_limit=0)
    for (a, b), (c, d) in zip(_all(train.window(0, 5)), _all(train_streamed.window(0, 5))):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_validation_on_the_training_chips_reuses_them_in_order(data_dir):
    """A dataset without validation chips validates on its training chips: the
    batches a plain pass over them gives, from the arrays already decoded."""
    info = dataset.read_info(data_dir)
    train = batches.make_batches(info, "train", 4, training=True, augment=True, seed=2)
    in_order = train.in_order()
    assert in_order.images is train.images and in_order.augmenter is None
    for (a, b), (c, d) in zip(_all(in_order), _all(batches.make_batches(info, "train", 4))):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_a_dataset_without_validation_chips_trains_on_and_validates_on_its_chips(tmp_path):
    folder = write_dataset(tmp_path / "dataset", n_train=6, n_val=0)
    logs = []
    result = training.run_job({"dataset": folder, "output_model": str(tmp_path / "m.keras"),
                               **TINY, "epochs": 1}, Progress(log=logs.append))
    assert any("validating on the training chips" in str(line) for line in logs)
    assert result["epochs_run"] == 1 and 0 <= result["best_val_miou"] <= 1


def test_training_batches_pass_over_every_chip_then_reshuffle(data_dir):
    info = dataset.read_info(data_dir)
    train = batches.make_batches(info, "train", 4, training=True, seed=0)
    stream = np.concatenate([train.indices(i) for i in range(6)])  # 24 = 4 passes of 6
    passes = stream.reshape(4, 6)
    assert all(sorted(p) == list(range(6)) for p in passes)
    assert len({tuple(p) for p in passes}) > 1
    window = train.window(4, 2)
    assert len(window) == 2
    np.testing.assert_array_equal(window[1][0], train.window(0, 6)[5][0])


def test_augmentation_keeps_shapes_and_label_values(data_dir):
    info = dataset.read_info(data_dir)
    train = batches.make_batches(info, "train", 3, training=True, augment=True, seed=0)
    for images, labels in _all(train.window(0, 3)):
        assert images.shape == (3, 32, 32, 3) and labels.shape == (3, 32, 32)
        assert images.dtype == np.float32 and labels.dtype == np.uint8
        assert set(np.unique(labels)) <= {0, 1, 2, 255}
        assert np.isfinite(images).all()


def test_a_batch_depends_on_its_seed_and_number_only(data_dir):
    """Draws seeded by (run seed, batch number): the same batches in any order of
    computing them (threads), and another seed gives others."""
    info = dataset.read_info(data_dir)

    def stream(seed, order):
        train = batches.make_batches(info, "train", 2, training=True, augment=True,
                                     seed=seed).window(0, 6)
        got = {i: train[i] for i in order}
        return [a for i in range(6) for a in got[i]]

    first, again, other = stream(5, range(6)), stream(5, reversed(range(6))), \
        stream(6, range(6))
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))


def test_augmentation_is_a_symmetry_at_scale_one_and_fills_borders_when_shrinking(data_dir):
    info = dataset.read_info(data_dir)
    images, labels = dataset.load_arrays(info, "val")
    rng = augment.batch_rng(3, 0)
    out_images, out_labels = augment.Augmenter(info, scale=(1.0, 1.0))(images, labels, rng)
    for src, got, image, got_image in zip(labels, out_labels, images, out_images):
        symmetries = [(np.rot90(t, k), np.rot90(i, k)) for t, i in
                      ((src, image), (src.T, image.transpose(1, 0, 2))) for k in range(4)]
        assert any(np.array_equal(got, s) and np.allclose(got_image, i, atol=1e-5)
                   for s, i in symmetries)
    fill = (7.0 - np.asarray(info.mean)) / np.asarray(info.std)
    out_images, out_labels = augment.Augmenter(info, cval=7.0, label_cval=2,
                                               scale=(0.5, 0.5))(images, labels, rng)
    border = out_labels[:, 0, :]
    corner = out_images[:, 0, 0]
    assert (border == 1).mean() > 0.45  # label value 2 is class index 1
    assert any(np.allclose(c, fill, atol=1e-4) for c in corner)


def test_augmentation_fills_borders_with_the_mean_by_default(data_dir):
    """No CVAL: the zoomed-out border is each band's training mean (0 once
    standardised), not a raw 0 lying many standard deviations below it."""
    info = dataset.read_info(data_dir)
    assert np.array_equal(augment.Augmenter(info).fill, np.zeros(info.bands, np.float32))
    assert training.TrainParams.from_dict({"dataset": data_dir,
                                           "output_model": "m.keras"}).cval is None


def test_augmentation_samples_as_tensorflow_crop_and_resize(data_dir):
    """The NumPy sampling is TensorFlow's crop_and_resize (the pipeline's before
    the port to every backend): bilinear images, nearest labels, borders filled."""
    info = dataset.read_info(data_dir)
    images, labels = dataset.load_arrays(info, "val")
    augmenter = augment.Augmenter(info, cval=5.0, label_cval=255)
    swap, first, second = augmenter.boxes(len(images), augment.batch_rng(1, 2))
    got_images, got_labels = augmenter(images, labels, augment.batch_rng(1, 2))
    images = np.where(swap[:, None, None, None], images.transpose(0, 2, 1, 3), images)
    labels = np.where(swap[:, None, None], labels.transpose(0, 2, 1), labels)
    boxes = np.concatenate([first, second], axis=1).astype(np.float32)
    index = np.arange(len(images), dtype=np.int32)
    fill = augmenter.fill
    want_images = tf.image.crop_and_resize(images - fill, boxes, index, (32, 32),
                                           extrapolation_value=0.0).numpy() + fill
    want_labels = tf.image.crop_and_resize(labels[..., None].astype(np.float32), boxes,
                                           index, (32, 32), method="nearest",
                                           extrapolation_value=255.0).numpy()[..., 0]
    np.testing.assert_allclose(got_images, want_images, atol=1e-4)
    assert (got_labels == want_labels.astype(np.uint8)).mean() > 0.999


# ---------------------------------------------------------------- losses
@pytest.mark.parametrize("name", ["categorical_crossentropy", "binary_crossentropy", "focal",
                                  "dice", "lovasz", "ce_dice"])
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_is_finite_and_ignores_255(name, weighted):
    from semantic_segmentation.engine.train import losses

    n = 2 if name == "binary_crossentropy" else 3
    rng = np.random.default_rng(0)
    labels = rng.integers(0, n, size=(2, 8, 8)).astype(np.uint8)
    labels[:, :3] = 255
    logits = rng.normal(size=(2, 8, 8, n)).astype(np.float32)
    probs = tf.nn.softmax(logits).numpy()
    weights = losses.inverse_frequency_weights(rng.integers(1, 100, n)) if weighted else None
    loss = losses.get_loss(name, n, class_weights=weights)
    value = float(loss(labels, probs))
    assert np.isfinite(value) and value > 0
    changed = probs.copy()
    changed[:, :3] = tf.nn.softmax(rng.normal(size=(2, 3, 8, n)) * 5).numpy()
    assert float(loss(labels, changed)) == pytest.approx(value, rel=1e-5)
    perfect = np.eye(n, dtype=np.float32)[np.where(labels == 255, 0, labels)]
    assert float(loss(labels, perfect)) < value


def test_binary_crossentropy_needs_two_classes():
    from semantic_segmentation.engine.train import losses

    with pytest.raises(InputError, match="exactly 2 classes"):
        losses.get_loss("binary_crossentropy", 3)


def test_inverse_frequency_weights_favour_rare_classes():
    from semantic_segmentation.engine.train import losses

    w = losses.inverse_frequency_weights([900, 90, 10])
    assert w[0] < w[1] < w[2] and np.mean(w) == pytest.approx(1.0)


# ---------------------------------------------------------------- schedules
def test_schedules_have_expected_shapes():
    from semantic_segmentation.engine.train import schedules

    def at(schedule, step):
        return float(schedule(step))

    assert schedules.make_schedule("none", 0.1, 100) == 0.1
    poly = schedules.make_schedule("power_decay", 0.1, 100, min_lr=0.001, power=2.0)
    assert at(poly, 0) == pytest.approx(0.1)
    assert at(poly, 50) == pytest.approx((0.1 - 0.001) * 0.25 + 0.001)
    assert at(poly, 100) == pytest.approx(0.001) and at(poly, 500) == pytest.approx(0.001)
    exp = schedules.make_schedule("exp_decay", 0.1, 100, min_lr=0.0)
    assert at(exp, 0) == pytest.approx(0.1) and at(exp, 100) == pytest.approx(0.01)
    assert at(exp, 50) == pytest.approx(0.1 * 10 ** -0.5)
    drops = schedules.make_schedule("progressive_drops", 0.1, 100)
    assert [at(drops, s) for s in (0, 49, 50, 74, 75, 99)] == pytest.approx(
        [0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    cos = schedules.make_schedule("cosine_cycle", 0.1, 100, min_lr=0.01, cycle_steps=20)
    assert at(cos, 0) == pytest.approx(0.1) and at(cos, 20) == pytest.approx(0.1)
    assert at(cos, 10) == pytest.approx(0.055) and at(cos, 19) < 0.012
    with pytest.raises(InputError, match="learning-rate mode"):
        schedules.make_schedule("sawtooth", 0.1, 100)


# ---------------------------------------------------------------- training
def test_training_writes_model_with_metadata_and_logs(trained, data_dir):
    result, logs, lines = trained
    path = result["output_model"]
    assert os.path.isfile(path) and outputs.stale_partials(os.path.dirname(path)) == []
    assert result["epochs_run"] == 4 and 0.0 <= result["best_val_miou"] <= 1.0
    meta = modelfile.read_metadata(path)
    assert [c["value"] for c in meta["classes"]] == [1, 2, 3]
    assert meta["classes"][0]["name"] == "land 1"
    assert meta["bands"] == 3 and meta["tile_size"] == 32 and len(meta["mean"]) == 3
    assert meta["model"] == "unet" and meta["encoder"] == "unet_native"
    assert meta["best_val_miou"] == pytest.approx(result["best_val_miou"], abs=1e-5)
    assert len(meta["history"]["epochs"]) == 4
    for name in ("history.csv", "history.json", "curves.png", "index.html"):
        assert os.path.isfile(os.path.join(result["log_dir"], name)), name
    events = [f for _, _, fs in os.walk(os.path.join(result["log_dir"], "tensorboard"))
              for f in fs if f.startswith("events.out.tfevents")]
    assert events
    steps = [line["step"] for line in lines if line["type"] == "progress" and "step" in line]
    assert steps[0] == 1 and steps == sorted(steps)
    assert any("Epoch 4/4" in message for message in logs)


def test_reloaded_model_predicts_the_same(trained):
    import keras

    from semantic_segmentation.engine.train import training as _  # noqa: F401

    result, _logs, _lines = trained
    model, meta = modelfile.load_model(result["output_model"])
    again = keras.saving.load_model(result["output_model"], safe_mode=True, compile=False)
    x = np.random.default_rng(0).normal(size=(2, 32, 32, 3)).astype(np.float32)
    a, b = model.predict(x, verbose=0), again.predict(x, verbose=0)
    assert a.shape == (2, 32, 32, 3) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- the worker
def test_worker_fine_tunes_and_streams_json_lines(trained, data_dir, tmp_path):
    """The worker's job loop in this process (``python -m ...engine JOB`` around it runs
    in the cancel, mirrored and multi-worker tests)."""
    import io

    from semantic_segmentation.engine.runtime import worker

    out = str(tmp_path / "tuned.keras")
    stream = io.StringIO()
    code = worker.run_job({"task": "train", "params": {
        "dataset": data_dir, "output_model": out, "init_model": trained[0]["output_model"],
        "loss": "lovasz", "optimizer": "sgd", "epochs": 1, "batch_size": 4, "augment": True}},
        worker.Channel(stream))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert code == 0, lines[-1]
    fractions = [line["fraction"] for line in lines if line["type"] == "progress"]
    assert fractions and fractions == sorted(fractions) and fractions[-1] == 1.0
    results = [line for line in lines if line["type"] == "result"]
    assert len(results) == 1 and results[0]["result"]["output_model"] == out
    assert modelfile.read_metadata(out)["init_model"] == trained[0]["output_model"]


def _cancel_worker(tmp_path, params, until):
    """Start a train job, SIGTERM it once ``until(line)`` holds; ``(lines read
    before the signal, lines after it, rc)``."""
    job = _write_job(tmp_path / "job.json", params)
    proc = subprocess.Popen([sys.executable, "-m", "semantic_segmentation.engine", job],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        lines = []
        for raw in proc.stdout:
            lines.append(json.loads(raw))
            if until(lines[-1]):
                break
        assert lines and until(lines[-1]), lines
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return lines, [json.loads(line) for line in rest.splitlines() if line.strip()], proc.returncode


@pytest.mark.parametrize("moment", ["first_step", "while_preparing"])
def test_worker_cancel_leaves_no_model(data_dir, tmp_path, moment):
    out = tmp_path / "cancelled.keras"
    params = {"dataset": data_dir, "output_model": str(out), "epochs": 500,
              "steps_per_epoch": 20, **{k: v for k, v in TINY.items() if k != "epochs"}}
    if moment == "first_step":
        def until(line):  # the first step's report (the set-up's come before)
            return line["type"] == "progress" and "step" in line
    else:  # during network building / tracing of the first step: no progress lines yet
        def until(line):
            return line["type"] == "log" and "parameters" in line["message"]
    before, after, rc = _cancel_worker(tmp_path, params, until)
    # The worker checks for cancel before every progress line it writes: after the
    # signal at most the line already on its way comes (none when cancelled while
    # the network was being built and its step traced), then the cancel.
    progress = [line for line in after if line["type"] == "progress"]
    assert len(progress) <= (1 if moment == "first_step" else 0), progress
    assert after[-1]["type"] == "error" and after[-1]["kind"] == "cancelled", after[-1]
    assert rc == 3
    assert not out.exists()
    assert outputs.stale_partials(str(tmp_path)) == []


def test_mirrored_strategy_on_two_virtual_cpus_with_mixed_precision(data_dir, tmp_path):
    out = str(tmp_path / "mirrored.keras")
    job = _write_job(tmp_path / "job.json", {
        "dataset": data_dir, "output_model": out, "strategy": "mirrored", "virtual_cpus": 2,
        "mixed_precision": "on", **TINY, "epochs": 1, "steps_per_epoch": 2, "augment": False})
    proc, lines = _run_worker(job)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert any("2 replica(s), mixed precision" in line.get("message", "") for line in lines
               if line["type"] == "log")
    # Trained in float16, saved as a plain float32 network.
    model, meta = modelfile.load_model(out)
    assert meta["trained_with_mixed_precision"] is True
    assert {layer.dtype_policy.name for layer in model.layers} == {"float32"}
    x = np.zeros((1, 32, 32, 3), np.float32)
    assert np.isfinite(model.predict(x, verbose=0)).all()


# ---------------------------------------------------------------- Lovász-softmax
def _lovasz_reference(labels, probs, n, ignore=255, class_weights=None):
    """Berman et al. (2018), from the definitions, in numpy: for each class c
    present in the labels, the Lovász extension of the Jaccard loss
    Delta(M) = |M| / |{y = c} u M| evaluated at the errors m = |[y = c] - p_c|
    (sorted decreasingly: sum_i m_(i) (Delta(first i) - Delta(first i - 1))),
    with the sets built explicitly; averaged over the present classes."""
    labels = labels.ravel()
    probs = probs.reshape(-1, n).astype(np.float64)
    keep = labels != ignore
    labels, probs = labels[keep], probs[keep]
    total = weight_sum = 0.0
    for c in range(n):
        fg = labels == c
        if not fg.any():
            continue
        errors = np.abs(fg - probs[:, c])
        order = np.argsort(-errors, kind="stable")
        fg_set = set(np.nonzero(fg)[0].tolist())
        loss, previous = 0.0, 0.0
        for i in range(1, len(order) + 1):
            mistaken = set(order[:i].tolist())
            delta = len(mistaken) / len(fg_set | mistaken)
            loss += errors[order[i - 1]] * (delta - previous)
            previous = delta
        w = 1.0 if class_weights is None else float(class_weights[c])
        total += w * loss
        weight_sum += w
    return total / weight_sum


@pytest.mark.parametrize("seed, n, weighted", [(0, 3, False), (1, 4, False), (2, 3, True),
                                               (3, 5, False)])
def test_lovasz_softmax_equals_an_independent_numpy_lovasz_extension(seed, n, weighted):
    from semantic_segmentation.engine.train import losses

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n, size=(2, 7, 9)).astype(np.uint8)
    labels[labels == n - 1] = 0 if seed == 3 else n - 1  # seed 3: the last class is absent
    labels[rng.random(labels.shape) < 0.15] = 255
    probs = tf.nn.softmax(rng.normal(size=(2, 7, 9, n)) * 2).numpy().astype(np.float32)
    weights = rng.uniform(0.5, 2.0, n) if weighted else None
    loss = losses.get_loss("lovasz", n, class_weights=weights)
    expected = _lovasz_reference(labels, probs, n, class_weights=weights)
    assert float(loss(labels, probs)) == pytest.approx(expected, abs=1e-5)


# ---------------------------------------------------------------- early stopping
def _stopping_epoch(val_mious, patience):
    """The epoch after which the engine's training monitor stops training
    (None: it never does), fed a given validation mIoU per epoch."""
    from types import SimpleNamespace

    from semantic_segmentation.engine.train.callbacks import Monitor

    model = SimpleNamespace(stop_training=False, get_weights=lambda: [],
                            optimizer=SimpleNamespace(learning_rate=0.01))
    monitor = Monitor(Progress(), len(val_mious), 1, patience)
    monitor.set_model(model)
    for epoch, miou in enumerate(val_mious):
        monitor.on_epoch_begin(epoch)
        monitor.on_epoch_end(epoch, {"loss": 1.0, "val_miou": miou})
        if model.stop_training:
            return epoch + 1, monitor.best[1]
    return None, monitor.best[1]


@pytest.mark.parametrize("val_mious, patience, stop, best", [
    ([0.5] * 10, 3, 4, 1),                                # a plateau from the start
    ([0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3], 2, 6, 4),  # each gain restarts the count
    ([0.4, 0.3, 0.35, 0.39, 0.5], 3, 4, 1),               # lower is no gain
    ([0.4, 0.3, 0.35, 0.45, 0.2, 0.44], 3, None, 4),      # 2 epochs without gain < 3
    ([0.5] * 10, 1, 2, 1),
    ([0.5] * 10, 0, None, 1),                             # 0: early stopping off
])
def test_early_stopping_stops_after_patience_epochs_without_gain(val_mious, patience, stop,
                                                                 best):
    assert _stopping_epoch(val_mious, patience) == (stop, best)


# ---------------------------------------------------------------- cancel and LOG_DIR
def _files(folder):
    out = {}
    for d, dirs, files in os.walk(folder):
        for name in dirs:
            out[os.path.relpath(os.path.join(d, name), folder) + "/"] = None
        for name in files:
            with open(os.path.join(d, name), "rb") as f:
                out[os.path.relpath(os.path.join(d, name), folder)] = f.read()
    return out


@pytest.mark.parametrize("log_dir_existed", [False, True])
def test_cancel_during_training_takes_back_what_it_wrote_in_log_dir(data_dir, tmp_path,
                                                                    log_dir_existed):
    from semantic_segmentation.engine.errors import Cancelled

    log_dir = tmp_path / "runs" / "logs"
    if log_dir_existed:  # the user's files and an earlier run's history stay as they were
        (log_dir / "tensorboard" / "train").mkdir(parents=True)
        (log_dir / "notes.txt").write_text("mine")
        (log_dir / "history.csv").write_text("epoch,loss\n0,0.9\n")
        (log_dir / "tensorboard" / "train" / "events.out.tfevents.1.old").write_bytes(b"x")
    before, initial = _files(tmp_path), _files(log_dir)
    fractions, at_cancel = [], []

    def callback(value, **_extra):
        if value is not None and value > training.SETUP_SHARE:  # the steps' reports
            fractions.append(value)
        if len(fractions) > 3:  # cancel from the 4th step report on: epoch 2 of 3
            if not at_cancel:
                at_cancel.append(_files(log_dir))
            return False
        return True

    out = tmp_path / "model.keras"
    with pytest.raises(Cancelled):
        training.run_job({"dataset": data_dir, "output_model": str(out), "log_dir": str(log_dir),
                          **TINY, "epochs": 3, "steps_per_epoch": 2, "augment": False,
                          # the resume checkpoint is kept on purpose (tested with resume)
                          "resume_checkpoint": False},
                         Progress(callback))
    written = set(at_cancel[0]) - set(initial)
    assert any("tfevents" in name for name in written), written  # epoch 1 was logged
    # the history is written in the run's scratch folder until the model is saved
    assert not any(".partial" in name for name in written), written
    assert _files(tmp_path) == before
    assert not out.exists()


# ---------------------------------------------------------------- lean files, resume
def _archive_entries(path):
    import io
    import zipfile

    import h5py

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
        groups = []
        weights.visit(groups.append)
    return names, groups


def test_model_file_carries_no_optimizer_state(trained):
    result = trained[0]
    names, groups = _archive_entries(result["output_model"])
    assert not [g for g in groups if g.startswith("optimizer")]
    assert modelfile.METADATA_ENTRY in names and modelfile.OPTIMIZER_ENTRY not in names
    # the run finished: its resume checkpoint is gone
    assert not os.path.exists(modelfile.checkpoint_path(result["output_model"]))


def _lr_run(data_dir, out, cancel_after=None):
    """The ``trained`` fixture's run, cancelled once ``cancel_after`` epochs are done."""
    done = []

    def callback(_value, **extra):
        if "learning_rate" in extra.get("metrics", {}):  # an epoch's end
            done.append(extra["epoch"])
        return cancel_after is None or len(done) < cancel_after

    params = {"dataset": data_dir, "output_model": str(out), **RUN}
    return training.run_job(params, Progress(callback))


def test_resumed_run_matches_an_uninterrupted_one(trained, data_dir, tmp_path):
    whole = trained[0]
    out = tmp_path / "stopped.keras"
    with pytest.raises(training.Cancelled):
        _lr_run(data_dir, out, cancel_after=2)
    checkpoint = modelfile.checkpoint_path(str(out))
    assert not out.exists() and os.path.isfile(checkpoint)
    names, groups = _archive_entries(checkpoint)
    assert modelfile.OPTIMIZER_ENTRY in names and modelfile.RESUME_ENTRY in names
    # resumed with the run's own settings, whatever the job says about them
    resumed = training.run_job({"dataset": data_dir, "output_model": str(out),
                                "init_model": str(out), "init_mode": "resume",
                                "epochs": 99, "learning_rate": 5.0})
    assert resumed["epochs_run"] == 4 and not os.path.exists(checkpoint)
    history = [modelfile.read_metadata(r["output_model"])["history"]["epochs"]
               for r in (whole, resumed)]
    assert [h["epoch"] for h in history[1]] == [1, 2, 3, 4]
    np.testing.assert_allclose([h["learning_rate"] for h in history[1]],
                               [h["learning_rate"] for h in history[0]], rtol=1e-6)


def test_frozen_encoder_keeps_its_starting_weights(data_dir, tmp_path):
    from semantic_segmentation.models import registry

    encoder = registry.build_encoder("unet_native", 3, 16, width=0.25)
    start = str(tmp_path / "enc.weights.h5")
    encoder.save_weights(start)
    result = training.run_job({"dataset": data_dir, "output_model": str(tmp_path / "m.keras"),
                               **TINY, "encoder_weights": "file",
                               "encoder_weights_file": start, "freeze_encoder_epochs": 2})
    model, meta = modelfile.load_model(result["output_model"])
    assert meta["freeze_encoder_epochs"] == 2 and model.get_layer("encoder").trainable
    for a, b in zip(encoder.get_weights(), model.get_layer("encoder").get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("config, message", [
    ({"module": "evil.payload", "class_name": "Backdoor", "config": {}},
     "cannot be loaded safely: evil.payload.Backdoor"),
    ({"module": "keras.src.models.functional", "class_name": "Functional",
      "config": {"layers": "not a list"}}, "Keras cannot load the encoder weights file"),
], ids=["foreign-class", "garbled-keras-config"])
def test_encoder_weights_keras_file_goes_through_the_model_file_checks(tmp_path, config,
                                                                       message):
    """ENCODER_WEIGHTS_FILE (.keras) passes modelfile's checks before Keras sees
    it: a crafted or garbled file is an InputError naming it, not a raw TypeError."""
    import types
    import zipfile

    from semantic_segmentation.engine.train import fit

    path = str(tmp_path / "crafted.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
        archive.writestr("model.weights.h5", b"")
    params = types.SimpleNamespace(model="unet", encoder="unet_native", width=0.25,
                                   output_stride=16, encoder_weights="file", seed=0,
                                   encoder_weights_file=path)
    info = types.SimpleNamespace(n_classes=2, bands=3, tile_size=32)
    with pytest.raises(InputError) as err:
        fit._build(types.SimpleNamespace(params=params, info=info))
    assert path in str(err.value) and message in str(err.value)


# ---------------------------------------------------------------- too few validation chips
@pytest.mark.parametrize("n_train, n_val, judged", [(6, 2, False), (200, 8, False),
                                                    (6, 8, True), (100, 8, True),
                                                    (6, 0, True)])
def test_the_plan_judges_epochs_only_on_enough_validation_chips(tmp_path, n_train, n_val,
                                                                judged):
    """Fewer than 8 validation chips, or than 5 % of all, are too few to choose epochs
    by: the plan says so (a warning) and keeps the last epoch. No validation chips at
    all keeps the old rule (the training chips validate, fit.py warns)."""
    folder = write_dataset(tmp_path / "d", n_train=n_train, n_val=n_val, size=16)
    lines = []
    plan = training.prepare(training.TrainParams(dataset=folder,
                                                 output_model=str(tmp_path / "m.keras"),
                                                 **TINY), Progress(None, lines.append))
    assert plan.select_best is judged
    warnings = [m for m in lines if m.level == "warning"]
    if judged:
        assert not warnings
    else:
        assert len(warnings) == 1 and (f"{n_val} validation chips of {n_train + n_val}"
                                       in warnings[0] and "keeps the last epoch" in warnings[0])


def test_a_monitor_that_may_not_judge_keeps_the_last_epoch_and_never_stops():
    from types import SimpleNamespace

    from semantic_segmentation.engine.train.callbacks import Monitor

    model = SimpleNamespace(stop_training=False, get_weights=lambda: [],
                            optimizer=SimpleNamespace(learning_rate=0.01))
    monitor = Monitor(Progress(), 6, 1, 2, select_best=False)
    monitor.set_model(model)
    for epoch, miou in enumerate([0.6, 0.2, 0.1, 0.1, 0.3, 0.2]):
        monitor.on_epoch_begin(epoch)
        monitor.on_epoch_end(epoch, {"loss": 1.0, "val_miou": miou})
    assert not model.stop_training and monitor.best[:2] == (0.2, 6)


def test_training_on_too_few_validation_chips_saves_the_last_epoch(tmp_path):
    folder = write_dataset(tmp_path / "d", n_train=6, n_val=2)
    logs = []
    result = training.run_job({"dataset": folder, "output_model": str(tmp_path / "m.keras"),
                               **TINY, "early_stop_patience": 1},
                              Progress(None, logs.append))
    assert result["epochs_run"] == result["best_epoch"] == TINY["epochs"]
    assert any("Saving the last epoch's network (epoch 2" in m for m in logs)
    assert not any("best so far" in m for m in logs)


# ---------------------------------------------------------------- nothing left behind
def test_worker_makes_its_temporary_folders_and_history_in_the_job_temp_dir(data_dir,
                                                                             tmp_path):
    """A job's ``temp_dir`` (its parent's folder, removed however the worker ends)
    holds the training's scratch folder and its history.csv until the run is saved;
    LOG_DIR never holds a partial history."""
    import io
    import tempfile

    from semantic_segmentation.engine.runtime import worker

    temp, log_dir = tmp_path / "job", tmp_path / "logs"
    temp.mkdir()
    seen = []

    class Watching(io.StringIO):
        def write(self, text):
            if '"type": "progress"' in text and '"step"' in text:  # training's reports
                seen.append(([str(p.relative_to(temp)) for p in temp.rglob("*")],
                             outputs.stale_partials(str(log_dir))))
            return super().write(text)

    stream = Watching()
    tempdir = tempfile.tempdir
    code = worker.run_job({"task": "train", "temp_dir": str(temp), "params": {
        "dataset": data_dir, "output_model": str(tmp_path / "m.keras"), "log_dir": str(log_dir),
        **TINY, "epochs": 2, "steps_per_epoch": 2, "augment": False}}, worker.Channel(stream))
    assert code == 0, stream.getvalue().splitlines()[-1]
    assert seen and all(any(name.startswith("semseg-train-") for name in names)
                        for names, _ in seen), seen
    assert any(name.startswith("semseg-train-") and name.endswith("/history.csv")
               for names, _ in seen for name in names), seen
    assert all(partials == [] for _, partials in seen), seen
    # the job removed its scratch folder; the process's temporary folder is restored
    assert list(temp.iterdir()) == []
    assert tempfile.tempdir == tempdir
    assert (log_dir / "history.csv").read_text().count("\n") == 3  # header and 2 epochs
    assert outputs.stale_partials(str(log_dir)) == []


def _start_worker(tmp_path, params, sys_tmp):
    """A train worker whose job names ``tmp_path/job`` as its temp_dir, with the
    system's temporary folder (TMPDIR) at ``sys_tmp``."""
    (tmp_path / "job").mkdir()
    sys_tmp.mkdir()
    job = tmp_path / "job" / "job.json"
    job.write_text(json.dumps({"task": "train", "params": params,
                               "temp_dir": str(tmp_path / "job")}))
    env = {**_env(), "TMPDIR": str(sys_tmp)}
    return subprocess.Popen([sys.executable, "-m", "semantic_segmentation.engine", str(job)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)


def test_killed_worker_leaves_nothing_outside_its_job_temp_dir(data_dir, tmp_path):
    """SIGKILL (what the out-of-memory killer sends) runs no cleanup: what the
    worker had made is all in the job's temp_dir, which its parent removes."""
    import glob

    sys_tmp, log_dir = tmp_path / "system-tmp", tmp_path / "logs"
    proc = _start_worker(tmp_path, {
        "dataset": data_dir, "output_model": str(tmp_path / "m.keras"), "log_dir": str(log_dir),
        **TINY, "epochs": 500, "steps_per_epoch": 2, "augment": False}, sys_tmp)
    history = str(tmp_path / "job" / "semseg-train-*" / "history.csv")
    try:
        for count, _line in enumerate(proc.stdout):  # until an epoch was logged
            if glob.glob(history) or outputs.stale_partials(str(log_dir)) or count > 40:
                break
        proc.kill()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert list(sys_tmp.iterdir()) == []
    assert outputs.stale_partials(str(log_dir)) == []
    assert glob.glob(history)
    assert outputs.stale_partials(str(tmp_path)) == []


def _loading_tensorflow(pid):
    try:
        with open(f"/proc/{pid}/maps") as f:
            return "tensorflow" in f.read()
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc/PID/maps")
def test_worker_cancel_at_start_up_is_prompt(data_dir, tmp_path):
    """SIGTERM once the worker has begun loading TensorFlow's libraries: the
    cancelled error comes at once, and the import is not finished first.

    Bound: 1.5 s; 0.1-0.3 s were measured idle and loaded. Without the interrupt
    the earliest the cancel could come is the import's end (about 2 s more here,
    seen as the "Reading ... chips" line that follows it) or the training's cancel
    watch's 2 s grace (9.6 s measured on a loaded machine)."""
    import time

    sys_tmp = tmp_path / "system-tmp"
    proc = _start_worker(tmp_path, {
        "dataset": data_dir, "output_model": str(tmp_path / "m.keras"), **TINY}, sys_tmp)
    try:
        end = time.monotonic() + 120
        while not _loading_tensorflow(proc.pid) and proc.poll() is None \
                and time.monotonic() < end:
            time.sleep(0.01)
        assert proc.poll() is None
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        lines, answered = [], None
        for raw in proc.stdout:
            lines.append(json.loads(raw))
            if lines[-1]["type"] == "error" and answered is None:
                answered = time.monotonic() - sent
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert lines and lines[-1]["type"] == "error" and lines[-1]["kind"] == "cancelled", lines
    assert proc.returncode == 3
    assert answered is not None and answered < 1.5, answered
    # the first line after Keras's import reads the chips: it never came
    assert not [line for line in lines if line.get("message", "").startswith("Reading ")], lines
    assert list(sys_tmp.iterdir()) == []
    assert [p.name for p in (tmp_path / "job").iterdir()] == ["job.json"]
    assert not (tmp_path / "m.keras").exists()


def test_the_same_inputs_train_the_same_network(data_dir, tmp_path):
    """Augmented training twice with one seed: the same losses to the last bit and the
    same weights (before the augmentation's draws were stateless, the parallel calls'
    order made each run differ; the demo's held-out mIoU moved by 0.05)."""
    def run(name):
        out = tmp_path / name
        training.run_job({"dataset": data_dir, "output_model": str(out / "m.keras"),
                          "log_dir": str(out / "logs"), "augment": True,
                          "steps_per_epoch": 3, **TINY})
        model, _meta = modelfile.load_model(str(out / "m.keras"))
        history = json.loads((out / "logs" / "history.json").read_text())
        return [e["loss"] for e in history["epochs"]], model.get_weights()

    (loss_a, weights_a), (loss_b, weights_b) = run("a"), run("b")
    assert loss_a == loss_b
    assert len(weights_a) == len(weights_b)
    for a, b in zip(weights_a, weights_b):
        np.testing.assert_array_equal(a, b)
