"""Untrusted text stays text: a payload in every field, checked in every file of the build.

The payload site (`tests/payload_site.py`) puts markup, script-ending text, unsafe link
schemes, bidi overrides and control characters in every field that reaches a page, the
per-paper JSON, the sitemap or the feed. Its clean twin has plain text in the same
places, so the elements and attributes of the clean pages are exactly those the theme
writes. The browser half of this check is `tests/browser/test_injection_browser.py`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main
from tests import payload_site as ps
from tests.sitefiles import write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "data",
    "ping", "xlink:href", "manifest", "icon", "codebase", "longdesc", "usemap", "lowsrc",
})  # fmt: skip
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Parsed(HTMLParser):
    """What one HTML file holds: elements with their attribute names, text, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shapes: set[tuple[str, tuple[str, ...]]] = set()
        self.attributes: list[tuple[str, str, str]] = []  # tag, name, value
        self.scripts: list[str] = []  # each script element's start tag, as written
        self.comments: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shapes.add((tag, tuple(sorted(name for name, _ in attrs))))
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self.scripts.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def unknown_decl(self, data: str) -> None:
        self.comments.append(data)  # <![CDATA[...]]> and the like: the theme writes none

    def handle_pi(self, data: str) -> None:
        self.comments.append(data)


def parse(path: Path) -> Parsed:
    parsed = Parsed()
    parsed.feed(path.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


@dataclass(frozen=True)
class Built:
    hostile: Path  # the payload site's output
    clean: Path  # its clean twin's output

    def html(self, which: Path) -> dict[str, Parsed]:
        return {p.relative_to(which).as_posix(): parse(p) for p in sorted(which.rglob("*.html"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    outputs = []
    for hostile in (True, False):
        root = tmp_path_factory.mktemp("hostile" if hostile else "clean")
        content = ps.write_payload_site(root, hostile=hostile)
        output = root / "site"
        assert main(["build", "--content", str(content), "--output", str(output),
                     "--jobs", "1"]) == 0
        outputs.append(output)
    return Built(*outputs)


def normalised_scheme(value: str) -> str:
    """A URL as a browser reads its scheme: C0 controls and spaces dropped, lower case."""
    return "".join(ch for ch in value if ch > " ").lower()


def test_both_sites_have_the_same_pages_but_for_slugs(built: Built) -> None:
    hostile = sorted(p for p in built.hostile.rglob("*") if p.is_file())
    clean = sorted(p for p in built.clean.rglob("*") if p.is_file())
    assert len(hostile) == len(clean)


def test_no_element_or_attribute_the_theme_did_not_write(built: Built) -> None:
    theme = set().union(*(page.shapes for page in built.html(built.clean).values()))
    extra = [f"{name}: <{tag} {' '.join(attrs)}>"
             for name, page in built.html(built.hostile).items()
             for tag, attrs in sorted(page.shapes - theme)]
    assert extra == []


def test_no_script_or_comment_the_theme_did_not_write(built: Built) -> None:
    clean = built.html(built.clean).values()
    theme_scripts = {script for page in clean for script in page.scripts}
    theme_comments = {comment for page in clean for comment in page.comments}
    found = []
    for name, page in built.html(built.hostile).items():
        raw = (built.hostile / name).read_text(encoding="utf-8")
        # Every "<script" in the bytes is a script element the parser saw and the theme wrote.
        if len(re.findall(r"<script", raw, re.IGNORECASE)) != len(page.scripts):
            found.append(f"{name}: '<script' outside a script element the parser saw")
        found += [f"{name}: {s}" for s in page.scripts if s not in theme_scripts]
        found += [f"{name}: <!--{c}-->" for c in page.comments if c not in theme_comments]
    assert found == []


def test_no_link_attribute_with_an_unsafe_scheme(built: Built) -> None:
    theme = {a for page in built.html(built.clean).values() for a in page.attributes}
    found = [
        f"{name}: <{tag} {attr}={value!r}>"
        for name, page in built.html(built.hostile).items()
        for tag, attr, value in page.attributes
        if attr in URL_ATTRIBUTES and (tag, attr, value) not in theme  # the icon's "data:,"
        and any(normalised_scheme(part).startswith(UNSAFE_SCHEMES) for part in value.split(","))
    ]
    assert found == []


def test_payload_links_are_dropped_and_safe_links_kept(built: Built) -> None:
    pages = built.html(built.hostile)
    hrefs = {value for page in pages.values() for tag, attr, value in page.attributes
             if tag == "a" and attr == "href"}
    assert {"https://example.org/auto", "https://example.org/web",
            "mailto:editor@example.org"} <= hrefs
    # url/pdf give an href only for http(s): the one payload that is an https URL, escaped.
    external = sorted(h for h in hrefs if h.startswith("https://ok.example"))
    assert external == ['https://ok.example/" onmouseover="alert(1)']


def test_untrusted_text_is_shown_as_text(built: Built) -> None:
    pages = {name: "".join(page.text) for name, page in built.html(built.hostile).items()}
    everything = "\n".join(pages.values())
    for index in range(ps.PAPERS):
        for text in (ps.shown_title(index, True), ps.tldr(index, True),
                     ps.author(index, True), ps.field("Venue", index, True)):
            assert text in everything
    for index in range(1, ps.PAPERS):
        assert ps.context(index, True) in everything
    assert ps.TEXT in pages["index.html"].split("Site", 1)[1]  # (bidi: checked on its own)
    assert ps.shown_page_title(True) in pages["notes/index.html"]
    assert ps.label("Background", True) in everything
    assert "<script>alert(1)</script>" in pages["notes/index.html"]  # markdown raw HTML: text
    assert "{{7*191}}" in everything
    assert "1337" not in everything  # no template ever evaluated the text


def json_files(site: Path) -> dict[str, object]:
    return {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.json"))}


def test_json_parses_and_holds_the_payload_text_verbatim(built: Built) -> None:
    by_id = {data["id"]: data for name, data in json_files(built.hostile).items()  # type: ignore[index]
             if name.startswith("papers/")}
    ids = {ps.paper_id(index, True): index for index in range(ps.PAPERS)}
    assert set(by_id) == set(ids)
    for paper_id, index in ids.items():
        assert by_id[paper_id]["title"] == ps.shown_title(index, True)
    hub = by_id[ps.paper_id(0, True)]
    citing = {row["id"]: row for row in hub["citing"]}
    assert set(citing) == set(ids) - {ps.paper_id(0, True)}
    for paper_id, row in citing.items():
        index = ids[paper_id]
        assert row["title"] == ps.shown_title(index, True)
        assert row["tldr"] == ps.tldr(index, True)
        assert row["contexts"] == [ps.context(index, True)]
    assert {row["label"] for row in hub["roles"]} == {
        ps.label(name, True) for name in ("Background", "Method", "Result")}


def test_search_index_holds_the_payload_text_as_data(built: Built) -> None:
    """The index (generator/search.py) is JSON data: titles verbatim (as pages show them),
    and every link one of the site's own paper URLs, whatever a record's `url` says."""
    files = json_files(built.hostile)
    docs = [doc for name, rows in files.items() if name.startswith("search/data/d/")
            for doc in rows]  # type: ignore[attr-defined]
    titles = {ps.shown_title(index, True) for index in range(ps.PAPERS)}
    assert {doc[1] for doc in docs} == titles
    pages = {p.parent.relative_to(built.hostile).as_posix() + "/"
             for p in built.hostile.glob("papers/*/index.html")}
    assert {doc[0] for doc in docs} == pages


def test_sitemap_and_feed_parse_and_hold_the_text(built: Built) -> None:
    sitemap = ET.parse(built.hostile / "sitemap.xml").getroot()
    locations = [loc.text or "" for loc in sitemap.iter(f"{SITEMAP}loc")]
    pages = sorted(p for p in built.hostile.rglob("index.html"))
    assert len(locations) == len(pages)
    assert all(loc.startswith("/") for loc in locations)

    feed = ET.parse(built.hostile / "feed.xml").getroot()
    assert ps.TEXT in (feed.findtext(f"{ATOM}title") or "")  # (bidi: checked on its own)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == ps.PAPERS
    for entry in entries:
        index = int((entry.findtext(f"{ATOM}title") or "").split()[1])
        assert entry.findtext(f"{ATOM}title") == ps.shown_title(index, True)
        assert entry.findtext(f"{ATOM}summary") == ps.tldr(index, True)
        names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
        assert names == [ps.author(index, True), "Plain Author"]


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def leaks(site: Path) -> list[str]:
    """Output files holding a bidi control or a control character, and which."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".json", ".xml"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":  # JSON escapes controls: look at the values
            text = "\n".join(strings(json.loads(text))).replace("\n", " ")
        for pattern, what in ((BIDI, "bidi control"), (CONTROL, "control character")):
            found += [f"{path.relative_to(site).as_posix()}: {what} {m.group()!r}"
                      for m in pattern.finditer(text)][:1]
    return found


def test_no_bidi_override_or_control_character_reaches_output(built: Built) -> None:
    """Titles (papers, the page, the site) carry U+202E; papers and the page a vertical
    tab too. Neither may reach a page, the JSON, the sitemap or the feed."""
    assert leaks(built.hostile) == []


def test_control_characters_in_site_yaml_leave_the_feed_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """site.yaml text is untrusted too: a form feed in the title must not break the XML."""
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, r"""
        -- content/site.yaml --
        title: "Site\f\v\x01 title"
        description: "About\f"
        roles:
          - {key: background, label: "Back\fground", description: "Prior\v work"}
        -- content/papers/a.md --
        ---
        title: A
        year: 2020
        ---
    """)
    assert main(["build", "--content", "content", "--output", "site"]) == 0
    feed = ET.parse("site/feed.xml").getroot()  # raises on a control character
    assert feed.findtext(f"{ATOM}title") == "Site title"
    assert leaks(Path("site")) == []
