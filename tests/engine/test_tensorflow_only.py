"""engine/tensorflow_only.py holds what only TensorFlow does: no other module of the
engine or the models imports TensorFlow (or tf2onnx), nothing imports the module at
its top (so QGIS's process never loads it), and its Keras-on-TensorFlow functions
refuse another Keras backend with an InputError naming it."""

import ast
import json
import os
import subprocess  # nosec B404 - a child Python, list argv
import sys
import textwrap

import numpy as np
import pytest

from semantic_segmentation.engine import tensorflow_only
from semantic_segmentation.engine.errors import InputError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
HOME = "engine/tensorflow_only.py"
TENSORFLOW = ("tensorflow", "tf2onnx")
# Modules that still import TensorFlow themselves, each with its reason; drop an
# entry when its module stops (the scan below then keeps it out).
ALLOWED = {
    # models/ never imports engine/. keras.ops.image.resize checks its size in Python
    # (`if size[0] <= 0`), which raises OperatorNotAllowedInGraphError for a symbolic
    # size inside tf.function (Keras 3.15.1: predict at a second window size, any
    # export or tf.function with free height and width), so ResizeLike calls
    # tf.image.resize on TensorFlow.
    "models/layers.py": "ResizeLike: tf.image.resize",
}


def _sources(*folders):
    for folder in folders:
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(dirpath, name)
                    yield os.path.relpath(path, ROOT).replace(os.sep, "/"), path


def _parse(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), path)


def _imports(tree):
    """``(module, at top)`` for each import in ``tree``: statements, and
    importlib.import_module / __import__ of a literal name."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, id(node) in top) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield node.module, id(node) in top
            else:  # from .. import tensorflow_only; from ..tensorflow_only import x
                yield from ((f"{'.' * node.level}{node.module or ''}.{alias.name}",
                             id(node) in top) for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and \
                isinstance(node.args[0], ast.Constant) and \
                isinstance(node.args[0].value, str) and \
                (getattr(node.func, "attr", None) == "import_module" or
                 getattr(node.func, "id", None) == "__import__"):
            yield node.args[0].value, False


def tensorflow_importers(folders=("engine", "models")):
    return sorted(rel for rel, path in _sources(*folders)
                  if any(module.split(".")[0] in TENSORFLOW
                         for module, _ in _imports(_parse(path))))


def test_only_tensorflow_only_imports_tensorflow():
    assert [rel for rel in tensorflow_importers() if rel != HOME
            and rel not in ALLOWED] == []
    assert HOME in tensorflow_importers()


def test_the_scan_finds_a_planted_import():
    tree = ast.parse("import os\ndef f():\n    from tensorflow import config\n"
                     "    importlib.import_module('tf2onnx')\n")
    assert [m for m, _ in _imports(tree) if m.split(".")[0] in TENSORFLOW] == \
        ["tensorflow", "tf2onnx"]


def test_imported_only_inside_functions_and_never_by_qgis_side():
    """Nothing imports tensorflow_only at its top; seg_plugin and algorithms (QGIS's
    process) never import it; it imports only the standard library and errors."""
    at_top, qgis_side = [], []
    for rel, path in _sources("engine", "models", "seg_plugin", "algorithms"):
        for module, top in _imports(_parse(path)):
            if "tensorflow_only" in module.split("."):
                if top:
                    at_top.append(rel)
                if rel.startswith(("seg_plugin/", "algorithms/")):
                    qgis_side.append(rel)
    assert at_top == [] and qgis_side == []
    home = _parse(os.path.join(ROOT, HOME))
    assert [m for m, top in _imports(home) if top] == [".errors.InputError"]


def test_keras_on_tensorflow_functions_refuse_another_backend(monkeypatch):
    monkeypatch.setattr(tensorflow_only, "keras_backend", lambda: "jax")
    calls = {"window_forward": lambda: tensorflow_only.window_forward(None, (8, 8), 3),
             "grow_gpu_memory": tensorflow_only.grow_gpu_memory,
             "limit_threads": lambda: tensorflow_only.limit_threads(2)}
    for name, call in calls.items():
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.values == {"function": f"tensorflow_only.{name}",
                                       "backend": "jax"}
        assert str(caught.value).startswith(f"tensorflow_only.{name} needs Keras on "
                                            "TensorFlow; the engine backend is jax.")


def test_window_forward_is_the_network_on_tensorflow():
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("Keras runs on another backend here")
    from semantic_segmentation.engine.predict import predictors

    inputs = keras.Input((None, None, 3))
    net = keras.Model(inputs, keras.layers.Conv2D(4, 3, padding="same",
                                                  activation="softmax")(inputs))
    x = np.random.default_rng(0).normal(size=(3, 16, 16, 3)).astype(np.float32)
    predictor = predictors.KerasPredictor(net, (16, 16), 3)
    got = predictor(x)
    assert got.dtype == np.float32 and got.shape == (3, 16, 16, 4)
    np.testing.assert_allclose(got, np.asarray(net(x, training=False)), atol=1e-6)
    assert predictor(x[:1]).shape == (1, 16, 16, 4)  # any batch size


def test_on_jax_the_tensorflow_predictor_says_so_and_devices_still_list():
    """In a JAX engine: the TensorFlow predictor is an InputError naming JAX, while
    the self-check still lists TensorFlow's devices."""
    pytest.importorskip("jax")
    pytest.importorskip("tensorflow")
    script = textwrap.dedent("""
        import json
        from semantic_segmentation.engine import backends
        from semantic_segmentation.engine.errors import InputError
        from semantic_segmentation.engine.predict import predictors
        try:
            predictors.KerasPredictor(None, (8, 8), 3)
            message = None
        except InputError as exc:
            message = str(exc)
        print(json.dumps({"message": message,
                          "devices": backends.devices("tensorflow")[-1]["type"]}))
    """)
    env = {k: v for k, v in os.environ.items() if k != "SEMSEG_BACKEND"}
    env.update(KERAS_BACKEND="jax", PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True,  # nosec B603
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["message"].startswith("tensorflow_only.window_forward needs Keras on "
                                       "TensorFlow; the engine backend is jax.")
    assert facts["devices"] == "CPU"
