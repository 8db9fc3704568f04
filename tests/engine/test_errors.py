"""Engine messages are translatable templates: fields and values agree.

Every SegError the engine raises and every ``progress.info`` line takes a
``str.format`` template (a string literal, the first argument, so
scripts/i18n.py can list it for translators) plus keyword values; here an
AST scan checks that the template's fields are exactly the keywords given.
"""

import ast
import glob
import os
import string

import pytest

from semantic_segmentation.engine.errors import Cancelled, InputError, SegError
from semantic_segmentation.engine.progress import Message, Progress

ENGINE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "engine")
ERRORS = {"InputError", "SegError", "Cancelled"}


def _template(node):
    """The literal template of a call's first argument (None when not a literal)."""
    if node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def _dict_keywords(tree):
    """{name: keyword names} of ``name = dict(k=...)`` assignments (for ``**name``)."""
    found = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "dict"):
            found[node.targets[0].id] = {k.arg for k in node.value.keywords if k.arg}
    return found


def _message_calls():
    for path in sorted(glob.glob(os.path.join(ENGINE, "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        splats = _dict_keywords(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "read_file" \
                    and len(node.args) > 1:
                # jsonable.read_file(path, template): InputError(template, path=, error=)
                node = ast.Call(func=func, args=[node.args[1]], keywords=[
                    ast.keyword(arg="path", value=node.args[0]),
                    ast.keyword(arg="error", value=ast.Constant(None))], lineno=node.lineno)
                kind = "read_file"
            elif (os.path.basename(path) in ("jsonable.py", "options.py")
                    and isinstance(func, ast.Name)
                    and func.id in ERRORS and node.args
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == "template"):
                continue  # read_file's and check_network's pass-through: the templates
                # are checked where they are written (read_file's callers, the catalog)
            elif isinstance(func, ast.Name) and func.id in ERRORS:
                kind = func.id
            elif isinstance(func, ast.Attribute) and func.attr in ("info", "warning"):
                kind = func.attr
            else:
                continue
            yield f"{os.path.relpath(path, ENGINE)}:{node.lineno}", kind, node, splats


def _fields(template):
    return {name.split(".")[0].split("[")[0]
            for _text, name, _spec, _conv in string.Formatter().parse(template)
            if name is not None}


def test_every_engine_message_is_a_literal_template_with_matching_values():
    calls = list(_message_calls())
    assert len(calls) > 150
    problems = []
    for where, kind, node, splats in calls:
        if kind == "Cancelled" and not node.args:
            continue  # the default "Cancelled by the user."
        template = _template(node)
        if template is None:
            problems.append(f"{where}: the template is not a string literal")
            continue
        if any(isinstance(a, ast.JoinedStr) for a in node.args):
            problems.append(f"{where}: f-string")
        try:
            fields = _fields(template)
        except ValueError as exc:
            problems.append(f"{where}: bad template {template!r}: {exc}")
            continue
        names = set()
        for keyword in node.keywords:
            if keyword.arg is not None:
                names.add(keyword.arg)
            elif isinstance(keyword.value, ast.Name) and keyword.value.id in splats:
                names |= splats[keyword.value.id]
            else:
                problems.append(f"{where}: **{ast.unparse(keyword.value)} cannot be checked")
        if "" in fields or any(name.isdigit() for name in fields):
            problems.append(f"{where}: positional field in {template!r}")
        if fields != names:
            problems.append(f"{where}: fields {sorted(fields)} != values {sorted(names)}")
    assert problems == []


def test_error_keeps_english_text_template_and_values():
    exc = InputError("The {role} file {path} does not exist.", role="image", path="/a.tif")
    assert str(exc) == "The image file /a.tif does not exist."
    assert exc.template == "The {role} file {path} does not exist."
    assert exc.values == {"role": "image", "path": "/a.tif"}
    assert isinstance(exc, SegError)


def test_plain_messages_still_work():
    assert str(SegError("Something {odd} happened")) == "Something {odd} happened"
    assert str(InputError("plain")) == "plain" and InputError("plain").values == {}
    assert str(Cancelled()) == "Cancelled by the user."
    assert str(InputError("a {{literal}} brace and {n:.1f}", n=2)) == \
        "a {literal} brace and 2.0"


def test_progress_info_passes_a_message_with_template_and_values():
    lines = []
    progress = Progress(log=lines.append)
    progress.info("Reading {n} chips ({share:.0%})", n=3, share=0.5)
    progress.info("plain text")
    assert lines == ["Reading 3 chips (50%)", "plain text"]
    assert isinstance(lines[0], Message)
    assert lines[0].template == "Reading {n} chips ({share:.0%})"
    assert lines[0].values == {"n": 3, "share": 0.5}
    assert lines[1].template == "plain text" and lines[1].values == {}


def test_worker_lines_carry_template_and_json_values(tmp_path):
    import io
    import json

    import numpy as np

    from semantic_segmentation.engine.runtime import worker

    stream = io.StringIO()
    channel = worker.Channel(stream)
    assert worker.run_job({"task": "nope"}, channel) == 2
    progress = worker.make_progress(channel, None or worker._CancelFlag())
    progress.info("{n} chips of {size:.1f} in {path}", n=np.int64(4), size=np.float32(2.5),
                  path=tmp_path)
    error, log = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert error["template"] == "Unknown task {task}; expected one of {tasks}."
    assert error["template"].format(**error["values"]) == error["message"]
    assert log["values"] == {"n": 4, "size": 2.5, "path": str(tmp_path)}
    assert log["template"].format(**log["values"]) == log["message"]


def test_worker_progress_lines_carry_the_reports_extras():
    """Training's step, epoch and metrics travel in the worker's progress line,
    through Progress (no side channel), mapped onto a sub-range like the fraction."""
    import io
    import json

    from semantic_segmentation.engine.runtime import worker

    stream = io.StringIO()
    progress = worker.make_progress(worker.Channel(stream), worker._CancelFlag())
    progress.sub(0.5, 1.0)(0.5, step=3, epoch=1, metrics={"loss": 0.25})
    progress(1.0)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines == [{"type": "progress", "fraction": 0.75, "step": 3, "epoch": 1,
                      "metrics": {"loss": 0.25}},
                     {"type": "progress", "fraction": 1.0}]


@pytest.mark.parametrize("template", ["{a} and {b!r:>5}", "x {{y}} {z[0]}"])
def test_field_names(template):
    assert _fields(template) <= {"a", "b", "z"}


# ---------------------------------------------------------------- GDAL's exception mode
# Another plugin may call gdal.UseExceptions() (GDAL 4 makes it the default):
# each failure below must read the same with GDAL's exceptions on and off.

def _input_error(function, *args, **kwargs):
    with pytest.raises(InputError) as info:
        function(*args, **kwargs)
    return str(info.value)


@pytest.fixture
def text_tif(tmp_path):
    path = tmp_path / "text.tif"
    path.write_text("not a raster")
    return str(path)


@pytest.fixture
def small_tif(tmp_path):
    from rasters import write_raster

    import numpy as np

    return write_raster(tmp_path / "small.tif", np.zeros((8, 8), np.uint8))


def test_gdal_call_returns_none_where_gdal_fails(gdal_exceptions, text_tif):
    from osgeo import gdal

    from semantic_segmentation.engine.data import raster

    assert raster.gdal_call(gdal.Open, text_tif) is None
    assert "not recognized" in raster.last_error("?")
    assert raster.gdal_call(gdal.OpenEx, text_tif, gdal.OF_VECTOR) is None
    assert not raster.gdal_ok(raster.osr.SpatialReference().ImportFromWkt, "garbage")
    assert raster.srs_from_wkt("garbage") is None


def test_open_raster_names_a_file_gdal_cannot_open(gdal_exceptions, text_tif):
    from semantic_segmentation.engine.data import raster

    message = _input_error(raster.open_raster, text_tif, role="image")
    assert message.startswith(f"GDAL cannot open the image {text_tif}: ")
    assert "not recognized as a supported file format" in message  # GDAL's reason, both modes


def test_read_outside_the_raster_names_it(gdal_exceptions, small_tif):
    from semantic_segmentation.engine.data import raster

    ds = raster.open_raster(small_tif)
    message = _input_error(raster.read_window, ds, raster.Window(4, 4, 8, 8))
    assert small_tif in message and "could not read" in message
    message = _input_error(raster.read_band_window, ds.GetRasterBand(1),
                           raster.Window(4, 4, 8, 8))
    assert small_tif in message


def test_write_to_a_read_only_raster_names_it(gdal_exceptions, small_tif):
    import numpy as np

    from semantic_segmentation.engine.data import raster

    ds = raster.open_raster(small_tif)
    message = _input_error(raster.write_window, ds, np.ones((2, 2), np.uint8),
                           raster.Window(0, 0, 2, 2))
    assert small_tif in message and "could not write" in message


def test_create_under_a_file_names_the_folder(gdal_exceptions, tmp_path):
    from semantic_segmentation.engine.data import raster

    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    message = _input_error(raster.create, blocker / "sub" / "out.tif", 4, 4, 1, "uint8")
    assert str(blocker / "sub") in message


def test_partial_outputs_and_reports_under_a_file_name_the_path(gdal_exceptions, tmp_path):
    from semantic_segmentation.engine import outputs

    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = blocker / "report.html"
    with pytest.raises(InputError) as info:
        with outputs.writing(target):
            pass
    assert str(target) in str(info.value)
    assert str(blocker) in _input_error(outputs.check_writable, target)
    assert "a file has that name" in _input_error(outputs.check_writable, blocker, folder=True)
    assert "is a folder" in _input_error(outputs.check_writable, tmp_path)
    outputs.check_writable(tmp_path / "new" / "deeper" / "out.tif")  # creatable: fine
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("text, needle", [
    ("{ not json", "Cannot read the dataset description"),
    ("[]", "is not a dataset description made by Tile Dataset"),
    ('{"format": "coco"}', "is not a dataset description made by Tile Dataset"),
    ('{"format": "semseg-dataset"}', "'version'"),
    ('{"format": "semseg-dataset", "version": 7}', "is version 7"),
    ('{"format": "semseg-dataset", "version": 1, "tile_size": 32}', "incomplete or invalid"),
    ('{"format": "semseg-dataset", "version": 1, "tile_size": 32, "bands": 1, '
     '"mean": [0], "std": [1], "classes": [1, 2]}', "incomplete or invalid"),
])
def test_bad_dataset_json_is_named_by_both_readers(tmp_path, text, needle):
    from semantic_segmentation.engine.data import dataset, tiling

    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "dataset.json").write_text(text)
    (folder / "train.txt").write_text("a\n")
    path = str(folder / "dataset.json")
    for message in (_input_error(dataset.read_info, folder),
                    _input_error(tiling._load_dataset, str(folder))):
        assert path in message and needle in message


def test_evaluate_names_an_empty_or_unmatched_folder(gdal_exceptions, tmp_path, small_tif):
    import shutil

    from semantic_segmentation.engine.evaluate import metrics

    preds, refs = tmp_path / "preds", tmp_path / "refs"
    preds.mkdir()
    refs.mkdir()
    shutil.copy(small_tif, refs / "a.tif")
    message = _input_error(metrics.evaluate, preds, refs)
    assert f"The prediction folder {preds} holds no rasters" in message
    shutil.copy(small_tif, preds / "b.tif")
    assert "same name" in _input_error(metrics.evaluate, preds, refs)
    (preds / "a.tif").write_text("not a raster")
    assert f"GDAL cannot open the prediction {preds / 'a.tif'}" in \
        _input_error(metrics.evaluate, preds, refs)


def test_predict_mask_ogr_cannot_open_is_named(gdal_exceptions, tmp_path):
    from semantic_segmentation.engine.predict import prediction

    mask = tmp_path / "mask.gpkg"
    mask.write_text("not a GeoPackage")
    assert f"OGR cannot open the mask {mask}" in _input_error(prediction._open_mask, str(mask))


def test_polygons_under_a_file_name_the_vector_file(gdal_exceptions, tmp_path, small_tif):
    from semantic_segmentation.engine.data import raster, vectorize

    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    band = raster.open_raster(small_tif).GetRasterBand(1)
    target = str(blocker / "classes.gpkg")
    assert f"Cannot create the vector file {target}" in \
        _input_error(vectorize.polygonize, band, target, {0: "zero"})


def _raised(wrap):
    try:
        wrap()
    except Exception as exc:  # noqa: BLE001 - the test keeps what was raised
        return exc
    raise AssertionError("nothing raised")


def test_a_cancel_a_library_wrapped_is_still_reported_as_cancelled():
    """The worker's cancel is raised from a signal handler and can land inside
    TensorFlow's input binding, which re-raises it as a TypeError (seen in CI:
    'Binding inputs to tf.function failed due to `Cancelled by the user.`')."""
    import io
    import json

    from semantic_segmentation.engine.errors import Cancelled, cancel_behind
    from semantic_segmentation.engine.runtime import worker

    def tf_like():  # raise ... from e, as TensorFlow does
        try:
            raise Cancelled()
        except Exception as e:
            raise TypeError(f"Binding inputs to tf.function failed due to `{e}`.") from e

    def implicit():  # raised while handling it, no `from`
        try:
            raise Cancelled()
        except Exception:
            raise RuntimeError("cleanup failed")  # noqa: B904 - the point of the test

    for wrap in (tf_like, implicit):
        exc = _raised(wrap)
        assert isinstance(cancel_behind(exc), Cancelled)
        stream = io.StringIO()
        assert worker._report_error(exc, worker.Channel(stream)) == 3
        line = json.loads(stream.getvalue())
        assert line["kind"] == "cancelled" and line["message"] == "Cancelled by the user."
    plain = _raised(lambda: int("x"))
    assert cancel_behind(plain) is None
    stream = io.StringIO()
    assert worker._report_error(plain, worker.Channel(stream)) == 1
    assert json.loads(stream.getvalue())["kind"] == "internal"
