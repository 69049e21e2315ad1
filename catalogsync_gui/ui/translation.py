"""Which language the window speaks, and loading its translation.

The window's texts are English in the code and translated by Qt: our own translation
(`resources/translations/catalogsync_gui_LANG.qm`, built from the `.ts` source by `make`
and by packaging/catalogsync-gui.spec) and Qt's for its standard buttons and dialogs
(`qtbase_LANG.qm`, shipped with PySide6). The language is `--lang` when given, else the
locale variables as POSIX orders them (LC_ALL, LC_MESSAGES, LANG), else the system
locale (Windows and macOS set no variables). Simplified Chinese is the one translation;
any other language shows English.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from catalogsync_gui.ui import wording
from catalogsync_gui.ui.icons import RESOURCES

log = logging.getLogger(__name__)
TRANSLATIONS = RESOURCES / "translations"
ENGLISH = "en"
LANGUAGES = (ENGLISH, "zh_CN")
# Locale names that mean Simplified Chinese (Singapore writes it too; zh_TW/zh_HK do not).
_SIMPLIFIED = ("zh_cn", "zh_sg", "zh_hans", "zh")


def language_of(locale_name: str | None) -> str:
    """`zh_CN` for `zh_CN.UTF-8`, `zh_Hans_CN` or `zh-CN`; `en` for anything else."""
    if not locale_name:
        return ENGLISH
    name = locale_name.split(".")[0].split("@")[0].replace("-", "_").lower()
    if name in _SIMPLIFIED or name.startswith("zh_hans"):
        return "zh_CN"
    return ENGLISH


def requested_language(lang: str | None = None,
                       environ: Mapping[str, str] | None = None) -> str:
    """The language to show: `lang` (from `--lang`), else the locale variables, else the
    system's locale."""
    if lang:
        return language_of(lang)
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if value:
            return language_of(value)
    return language_of(QLocale.system().name()) if environ is None else ENGLISH


def qm_path(language: str) -> Path:
    return TRANSLATIONS / f"catalogsync_gui_{language}.qm"


class _Installed:
    language = ENGLISH
    translators: ClassVar[list[QTranslator]] = []


def current_language() -> str:
    return _Installed.language


def install(language: str) -> str:
    """Make the application speak `language` (its translators replace any installed
    before); returns the language actually in use (`en` when the translation is missing,
    which is logged). Widgets built afterwards show the new language."""
    app = QCoreApplication.instance()
    for translator in _Installed.translators:
        app.removeTranslator(translator)
    _Installed.translators = []
    _Installed.language = ENGLISH
    if language != ENGLISH:
        ours = QTranslator(app)
        if ours.load(str(qm_path(language))):
            qt = QTranslator(app)
            if qt.load(f"qtbase_{language}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                app.installTranslator(qt)
                _Installed.translators.append(qt)
            app.installTranslator(ours)
            _Installed.translators.append(ours)
            _Installed.language = language
        else:
            log.warning("no %s translation at %s (run `make`); showing English",
                        language, qm_path(language))
    QLocale.setDefault(QLocale(_Installed.language) if _Installed.language != ENGLISH
                       else QLocale.system())
    wording.set_translated(_Installed.language != ENGLISH)
    return _Installed.language
