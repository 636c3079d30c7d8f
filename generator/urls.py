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
# Names a slug folder must not take: the files a folder's own page is written to (a slug
# "index.html" would be a folder where papers/index.html, a file, must be), and the
# device names Windows reserves whatever the extension ("CON", "aux.txt").
_TAKEN = frozenset({"index.html", "index.json"})
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                      *(f"LPT{i}" for i in range(1, 10))})


def slugify(text: str) -> str:
    """A URL- and file-safe form of `text`; '' when nothing usable is left."""
    if not _READABLE.search(text):
        # An id of dots or dashes alone would make a slug that names nothing readable.
        return ""
    slug = _UNSAFE.sub("-", text)
    if slug.startswith("."):
        # ".." and ".hidden" would escape or vanish; keep the rest readable.
        slug = "-" + slug[1:]
    stem, dot, rest = slug.partition(".")
    if slug.lower() in _TAKEN or stem.upper() in _DEVICES:
        slug = stem + "-" + dot + rest  # "CON" -> "CON-", "index.html" -> "index-.html"
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        slug = slug[: MAX_SLUG - 11] + "-" + digest
    return slug


# What the site itself puts at its root; an editorial page (served at /<slug>/) must not
# take one of these names.
SITE_FOLDERS = frozenset({
    "papers", "roles", "polarity", "topics", "years", "static", "search",
    "404.html", "sitemap.xml", "feed.xml",
})  # fmt: skip


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
