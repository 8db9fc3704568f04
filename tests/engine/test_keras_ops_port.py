"""Losses, learning-rate schedules and validation metrics in ``keras.ops`` (issue 22,
point 1): the same numbers on TensorFlow as the former ``tf.*`` code gave (recorded
below as literals), and on JAX (in a child Python: the backend is fixed per process;
skipped where JAX is not installed)."""

import json
import os
import subprocess  # nosec B404 - a child Python with a list argv
import sys
import textwrap

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
HERE = os.path.dirname(os.path.abspath(__file__))

LOSS_NAMES = ("categorical_crossentropy", "binary_crossentropy", "focal", "dice", "lovasz",
              "ce_dice")
LR_STEPS = (0, 1, 7, 19, 20, 33, 49, 50, 51, 74, 75, 99, 100, 150)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def _loss_inputs(n, seed):
    """Sparse labels with ignored pixels (whole rows and scattered) and softmax outputs."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n, size=(2, 9, 11)).astype(np.uint8)
    labels[:, :2] = 255
    labels[rng.random(labels.shape) < 0.1] = 255
    probs = _softmax(rng.normal(size=(2, 9, 11, n)) * 2)
    weights = rng.uniform(0.3, 3.0, n).astype(np.float32)
    direction = rng.normal(size=probs.shape).astype(np.float32)
    return labels, probs, weights, direction


def _gradient(loss, labels, probs, direction):
    """d loss / d probs, projected on ``direction`` (one number per loss)."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        p = tf.constant(probs)
        with tf.GradientTape() as tape:
            tape.watch(p)
            value = loss(labels, p)
        grad = tape.gradient(value, p).numpy()
    elif backend == "jax":
        import jax

        grad = np.asarray(jax.grad(lambda p: loss(labels, p))(probs))
    else:
        raise NotImplementedError(backend)
    return float(np.sum(grad.astype(np.float64) * direction))


def reference_values():
    """Every loss (weighted and not, value and gradient), schedule and metric on fixed
    inputs, as ``{name: float}``; run on the process's Keras backend."""
    import keras

    from semantic_segmentation.engine.train import losses, schedules, train_metrics

    out = {}
    for name in LOSS_NAMES:
        n = 2 if name == "binary_crossentropy" else 4
        labels, probs, weights, direction = _loss_inputs(n, seed=len(name))
        if name == "lovasz":  # the last class absent: Lovász averages present classes
            labels[labels == n - 1] = 0
        for weighted in (False, True):
            loss = losses.get_loss(name, n, class_weights=weights if weighted else None)
            key = f"loss/{name}/{'weighted' if weighted else 'plain'}"
            out[key] = float(loss(labels, probs))
            out[key + "/channel"] = float(loss(labels[..., None], probs))
            out[key + "/grad"] = _gradient(loss, labels, probs, direction)
    for mode, kwargs in (("power_decay", {"power": 0.9}), ("power_decay", {"power": 2.0}),
                         ("exp_decay", {}), ("progressive_drops", {}),
                         ("cosine_cycle", {"cycle_steps": 20})):
        schedule = schedules.make_schedule(mode, 0.1, 100, min_lr=0.001, **kwargs)
        tag = f"{mode}/{kwargs.get('power', '')}".rstrip("/")
        for step in LR_STEPS:
            value = schedule(keras.ops.convert_to_tensor(step, "int32"))
            out[f"lr/{tag}/{step}"] = float(keras.ops.convert_to_numpy(value))
    rng = np.random.default_rng(7)
    n = 5  # class 4 never labelled nor predicted: not in the mean IoU
    miou, accuracy = train_metrics.keras_metrics(n)
    for batch in range(3):
        labels = rng.integers(0, n - 1, size=(2, 10, 12)).astype(np.uint8)
        labels[rng.random(labels.shape) < 0.2] = 255
        probs = _softmax(rng.normal(size=(2, 10, 12, n)))
        probs[..., n - 1] = 0.0
        if batch == 2:
            labels = labels[..., None]
        for metric in (miou, accuracy):
            metric.update_state(labels, probs)
            out[f"metric/{metric.name}/{batch}"] = float(keras.ops.convert_to_numpy(
                metric.result()))
    return out


