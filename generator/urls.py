"""Ids to slugs, URLs and output paths: the only place paths are built.

A URL here is site-relative with no leading slash ("papers/P02-1040/"); the
theme's `url` filter prefixes the base path, and `output_path` maps it to a file
under the output folder. Slugs keep ASCII letters, digits, '-', '_' and '.', map
everything else to '-', and can never name a parent or hidden folder.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_READABLE = re.compile(r"[A-Za-z0-9]")
MAX_SLUG = 120  # leaves room under the 255-byte file-name limit for suffixes


def slugify(text: str) -> str:
    """A URL- and file-safe form of `text`; '' when nothing usable is left."""
    slug = _UNSAFE.sub("-", text)
    if slug.startswith("."):
        # ".." and ".hidden" would escape or vanish; keep the rest readable.
        slug = "-" + slug[1:]
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        slug = slug[: MAX_SLUG - 11] + "-" + digest
    # An id of dots or dashes alone would make a slug that names nothing readable.
    return slug if _READABLE.search(slug) else ""


def topic_slug(topic: str) -> str:
    """Topics group case-insensitively: "NLP" and "nlp" share a page."""
    return slugify(topic.strip().lower())


def paper_url(slug: str) -> str:
    return f"papers/{slug}/"


def paper_json_url(slug: str) -> str:
    return f"papers/{slug}/index.json"


def paged_url(first: str, number: int) -> str:
    """Page 1 of a listing is `first`; later pages live under `first/page/N/`."""
    return first if number == 1 else f"{first}page/{number}/"


def citing_url(slug: str, number: int) -> str:
    """Static pages of a hub's explorer: page 1 is the hub page itself."""
    return paper_url(slug) if number == 1 else f"papers/{slug}/citing/{number}/"


def output_path(url: str) -> str:
    """The file, relative to the output folder, that serves a site-relative URL."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def href(base_path: str, url: str) -> str:
    """A root-relative link, correct when the site is served under a sub-path."""
    return base_path + url
