"""Turning untrusted text into safe markup: markdown, external links, JSON in <script>.

Everything an editor or an import writes is untrusted: markdown's raw HTML is
off, and links (in markdown and in `url`/`pdf`/`doi`/`arxiv`) keep only the
schemes on an allow-list.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Bidi controls can make a title display as something other than what it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def is_safe_link(url: str) -> bool:
    """True for http(s)/mailto links and scheme-less relative links."""
    cleaned = "".join(ch for ch in url if ch > " ").strip()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


def clean_text(text: str) -> str:
    """Text with bidi override characters removed (they are escaped, not dropped, elsewhere)."""
    return _BIDI.sub("", text)


def external_link(url: str | None) -> str | None:
    """An http(s) URL fit for an href, or None."""
    if not url:
        return None
    cleaned = url.strip()
    match = _SCHEME.match(cleaned)
    if match is None or match.group(1).lower() not in ("http", "https"):
        return None
    return cleaned


def doi_link(doi: str | None) -> str | None:
    if not doi:
        return None
    bare = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    return "https://doi.org/" + quote(bare, safe="/:;()._-")


def arxiv_link(arxiv: str | None) -> str | None:
    if not arxiv:
        return None
    return "https://arxiv.org/abs/" + quote(arxiv.strip(), safe="/._-")


def json_for_script(value: object) -> str:
    """JSON that can sit inside <script> whatever its strings hold (</script>, <!--)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