def fit_on_backend():
    """Jitted losses against eager ones (names that differ), and a tiny network fitted
    for two epochs with each loss, the metrics and a schedule (the epochs' logs): what
    Keras's trainer does with them on the process's backend."""
    import keras

    from semantic_segmentation.engine.train import losses, schedules, train_metrics

    mismatches, logs = [], {}
    for name in LOSS_NAMES:
        n = 2 if name == "binary_crossentropy" else 4
        labels, probs, weights, _ = _loss_inputs(n, seed=1)
        loss = losses.get_loss(name, n, class_weights=weights)
        if keras.backend.backend() == "jax":
            import jax

            if not np.isclose(float(jax.jit(loss)(labels, probs)), float(loss(labels, probs)),
                              rtol=1e-5):
                mismatches.append(name)
        keras.utils.set_random_seed(0)
        inputs = keras.Input((9, 11, 3))
        model = keras.Model(inputs, keras.layers.Conv2D(n, 3, padding="same",
                                                        activation="softmax")(inputs))
        lr = schedules.make_schedule("power_decay", 0.01, 4, min_lr=0.001)
        model.compile(keras.optimizers.Adam(lr), loss=loss,
                      metrics=train_metrics.keras_metrics(n))
        images = np.random.default_rng(2).normal(size=(4, 9, 11, 3)).astype(np.float32)
        history = model.fit(images, np.concatenate([labels, labels]), batch_size=2,
                            epochs=2, verbose=0, shuffle=False)
        logs[name] = {k: [float(v) for v in values] for k, values in history.history.items()}
    return mismatches, logs


