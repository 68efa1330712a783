"""Compile the translation catalogues (.po → .mo) when they are missing or older than their source.

`make translations` compiles them for development, but an installation started straight from a clone
(`pip install -r requirements.txt && gunicorn app:app`) has only the .po files, and gettext then falls back to
the English msgids. So the app compiles what is missing at start-up, with babel's own reader and writer. When
the package folder cannot be written (a read-only install), every catalogue is compiled into a folder under the
instance path instead, and that folder is the one the app reads.
"""

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
CATALOGUE = Path("LC_MESSAGES") / "messages"


def stale(po: Path, mo: Path) -> bool:
    """Whether mo is missing or older than po."""
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_one(po: Path, mo: Path) -> None:
    """Compile po into mo atomically, so a second worker starting at the same time never reads half a file."""
    from babel.messages.mofile import write_mo  # babel's catalogue tools load only when one is stale
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name)
    mo.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
    except BaseException:
        os.unlink(temporary)
        raise


def ensure_compiled(source: Path, fallback: Path) -> Path:
    """Compile the stale catalogues under source; return the folder to read them from (source or fallback)."""
    sources = sorted(source.glob(f"*/{CATALOGUE}.po"))
    todo = [po for po in sources if stale(po, po.with_suffix(".mo"))]
    if not todo:
        return source
    if all(os.access(po.parent, os.W_OK) for po in todo):
        for po in todo:
            compile_one(po, po.with_suffix(".mo"))
            log.info("compiled %s", po)
        return source
    for po in sources:  # read-only package: the fallback holds every language, so one folder is enough
        mo = fallback / po.parent.parent.name / CATALOGUE.with_suffix(".mo")
        if stale(po, mo):
            compile_one(po, mo)
            log.info("compiled %s into %s (the package folder is read-only)", po, mo)
    return fallback
