"""The zh_CN translation is complete and the plugin loads it."""

import os
import string
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import i18n as i18n_tool  # noqa: E402

QM = os.path.join(ROOT, "i18n", "semseg_zh_CN.qm")


@pytest.fixture(scope="module")
def translator(qgis_app):
    from qgis.PyQt.QtCore import QTranslator

    t = QTranslator()
    assert t.load(QM), f"cannot load {QM}"
    return t


def test_every_user_facing_string_has_a_zh_cn_translation(translator):
    strings = i18n_tool.plugin_strings()
    assert len(strings) > 100
    # QTranslator takes the source as UTF-8 bytes (a str would be encoded as ASCII).
    missing = [s for s in strings
               if not translator.translate(i18n_tool.CONTEXT, s.encode("utf-8"))]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:3]}"


def test_ts_source_matches_the_code():
    """The .ts lists exactly the strings in the code (run `make i18n` if not)."""
    in_ts = set(i18n_tool.read_translations(i18n_tool.ts_path("zh_CN")))
    assert in_ts == set(i18n_tool.plugin_strings())


def _named_fields(text):
    """The ``{name...}`` fields (with their format specs) of a str.format template."""
    return {(name, spec) for _literal, name, spec, _conv in string.Formatter().parse(text)
            if name and not name.isdigit()}


def test_placeholders_survive_translation():
    translations = i18n_tool.read_translations(i18n_tool.ts_path("zh_CN"))
    for source, text in translations.items():
        for i in range(10):
            token = "{%d" % i
            assert (token in source) == (token in text), (source, text)


def test_named_placeholders_survive_translation():
    """Engine templates: the same {name:spec} fields in source and translation."""
    translations = i18n_tool.read_translations(i18n_tool.ts_path("zh_CN"))
    engine = set(i18n_tool.engine_strings())
    assert len(engine) > 150
    checked = 0
    for source, text in translations.items():
        try:
            fields = _named_fields(source)
        except ValueError:
            assert source not in engine, f"engine template does not parse: {source!r}"
            continue  # a plain tr() string with a stray brace
        if not fields and source not in engine:
            continue
        assert _named_fields(text) == fields, (source, text)
        values = {name: 1 for name, _spec in fields}
        assert text.format(**values), source  # the translation formats like the source
        checked += 1
    assert checked >= len(engine)


def test_algorithms_show_in_chinese_under_zh_cn(qgis_app):
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    from semantic_segmentation.seg_plugin.i18n import install_translator

    translator = install_translator("zh_CN")
    try:
        alg = QgsApplication.processingRegistry().algorithmById("semseg:trainmodel")
        fresh = alg.create()
        assert fresh.displayName() != "Train Model"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in fresh.displayName())
    finally:
        QCoreApplication.removeTranslator(translator)
