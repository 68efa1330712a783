"""Language and formatting: Vietnamese first, then English; dates dd/mm/yyyy; text in NFC."""

import unicodedata
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import format_datetime, format_decimal, get_locale
from flask_login import current_user

from fieldkit.catalogues import ensure_compiled
from fieldkit.extensions import babel


def init_app(app) -> None:
    """Compile missing catalogues, then wire Flask-Babel and the template helpers."""
    source = Path(app.root_path) / "translations"
    directory = ensure_compiled(source, fallback=Path(app.instance_path) / "translations")
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(directory))
    app.jinja_env.filters["datetime"] = lambda value: format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""
    app.jinja_env.filters["date"] = lambda value: format_datetime(value, "dd/MM/yyyy") if value else ""
    app.jinja_env.filters["number"] = lambda value: decimal(value) if value is not None else ""
    app.jinja_env.globals["group_sign"] = lambda: _group_sign(str(get_locale()))  # the page's, for its scripts


def decimal(value) -> str:
    """A number as Flask-Babel's format_decimal writes it; whole numbers (the tables' thousands of cells) with the
    locale's group sign directly, which is the same text at a small part of the cost."""
    if type(value) is int:
        text = f"{value:,}"
        group = _group_sign(str(get_locale()))
        return text if group == "," else text.replace(",", group)
    return format_decimal(value)


@lru_cache(maxsize=8)
def _group_sign(locale: str) -> str:
    return Locale.parse(locale).number_symbols["latn"]["group"]


def select_locale() -> str:
    """Use ?lang=, then the user's setting, then the cookie, then the browser's languages, then Vietnamese."""
    languages = current_app.config["FIELDKIT_LANGUAGES"]
    if not has_request_context():  # commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if request.cookies.get("lang") in languages:
        return request.cookies["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def nfc(text: str | None) -> str | None:
    """Return text in NFC, the one form Vietnamese text is stored and compared in."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def folded(text: str) -> str:
    """Text as a search compares it: without case or tone marks, đ as d ("Hòa Bình" and "hoa binh" match)."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def holds(text: str, words: list[str]) -> bool:
    """Whether text holds every one of the (folded) words, compared without case or tone marks."""
    haystack = folded(text)
    return all(word in haystack for word in words)


@lru_cache(maxsize=16384)  # names recur: every commune's and body's, on every coverage page
def sort_key(name: str) -> tuple[str, str]:
    """Order Vietnamese names as a reader expects (Ă, Â with A; Đ after D), the same on every database."""
    folded = unicodedata.normalize("NFD", name.casefold().replace("đ", "d\uffff"))
    return "".join(c for c in folded if not unicodedata.combining(c)), name
