"""Engine messages reach the user through tr(): translated, or English as a fallback."""

import contextlib

import pytest

TEMPLATE = "The {role} file {path} does not exist."
VALUES = {"role": "image", "path": "/data/a.tif"}
ENGLISH = "The image file /data/a.tif does not exist."


@contextlib.contextmanager
def installed(translator):
    from qgis.PyQt.QtCore import QCoreApplication

    QCoreApplication.installTranslator(translator)
    try:
        yield translator
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture
def zh_cn(qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication

    from semantic_segmentation.seg_plugin.i18n import install_translator

    translator = install_translator("zh_CN")
    assert translator is not None
    yield translator
    QCoreApplication.removeTranslator(translator)


def _broken_translator(text):
    """A translator that answers ``text`` (a bad template) for every source."""
    from qgis.PyQt.QtCore import QTranslator

    class Broken(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return text

        def isEmpty(self):  # noqa: N802 (Qt's name)
            return False

    return Broken()


def test_without_translation_the_english_text_comes_back(qgis_app):
    from semantic_segmentation.seg_plugin.i18n import tr_engine

    assert tr_engine(TEMPLATE, VALUES) == ENGLISH
    assert tr_engine("plain text", {}) == "plain text"
    assert tr_engine("{n:.2f} s", {"n": 1.5}) == "1.50 s"


def test_zh_cn_translates_and_fills_in_the_values(zh_cn):
    from semantic_segmentation.seg_plugin.i18n import tr_engine

    text = tr_engine(TEMPLATE, VALUES)
    assert text != ENGLISH and "/data/a.tif" in text and "image" in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("bad", ["{missing} 不存在", "{role", "{path:d}", "{0}"])
def test_a_translation_that_does_not_format_falls_back_to_english(qgis_app, bad):
    from semantic_segmentation.seg_plugin.i18n import tr, tr_engine

    with installed(_broken_translator(bad)):
        assert tr(TEMPLATE) == bad  # the broken translation is really in use
        assert tr_engine(TEMPLATE, VALUES) == ENGLISH


def test_a_template_that_does_not_format_falls_back_to_the_message(qgis_app):
    from semantic_segmentation.seg_plugin.i18n import tr_engine

    assert tr_engine("{missing}", {}, fallback="English text") == "English text"
    assert tr_engine("{missing}", {}) == "{missing}"


def test_run_engine_raises_the_translated_error(zh_cn):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from semantic_segmentation.algorithms.base import SegAlgorithm
    from semantic_segmentation.engine.errors import InputError

    def failing(progress=None):
        raise InputError(TEMPLATE, **VALUES)

    with pytest.raises(QgsProcessingException) as err:
        SegAlgorithm().run_engine(failing, QgsProcessingFeedback())
    message = str(err.value)
    assert message != ENGLISH and "/data/a.tif" in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_engine_log_lines_are_translated(zh_cn):
    from qgis.core import QgsProcessingFeedback

    from semantic_segmentation.algorithms.base import feedback_progress

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):  # noqa: N802 (QGIS's name)
            self.lines.append(info)
            super().pushInfo(info)

    fb = Recording()
    progress = feedback_progress(fb)
    progress.info("Fine-tuning {model} + {encoder} from {init_model}.",
                  model="unet", encoder="resnet18", init_model="/m.keras")
    progress.info("an untranslated plain line")
    assert fb.lines[1] == "an untranslated plain line"
    assert "unet" in fb.lines[0] and "/m.keras" in fb.lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in fb.lines[0])


def test_worker_error_and_log_lines_are_translated(zh_cn):
    from qgis.core import QgsProcessingException

    from semantic_segmentation.seg_plugin.worker_client import WorkerRun

    logged = []

    class Feedback:
        def pushInfo(self, text):  # noqa: N802
            logged.append(text)

    run = WorkerRun("predict", {}, Feedback(), python="python3")
    run._handle({"type": "log", "level": "info", "message": "Predicted 2 x 3 pixels",
                 "template": "Predicted {width} x {height} pixels in {n_windows} window(s) "
                             "({empty} empty and {outside} outside the extent skipped), "
                             "{seconds:.1f} s.",
                 "values": {"width": 2, "height": 3, "n_windows": 1, "empty": 0, "outside": 0,
                            "seconds": 0.25}})
    run._handle({"type": "log", "level": "info", "message": "old-style line"})
    assert logged[1] == "old-style line"
    assert "0.2" in logged[0] and any("\u4e00" <= ch <= "\u9fff" for ch in logged[0])
    run._handle({"type": "error", "kind": "input", "message": ENGLISH,
                 "template": TEMPLATE, "values": VALUES})
    with pytest.raises(QgsProcessingException) as err:
        run._outcome(2)
    assert "/data/a.tif" in str(err.value) and str(err.value) != ENGLISH
    # a template the values do not fill: the English message, as the worker wrote it
    run.error = {"type": "error", "kind": "input", "message": ENGLISH,
                 "template": "The {role} file {path} does not exist.", "values": {}}
    with pytest.raises(QgsProcessingException) as err:
        run._outcome(2)
    assert str(err.value) == ENGLISH
