"""Span extension values read and written straight in ``doc.user_data``, under the key spaCy uses.

``span._.negated`` builds an ``Underscore`` proxy and looks the extension up on every access; the value
itself lives in ``doc.user_data[("._.", name, start_char, end_char)]``. ConText writes and the facts read
tens of these per note, so they go to that dictionary directly. Only plain extensions (a default, no
getter, setter or method) are stored there; :func:`check_plain` makes sure ours still are, so
``span._.negated`` and friends keep reading exactly what was written.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

_PREFIX = "._."  # spacy.tokens.underscore.Underscore._get_key


def check_plain(*names: str) -> None:
    """Fail loudly if one of these Span extensions is not stored in ``doc.user_data``."""
    for name in names:
        default, method, getter, setter = Span.get_extension(name)
        if method is not None or getter is not None or setter is not None:
            raise TypeError(f"Span extension {name!r} has a getter, setter or method: it is not a stored value")


def key(name: str, start_char: int, end_char: int) -> tuple[str, str, int, int]:
    """Where ``span._.<name>`` is stored for a span with these character offsets."""
    return (_PREFIX, name, start_char, end_char)


def get(span: Span, name: str, default: Any) -> Any:
    """``span._.<name>`` for a plain extension whose default is ``default`` (immutable)."""
    return span.doc.user_data.get((_PREFIX, name, span.start_char, span.end_char), default)
