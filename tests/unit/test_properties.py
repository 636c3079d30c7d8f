"""Property tests: slugs, link schemes, JSON in <script>, and the loader and build fed
arbitrary unicode in every field (they build or report `path:line: message`, never raise).
"""

from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import markup
from generator.build import BuildOptions, build
from generator.config import SiteConfig
from generator.problems import Problem
from generator.records import load_file
from generator.sources import strip_control
from generator.urls import MAX_SLUG, slugify

SLUG = re.compile(r"[A-Za-z0-9._-]*")
DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
           *(f"LPT{i}" for i in range(1, 10))}
UNSAFE = ("javascript", "vbscript", "data")
C0_OR_SPACE = "".join(chr(i) for i in range(0x21))

# Text that often holds what matters to the function under test, and any text at all.
tricky = st.lists(st.sampled_from(
    [".", "..", "/", "\\", ":", "-", "_", " ", "a", "Z", "7", "é", "論", "\u202e", "\x00",
     "CON", "nul", "index.html", "\n"]), max_size=60).map("".join)
any_text = st.text(max_size=200) | tricky | st.text(min_size=100, max_size=400)


@given(any_text)
@example("-" * 300)
@example("." * 300 + "a")
@example("CON.txt")
def test_slugify(text: str) -> None:
    slug = slugify(text)
    assert slug == slugify(text)  # deterministic
    assert SLUG.fullmatch(slug)  # so never '/' or '\\'
    assert not slug.startswith(".")
    assert len(slug) <= MAX_SLUG
    assert (slug == "") == (re.search(r"[A-Za-z0-9]", text) is None)
    assert slug.lower() not in ("index.html", "index.json")
    assert slug.partition(".")[0].upper() not in DEVICES


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads (WHATWG URL): C0 controls and spaces trimmed at both ends,
    tabs and line breaks dropped anywhere, then letters, digits, '+', '-', '.' up to ':'."""
    cleaned = re.sub("[\t\n\r]", "", url.strip(C0_OR_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    """javascript:/vbscript:/data: in any case, with controls, spaces, tabs mixed in."""
    scheme = draw(st.sampled_from(UNSAFE))
    junk = st.text(alphabet=C0_OR_SPACE, max_size=3)
    lead = draw(junk)
    letters = "".join(
        draw(st.sampled_from([ch.lower(), ch.upper()])) + draw(st.sampled_from(["", "\t", "\n",
                                                                                  "\r"]))
        for ch in scheme)
    return lead + letters + ":" + draw(st.text(max_size=30))


urls = hostile_urls() | st.text(max_size=80) | st.sampled_from(
    ["https://example.org/", "mailto:a@example.org", "/relative/", "#top", "//host/x"])


@given(hostile_urls())
def test_is_safe_link_refuses_every_unsafe_scheme(url: str) -> None:
    assert browser_scheme(url) in UNSAFE
    assert not markup.is_safe_link(url)
    assert markup.external_link(url) is None


@given(urls)
def test_is_safe_link_lets_no_unsafe_scheme_through(url: str) -> None:
    if markup.is_safe_link(url):
        assert browser_scheme(url) not in UNSAFE


@given(urls)
def test_external_link_is_http_or_nothing(url: str) -> None:
    link = markup.external_link(url)
    assert link is None or browser_scheme(link) in ("http", "https")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [value or "" for name, value in attrs if name in ("href", "src")]


MARKDOWN = markup.make_markdown()


@given(urls)
def test_markdown_links_never_get_an_unsafe_scheme(url: str) -> None:
    html = MARKDOWN.render(f"[a]({url}) ![b]({url}) <{url}>\n\n[c]\n\n[c]: {url}\n")
    parser = _Attributes()
    parser.feed(html)
    assert [v for v in parser.values if browser_scheme(v) in UNSAFE] == []
    assert "<script" not in html.lower()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text() | tricky
    | st.lists(st.sampled_from(["</script", "</SCRIPT>", "<!--", "-->", "<", ">", "&", "/",
                                "\u2028", "\u2029", "a"])).map("".join),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_json_for_script(value: object) -> None:
    text = markup.json_for_script(value)
    assert "</script" not in text.lower()
    assert "<!--" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


# ----------------------------------------------------------------------- the loader

field_text = st.text(max_size=40) | tricky


@st.composite
def record_files(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """(the text of a paper file, the front matter it was made from)."""
    front: dict[str, object] = {
        "id": draw(field_text | field_text.map(lambda text: text + "x")),  # often a slug
        "title": draw(field_text),
        "tldr": draw(field_text),
        "venue": draw(field_text),
        "authors": draw(st.lists(field_text, max_size=3)),
        "topics": draw(st.lists(field_text, max_size=3)),
        "cites": [{"paper": "b", "role": "method",
                   "contexts": draw(st.lists(field_text, max_size=2))}],
    }
    abstract = draw(st.text(max_size=300) | tricky)
    if draw(st.integers(0, 3)):  # mostly: well-formed YAML holding the text
        head = yaml.safe_dump(front, default_style='"', width=2**31, sort_keys=False)
    else:  # the text pasted in as it comes, breaking the YAML as it may
        head = "".join(f"{key}: {value}\n" for key, value in front.items()
                       if isinstance(value, str))
    return f"---\n{head}---\n{abstract}\n", front


def assert_reported(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.path and problem.line >= 0 and problem.message
        assert "\n" not in str(problem)  # one line per problem


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_files())
@example(("---\ntitle: A\bB\n---\n", {}))  # a raw control character: YAML refuses it
def test_load_file_loads_or_reports_never_raises(case: tuple[str, dict[str, object]]) -> None:
    text, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paper.md"
        path.write_text(text, encoding="utf-8")
        loaded = load_file(path, SiteConfig())
    assert_reported(loaded.problems)
    assert loaded.records or loaded.problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_files())
def test_build_builds_or_reports_never_raises(case: tuple[str, dict[str, object]]) -> None:
    text, front = case
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (content / "papers").mkdir(parents=True)
        (content / "papers" / "x.md").write_text(text, encoding="utf-8")
        (content / "papers" / "b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
        output = Path(tmp) / "site"
        report = build(BuildOptions(content=content, output=output, jobs=1))
        assert_reported(report.problems)
        if report.problems:
            assert not output.exists()
            return
        pages = {p.read_text(encoding="utf-8") for p in output.rglob("index.json")}
        titles = {json.loads(page)["title"] for page in pages}
        if text.startswith("---\n\"id\""):  # the well-formed kind: the title arrives whole
            title = str(front["title"])
            assert markup.clean_text(strip_control(title).strip()) in titles