# The former tf.* implementation's numbers (TensorFlow 2.21, Keras 3.15, CPU).
REFERENCE = {
    'loss/categorical_crossentropy/plain': 2.627304792404175,
    'loss/categorical_crossentropy/plain/channel': 2.627304792404175,
    'loss/categorical_crossentropy/plain/grad': -11.319584265643094,
    'loss/categorical_crossentropy/weighted': 2.7048182487487793,
    'loss/categorical_crossentropy/weighted/channel': 2.7048182487487793,
    'loss/categorical_crossentropy/weighted/grad': -15.907603686795758,
    'loss/binary_crossentropy/plain': 1.2175744771957397,
    'loss/binary_crossentropy/plain/channel': 1.2175744771957397,
    'loss/binary_crossentropy/plain/grad': 13.52627426904455,
    'loss/binary_crossentropy/weighted': 1.1796256303787231,
    'loss/binary_crossentropy/weighted/channel': 1.1796256303787231,
    'loss/binary_crossentropy/weighted/grad': 8.256681698537932,
    'loss/focal/plain': 2.232633590698242,
    'loss/focal/plain/channel': 2.232633590698242,
    'loss/focal/plain/grad': -63.748413221603556,
    'loss/focal/weighted': 2.4207091331481934,
    'loss/focal/weighted/channel': 2.4207091331481934,
    'loss/focal/weighted/grad': -92.35512810069379,
    'loss/dice/plain': 0.7296656370162964,
    'loss/dice/plain/channel': 0.7296656370162964,
    'loss/dice/plain/grad': -0.04619920055604345,
    'loss/dice/weighted': 0.7290953993797302,
    'loss/dice/weighted/channel': 0.7290953993797302,
    'loss/dice/weighted/grad': -0.05516324625893508,
    'loss/lovasz/plain': 0.7525470852851868,
    'loss/lovasz/plain/channel': 0.7525470852851868,
    'loss/lovasz/plain/grad': -0.04669056170997024,
    'loss/lovasz/weighted': 0.7548655271530151,
    'loss/lovasz/weighted/channel': 0.7548655271530151,
    'loss/lovasz/weighted/grad': -0.04772365805937203,
    'loss/ce_dice/plain': 3.3941266536712646,
    'loss/ce_dice/plain/channel': 3.3941266536712646,
    'loss/ce_dice/plain/grad': -2.4846397127649347,
    'loss/ce_dice/weighted': 3.2225699424743652,
    'loss/ce_dice/weighted/channel': 3.2225699424743652,
    'loss/ce_dice/weighted/grad': -9.5044823890868,
    'lr/power_decay/0.9/0': 0.10000000149011612,
    'lr/power_decay/0.9/1': 0.09910855442285538,
    'lr/power_decay/0.9/7': 0.09374059736728668,
    'lr/power_decay/0.9/19': 0.08289770781993866,
    'lr/power_decay/0.9/20': 0.081987164914608,
    'lr/power_decay/0.9/33': 0.0700402706861496,
    'lr/power_decay/0.9/49': 0.055006787180900574,
    'lr/power_decay/0.9/50': 0.05405278876423836,
    'lr/power_decay/0.9/51': 0.053096871823072433,
    'lr/power_decay/0.9/74': 0.030451757833361626,
    'lr/power_decay/0.9/75': 0.029430286958813667,
    'lr/power_decay/0.9/99': 0.0025690430775284767,
    'lr/power_decay/0.9/100': 0.0010000000474974513,
    'lr/power_decay/0.9/150': 0.0010000000474974513,
    'lr/power_decay/2.0/0': 0.10000000149011612,
    'lr/power_decay/2.0/1': 0.09802990406751633,
    'lr/power_decay/2.0/7': 0.0866250991821289,
    'lr/power_decay/2.0/19': 0.06595390290021896,
    'lr/power_decay/2.0/20': 0.06436000764369965,
    'lr/power_decay/2.0/33': 0.045441094785928726,
    'lr/power_decay/2.0/49': 0.026749897748231888,
    'lr/power_decay/2.0/50': 0.025750000029802322,
    'lr/power_decay/2.0/51': 0.024769900366663933,
    'lr/power_decay/2.0/74': 0.007692399900406599,
    'lr/power_decay/2.0/75': 0.0071875001303851604,
    'lr/power_decay/2.0/99': 0.0010099000064656138,
    'lr/power_decay/2.0/100': 0.0010000000474974513,
    'lr/power_decay/2.0/150': 0.0010000000474974513,
    'lr/exp_decay/0': 0.10000000149011612,
    'lr/exp_decay/1': 0.09772372245788574,
    'lr/exp_decay/7': 0.08511380851268768,
    'lr/exp_decay/19': 0.06456542760133743,
    'lr/exp_decay/20': 0.06309574097394943,
    'lr/exp_decay/33': 0.0467735156416893,
    'lr/exp_decay/49': 0.03235936537384987,
    'lr/exp_decay/50': 0.03162277862429619,
    'lr/exp_decay/51': 0.030902955681085587,
    'lr/exp_decay/74': 0.018197009339928627,
    'lr/exp_decay/75': 0.017782794311642647,
    'lr/exp_decay/99': 0.010232930071651936,
    'lr/exp_decay/100': 0.010000000707805157,
    'lr/exp_decay/150': 0.010000000707805157,
    'lr/progressive_drops/0': 0.10000000149011612,
    'lr/progressive_drops/1': 0.10000000149011612,
    'lr/progressive_drops/7': 0.10000000149011612,
    'lr/progressive_drops/19': 0.10000000149011612,
    'lr/progressive_drops/20': 0.10000000149011612,
    'lr/progressive_drops/33': 0.10000000149011612,
    'lr/progressive_drops/49': 0.10000000149011612,
    'lr/progressive_drops/50': 0.010000000707805157,
    'lr/progressive_drops/51': 0.010000000707805157,
    'lr/progressive_drops/74': 0.010000000707805157,
    'lr/progressive_drops/75': 0.0010000000474974513,
    'lr/progressive_drops/99': 0.0010000000474974513,
    'lr/progressive_drops/100': 0.0010000000474974513,
    'lr/progressive_drops/150': 0.0010000000474974513,
    'lr/cosine_cycle/0': 0.10000000149011612,
    'lr/cosine_cycle/1': 0.09939057379961014,
    'lr/cosine_cycle/7': 0.07297252863645554,
    'lr/cosine_cycle/19': 0.0016094261081889272,
    'lr/cosine_cycle/20': 0.10000000149011612,
    'lr/cosine_cycle/33': 0.028027474880218506,
    'lr/cosine_cycle/49': 0.058243509382009506,
    'lr/cosine_cycle/50': 0.050499994307756424,
    'lr/cosine_cycle/51': 0.04275648668408394,
    'lr/cosine_cycle/74': 0.021404633298516273,
    'lr/cosine_cycle/75': 0.015498215332627296,
    'lr/cosine_cycle/99': 0.0016094261081889272,
    'lr/cosine_cycle/100': 0.10000000149011612,
    'lr/cosine_cycle/150': 0.050499994307756424,
    'metric/miou/0': 0.1360916793346405,
    'metric/accuracy/0': 0.239130437374115,
    'metric/miou/1': 0.13585969805717468,
    'metric/accuracy/1': 0.23918575048446655,
    'metric/miou/2': 0.12392840534448624,
    'metric/accuracy/2': 0.22051282227039337,
}


