"""Names from outside (file names, partner ids from the command line) made safe to print.

A file name may hold a newline or a terminal escape: printed raw, ``evil\\naccepted x``
would forge a second output line that scripts and operators trust. Plain names are shown
as they are, so the usual output and error text stay unchanged; any other is shown as a
Python string literal, which escapes every control character.
"""

from __future__ import annotations

import re
from pathlib import PurePath

__all__ = ["shown"]

_PLAIN = re.compile(r"[\w./@+:=,~-]+")


def shown(name: str | PurePath) -> str:
    """``name`` as is when it is plain, else quoted with every control character escaped."""
    text = str(name)
    if _PLAIN.fullmatch(text) and text.isprintable():
        return text
    return repr(text)
