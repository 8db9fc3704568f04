"""Translation: one Qt context for the whole plugin, zh_CN shipped in i18n/."""

import os

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

CONTEXT = "SemanticSegmentation"
I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")


def tr(text):
    """Translate a user-facing string."""
    return QCoreApplication.translate(CONTEXT, text)


def user_locale():
    """The locale QGIS runs in (its override setting first), e.g. 'zh_CN'."""
    settings = QSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        name = settings.value("locale/userLocale", "") or ""
    else:
        name = QLocale.system().name()
    return name or "en"


def install_translator(locale=None):
    """Load ``i18n/semseg_<locale>.qm`` (or its language) if shipped.

    Returns the installed QTranslator (keep a reference) or None.
    """
    locale = locale or user_locale()
    for name in (locale, locale.split("_")[0]):
        path = os.path.join(I18N_DIR, f"semseg_{name}.qm")
        if os.path.exists(path):
            translator = QTranslator()
            if translator.load(path):
                QCoreApplication.installTranslator(translator)
                return translator
    return None


def tr_engine(template, values=None, fallback=None):
    """An engine message (``str.format`` template + values) in the user's language.

    The engine stays free of Qt: its errors and log lines carry an English
    template with named fields and their values (engine/errors.py). Here the
    template goes through :func:`tr` and is filled in; should the translation
    not format (a broken placeholder), the English template is used, and
    failing that ``fallback`` (the engine's own English text) or the template.
    """
    values = dict(values or {})
    template = str(template)
    for text in (tr(template), template):
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            continue
    return template if fallback is None else str(fallback)


def tr_message(message):
    """The translated text of what the engine says: a SegError or a progress
    Message (each carries its template and values); the plain text of anything
    else (another error, a line without a template)."""
    template = getattr(message, "template", None)
    if not template:
        return str(message)
    return tr_engine(template, getattr(message, "values", None), fallback=str(message))
