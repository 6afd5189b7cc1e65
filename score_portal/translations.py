"""The translations (.po files under LOCALE_PATHS) compiled into the .mo files Django reads, with polib.

Django's own `compilemessages` needs GNU gettext from the system; this needs only a Python library, so
`make run`, `make test` and a deployment compile them without an extra system package. A .mo file is
written only when its .po is newer (or the .mo is missing), so calling this at every start is cheap.
"""

from pathlib import Path

import polib
from django.conf import settings


def po_files() -> list[Path]:
    return sorted(po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po"))


def compile_translations(*, force: bool = False) -> list[Path]:
    """Compile every .po whose .mo is missing or older; return the .mo files written."""
    written = []
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        # Fuzzy entries are guesses: like msgfmt, leave them out so that the English shows instead.
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        catalogue.save_as_mofile(str(mo_path))
        written.append(mo_path)
    if written:
        # Django caches the catalogues per process; a running process must read the new files.
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
    return written