def _compare(got, rtol):
    assert set(got) == set(REFERENCE)
    bad = {k: (got[k], REFERENCE[k]) for k in REFERENCE
           if not np.isclose(got[k], REFERENCE[k],
                             rtol=rtol * (10 if k.startswith("loss/lovasz") else 1),
                             atol=1e-9)}
    assert bad == {}


def test_tensorflow_gives_the_former_numbers():
    pytest.importorskip("tensorflow")
    _compare(reference_values(), 1e-6)


def test_tensorflow_fits_with_them():
    pytest.importorskip("tensorflow")
    mismatches, logs = fit_on_backend()
    assert mismatches == [] and set(logs) == set(LOSS_NAMES)
    assert all(np.isfinite(v) for h in logs.values() for values in h.values() for v in values)


def test_jax_gives_the_same_numbers():
    pytest.importorskip("jax")
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env.update(KERAS_BACKEND="jax", PYTHONPATH=os.pathsep.join([PLUGINS, HERE]),
               TF_CPP_MIN_LOG_LEVEL="2")
    script = textwrap.dedent("""
        import json, keras
        assert keras.backend.backend() == "jax"
        from test_keras_ops_port import fit_on_backend, reference_values
        print(json.dumps([reference_values(), *fit_on_backend()]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=env)  # nosec B603
    assert proc.returncode == 0, proc.stderr[-3000:]
    values, mismatches, logs = json.loads(proc.stdout.strip().splitlines()[-1])
    _compare(values, 1e-5)
    assert mismatches == []
    assert set(logs) == set(LOSS_NAMES)
    for name, history in logs.items():  # each epoch's loss and metrics
        assert {"loss", "miou", "accuracy"} <= set(history), (name, history)
        assert all(np.isfinite(v) for values in history.values() for v in values), name
        assert all(0 <= v <= 1 for k in ("miou", "accuracy") for v in history[k]), name


def test_no_tensorflow_at_import():
    """The three modules import Keras only (backend-neutral) when imported."""
    import ast

    for name in ("losses", "schedules", "train_metrics"):
        with open(os.path.join(ROOT, "engine", "train", name + ".py"), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module and not node.level}
        assert "tensorflow" not in imported, name


REGISTERED = ["semseg>BinaryCrossentropy", "semseg>CategoricalCrossentropy",
              "semseg>CosineCycle", "semseg>CrossentropyDiceLoss", "semseg>DiceLoss",
              "semseg>ExpDecay", "semseg>FocalLoss", "semseg>LovaszSoftmax", "semseg>MeanIoU",
              "semseg>PixelAccuracy", "semseg>PowerDecay", "semseg>ProgressiveDrops"]


def test_registered_names_and_configs_round_trip(tmp_path):
    """Files and checkpoints name these classes: their registered names and configs
    stay, and a compiled model with them reloads in safe mode, compiled."""
    keras = pytest.importorskip("keras")
    from semantic_segmentation.engine.train import losses, schedules, train_metrics

    objects = [losses.get_loss(name, 2, class_weights=[0.5, 2.0]) for name in LOSS_NAMES]
    objects += [schedules.make_schedule(mode, 0.1, 100, min_lr=0.001, cycle_steps=20)
                for mode in ("power_decay", "exp_decay", "progressive_drops", "cosine_cycle")]
    objects += train_metrics.keras_metrics(2)
    assert sorted(keras.saving.get_registered_name(type(o)) for o in objects) == REGISTERED
    for obj in objects:
        copy = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(obj),
                                                     safe_mode=True)
        assert type(copy) is type(obj) and copy.get_config() == obj.get_config()
    labels, probs, _, _ = _loss_inputs(2, seed=0)
    inputs = keras.Input((9, 11, 3))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 1, activation="softmax")(inputs))
    model.compile(keras.optimizers.Adam(objects[len(LOSS_NAMES) + 3]),
                  loss=losses.get_loss("lovasz", 2, class_weights=[0.5, 2.0]),
                  metrics=train_metrics.keras_metrics(2))
    model.optimizer.build(model.trainable_variables)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert isinstance(loaded.loss, losses.LovaszSoftmax)
    assert loaded.loss.class_weights == [0.5, 2.0]
    schedule = loaded.optimizer.get_config()["learning_rate"]
    assert schedule["registered_name"] == "semseg>CosineCycle"
    assert schedule["config"] == objects[len(LOSS_NAMES) + 3].get_config()
    assert float(loaded.loss(labels, probs)) == float(model.loss(labels, probs))
