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
