#!/usr/bin/env python3
"""Keep i18n/semseg_<locale>.ts in step with the plugin's tr() strings.

    python scripts/i18n.py update zh_CN   # add new strings, drop vanished ones
    python scripts/i18n.py check zh_CN    # list strings without a translation

Strings are found with Python's ast: literal arguments of ``tr(...)`` /
``self.tr(...)`` calls and the ``DISPLAY`` / ``HELP`` class attributes of the
algorithms (which the base class passes through ``tr``), and in engine/ the
message templates: the first (literal) argument of ``InputError(...)``,
the template of a ``return (template, values)`` (models/catalog.py's checks),
``SegError(...)``, ``Cancelled(...)``, ``progress.info(...)`` and ``progress.warning(...)``, which the
plugin translates with ``tr_engine`` (named ``{field}`` placeholders), and the labels of
the option table (the second, literal argument of ``Option(...)``, engine/options.py)
and the templates given to ``jsonable.read_file(path, template)``,
which the dialogs pass through ``tr``. The .qm is built
from the .ts with Qt's ``lrelease`` (``make i18n``).
"""

import ast
import os
import sys
import xml.etree.ElementTree as ET  # nosec B405 - our own .ts files only

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ("seg_plugin", "algorithms")
# models/catalog.py: the network-name checks the engine raises (pair_problem's
# (template, values) pairs).
ENGINE_SOURCES = ("engine", os.path.join("models", "catalog.py"))
ENGINE_MESSAGE_CALLS = ("InputError", "SegError", "Cancelled")
CONTEXT = "SemanticSegmentation"
TRANSLATED_ATTRIBUTES = ("DISPLAY", "HELP")


def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def strings_in(path):
    """The translatable strings of one Python file, in source order."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "tr" and node.args:
                text = _literal(node.args[0])
                if text:
                    found.append((node.lineno, text))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if (isinstance(item, ast.Assign) and len(item.targets) == 1
                        and getattr(item.targets[0], "id", None) in TRANSLATED_ATTRIBUTES):
                    text = _literal(item.value)
                    if text:
                        found.append((item.lineno, text))
    return [text for _, text in sorted(found)]


def engine_strings_in(path):
    """The message templates of one engine file, in source order."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)
                and len(node.value.elts) == 2 and isinstance(node.value.elts[1], ast.Dict)):
            text = _literal(node.value.elts[0])  # return (template, values)
            if text:
                found.append((node.lineno, text))
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if ((isinstance(func, ast.Name) and func.id in ENGINE_MESSAGE_CALLS)
                    or (isinstance(func, ast.Attribute)
                        and func.attr in ("info", "warning", "Message"))):
                text = _literal(node.args[0])
                if text:
                    found.append((node.lineno, text))
            elif (isinstance(func, ast.Attribute) and func.attr == "read_file"
                  and len(node.args) > 1):
                text = _literal(node.args[1])  # jsonable.read_file(path, template)
                if text:
                    found.append((node.lineno, text))
            elif isinstance(func, ast.Name) and func.id == "Option" and len(node.args) > 1:
                text = _literal(node.args[1])  # an option's label
                if text:
                    found.append((node.lineno, text))
    return [text for _, text in sorted(found)]


def _collect(sources):
    """Strings found by each ``(folder, extract)`` pair, each once, in a stable order."""
    seen, ordered = set(), []
    for folder, extract in sources:
        if folder.endswith(".py"):
            for text in extract(os.path.join(ROOT, folder)):
                if text not in seen:
                    seen.add(text)
                    ordered.append(text)
            continue
        for dirpath, _dirs, files in sorted(os.walk(os.path.join(ROOT, folder))):
            for name in sorted(files):
                if name.endswith(".py"):
                    for text in extract(os.path.join(dirpath, name)):
                        if text not in seen:
                            seen.add(text)
                            ordered.append(text)
    return ordered


def engine_strings():
    """The engine's message templates, each once (a subset of plugin_strings)."""
    return _collect((folder, engine_strings_in) for folder in ENGINE_SOURCES)


def plugin_strings():
    """Every translatable string of the plugin, each once, in a stable order."""
    return _collect([(folder, strings_in) for folder in SOURCES]
                    + [(folder, engine_strings_in) for folder in ENGINE_SOURCES])


def ts_path(locale):
    return os.path.join(ROOT, "i18n", f"semseg_{locale}.ts")


def read_translations(path):
    """{source: translation} of a .ts file ('' where unfinished)."""
    if not os.path.exists(path):
        return {}
    tree = ET.parse(path)  # nosec B314 - our own file
    result = {}
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        done = translation is not None and translation.get("type") not in ("unfinished",
                                                                              "obsolete")
        result[source] = (translation.text or "") if done else ""
    return result


def write_ts(path, locale, strings, translations):
    ts = ET.Element("TS", version="2.1", language=locale)
    context = ET.SubElement(ts, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for text in strings:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        translation = ET.SubElement(message, "translation")
        value = translations.get(text, "")
        if value:
            translation.text = value
        else:
            translation.set("type", "unfinished")
    ET.indent(ts)
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        f.write(ET.tostring(ts, encoding="utf-8"))
        f.write(b"\n")


def untranslated(locale):
    translations = read_translations(ts_path(locale))
    return [s for s in plugin_strings() if not translations.get(s)]


def main(argv):
    if len(argv) != 2 or argv[0] not in ("update", "check"):
        print(__doc__)
        return 2
    command, locale = argv
    if command == "update":
        path = ts_path(locale)
        write_ts(path, locale, plugin_strings(), read_translations(path))
    missing = untranslated(locale)
    for text in missing:
        print(f"untranslated: {text[:90]!r}")
    print(f"{len(plugin_strings())} strings, {len(missing)} untranslated ({locale})")
    return 1 if (command == "check" and missing) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
