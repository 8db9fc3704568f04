"""engine/jsonable.py: numpy values become plain JSON."""

import json

import numpy as np

from semantic_segmentation.engine.jsonable import jsonable, scalar


def test_arrays_of_any_size_and_scalars_serialise():
    data = {"many": np.arange(3), "one": np.array([7]), "zero_d": np.array(2.5),
            "scalar": np.float32(0.5), "int": np.int64(4), "nested": [np.uint8(1)],
            "matrix": np.eye(2, dtype=np.int64), "other": object}
    out = json.loads(json.dumps(data, default=jsonable))
    assert out["many"] == [0, 1, 2] and out["one"] == [7] and out["zero_d"] == 2.5
    assert out["scalar"] == 0.5 and out["int"] == 4 and out["nested"] == [1]
    assert out["matrix"] == [[1, 0], [0, 1]] and "object" in out["other"]


def test_message_values_become_json_scalars():
    assert scalar(np.int32(3)) == 3 and type(scalar(np.int32(3))) is int
    assert scalar("x") == "x" and scalar(None) is None
    assert scalar(np.arange(2)) == "[0 1]"
