"""Scholarly metadata: BibTeX escaping and fields, JSON-LD safety and CiTO typing, COinS,
descriptions, and the `cito` config key with its `path:line` errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import markup, scholarly
from generator.collection import Collection, load_collection
from generator.config import CITO_TERMS, CitoMapping, SiteConfig, load_config
from generator.problems import SourceLine, sorted_problems
from generator.records import Record

SPECIALS = "{}%&#_$\\~^"
ESCAPES = (r"\textbackslash{}", r"\textbraceleft{}", r"\textbraceright{}",
           r"\textasciitilde{}", r"\textasciicircum{}", r"\%", r"\&", r"\#", r"\_", r"\$")
UNESCAPE = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}",
            r"\textasciitilde{}": "~", r"\textasciicircum{}": "^", r"\%": "%", r"\&": "&",
            r"\#": "#", r"\_": "_", r"\$": "$"}
tex_text = st.text(max_size=200) | st.lists(st.sampled_from(
    [*SPECIALS, " ", "a", "and", " and ", "é", "\n", "\x00", "@", ",", '"', "\\{", "}}"]),
    max_size=60).map("".join)


def record(**fields: object) -> Record:
    values: dict[str, object] = {"id": "p1", "title": "A title",
                                 "at": SourceLine("papers/p1.md", 1)}
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def brace_depths(text: str) -> list[int]:
    """BibTeX's own brace count: every brace counts, backslash or not."""
    depth, depths = 0, []
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        depths.append(depth)
    return depths


def bibtex_fields(entry: str) -> dict[str, str]:
    """Parse one entry the way BibTeX does (brace counting only); fail on any surprise."""
    head = re.match(r"@(\w+)\{([^,\s{}]+),\n", entry)
    assert head, entry
    fields: dict[str, str] = {}
    rest = entry[head.end():]
    while rest != "}":
        match = re.match(r"  (\w+) = \{", rest)
        assert match, rest
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(rest[end], 0)
            end += 1
        fields[match.group(1)] = rest[match.end(): end - 1]
        assert rest[end: end + 2] == ",\n", rest
        rest = rest[end + 2:]
    return fields


# -------------------------------------------------------------------- BibTeX


@given(tex_text)
@example("}{")
@example("\\}")
@example("50% of $x^2$ & #1_a ~b {c}")
def test_bibtex_text_escapes_every_special_and_keeps_braces_balanced(text: str) -> None:
    escaped = scholarly.bibtex_text(text)
    depths = brace_depths(escaped)
    assert min(depths, default=0) >= 0 and (depths[-1] if depths else 0) == 0
    bare = escaped
    for escape in ESCAPES:
        bare = bare.replace(escape, "")
    assert not set(bare) & set(SPECIALS), escaped
    assert "\n" not in escaped
    restored = re.sub("|".join(re.escape(e) for e in ESCAPES),
                      lambda m: UNESCAPE[m.group(0)], escaped)
    assert restored == scholarly.plain_text(text)


@given(title=tex_text.filter(lambda t: t.strip()),
       authors=st.lists(tex_text, max_size=4), venue=tex_text, doi=tex_text, arxiv=tex_text)
def test_a_bibtex_entry_always_parses_to_its_fields(title: str, authors: list[str], venue: str,
                                                    doi: str, arxiv: str) -> None:
    entry = scholarly.bibtex(record(title=title, authors=tuple(authors), venue=venue or None,
                                    doi=doi or None, arxiv=arxiv or None), "p1")
    fields = bibtex_fields(entry)
    assert fields["title"] == scholarly.bibtex_text(title)
    named = [a for a in authors if scholarly.plain_text(a)]
    if named:
        assert fields["author"].count(" and ") >= len(named) - 1
    for name in ("doi", "url", "eprint"):
        if name in fields:
            assert not set(fields[name]) & set('{}\\" \n'), fields[name]


def test_author_names_holding_and_stay_one_name() -> None:
    entry = scholarly.bibtex(record(authors=("Ann Smith", "Barnes and Noble")), "p1")
    assert bibtex_fields(entry)["author"] == "Ann Smith and {Barnes and Noble}"


def test_arxiv_fields() -> None:
    entry = scholarly.bibtex(record(title="Attention Is All You Need",
                                    authors=("Ashish Vaswani", "Noam Shazeer"), year=2017,
                                    arxiv="arXiv:1706.03762"), "vaswani2017")
    assert entry == (
        "@misc{vaswani2017,\n"
        "  title = {Attention Is All You Need},\n"
        "  author = {Ashish Vaswani and Noam Shazeer},\n"
        "  year = {2017},\n"
        "  eprint = {1706.03762},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/1706.03762},\n"
        "}")
    with_class = scholarly.bibtex(record(arxiv="https://arxiv.org/abs/2406.11717",
                                         extra={"primary_class": "cs.CL"}), "p1")
    assert bibtex_fields(with_class)["primaryClass"] == "cs.CL"
    assert bibtex_fields(with_class)["eprint"] == "2406.11717"
    odd_class = scholarly.bibtex(record(arxiv="2406.11717", extra={"primary_class": "cs}{"}),
                                 "p1")
    assert "primaryClass" not in bibtex_fields(odd_class)


def test_doi_fields() -> None:
    entry = scholarly.bibtex(record(doi="https://doi.org/10.1007/978-3-540-74958-5_14",
                                    venue="ECML & PKDD", year=2007), "p1")
    fields = bibtex_fields(entry)
    assert entry.startswith("@article{p1,\n")
    assert fields["doi"] == "10.1007/978-3-540-74958-5_14"  # verbatim: '_' not escaped
    assert fields["url"] == "https://doi.org/10.1007/978-3-540-74958-5_14"
    assert fields["journal"] == r"ECML \& PKDD"
    both = bibtex_fields(scholarly.bibtex(record(doi="10.1/x", arxiv="1706.03762"), "p1"))
    assert both["url"] == "https://doi.org/10.1/x"
    assert both["eprint"] == "1706.03762"
    hostile = bibtex_fields(scholarly.bibtex(record(doi="10.1/a}b{c\\d e"), "p1"))
    assert hostile["doi"] == "10.1/a%7Db%7Bc%5Cd%20e"


# -------------------------------------------------------------------- descriptions


def test_description_is_the_tldr_else_the_abstracts_first_sentence() -> None:
    assert scholarly.description(record(tldr=" One  line.\n", abstract="Other.")) == "One line."
    abstract = "We propose the **Transformer**, e.g. a model. It is `fast`!\n\nMore text."
    assert scholarly.description(record(abstract=abstract)) == (
        "We propose the Transformer, e.g. a model.")
    assert scholarly.description(record()) is None
    long = scholarly.description(record(abstract="word " * 100))
    assert long is not None and len(long) <= 200 and long.endswith("\u2026")


# -------------------------------------------------------------------- pages through a site


def load_site(tmp_path: Path, papers: dict[str, str], config: str = "") -> Collection:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    for name, text in papers.items():
        (content / "papers" / f"{name}.md").write_text(text, encoding="utf-8")
    if config:
        (content / "site.yaml").write_text(config, encoding="utf-8")
    site, problems = load_collection(content)
    assert problems == [] and site is not None
    return site


HOSTILE = "</script><!-- <script>alert(1)</script> \u2028 & \"q\" '"
PAPERS = {
    "a": f"---\ntitle: {json.dumps(HOSTILE)}\nauthors: [{json.dumps(HOSTILE)}]\n"
         f"tldr: {json.dumps(HOSTILE)}\ncites:\n"
         "  - {paper: b, role: [method, background], polarity: critical}\n"
         "  - {paper: c}\n  - {paper: d, role: result}\n---\n" + HOSTILE + "\n",
    "b": "---\ntitle: B\ndoi: 10.1/b\n---\n",
    "c": "---\ntitle: C\n---\n",
    "d": "---\ntitle: D\n---\n",
}


def test_jsonld_is_safe_in_a_script_and_types_each_labelled_citation(tmp_path: Path) -> None:
    site = load_site(tmp_path, PAPERS)
    data = scholarly.paper_metadata(site, site.records["a"])
    text = markup.json_for_script(data["jsonld"])
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert "\u2028" not in text
    ld = json.loads(text)
    assert ld == data["jsonld"]
    assert ld["@context"]["cito"] == "http://purl.org/spar/cito/"
    assert ld["@type"] == "ScholarlyArticle"
    assert ld["name"] == scholarly.plain_text(HOSTILE)
    assert [w["@id"] for w in ld["citation"]] == ["/papers/b/", "/papers/c/", "/papers/d/"]
    assert ld["citation"][0]["sameAs"] == ["https://doi.org/10.1/b"]
    assert ld["cito:usesMethodIn"] == [{"@id": "/papers/b/"}]
    assert ld["cito:citesAsRelated"] == [{"@id": "/papers/b/"}]
    assert ld["cito:disputes"] == [{"@id": "/papers/b/"}]
    assert ld["cito:usesConclusionsFrom"] == [{"@id": "/papers/d/"}]
    assert not any("/papers/c/" in json.dumps(v) for k, v in ld.items() if k.startswith("cito:"))


@given(st.text(max_size=100) | st.sampled_from(["</script>", "<!--", "]]>", "</SCRIPT "]))
def test_json_for_script_never_closes_the_script(text: str) -> None:
    encoded = markup.json_for_script({"name": text, "list": [text]})
    assert "<" not in encoded and ">" not in encoded
    assert json.loads(encoded) == {"name": text, "list": [text]}


def test_cito_mapping_from_the_config_and_absolute_urls(tmp_path: Path) -> None:
    config = ("base_url: https://example.org/hubs\n"
              "cito:\n  roles: {method: extends, background: null}\n"
              "  polarities: {critical: 'cito:critiques', neutral: citesForInformation}\n")
    site = load_site(tmp_path, PAPERS, config)
    meta = scholarly.paper_metadata(site, site.records["a"])
    ld = meta["jsonld"]
    assert isinstance(ld, dict)
    b = {"@id": "https://example.org/hubs/papers/b/"}
    assert ld["@id"] == "https://example.org/hubs/papers/a/"
    assert ld["cito:extends"] == [b] and ld["cito:critiques"] == [b]
    assert "cito:citesAsRelated" not in ld and "cito:disputes" not in ld
    assert {"property": "og:url", "content": "https://example.org/hubs/papers/a/"} in (
        meta["opengraph"])  # type: ignore[operator]
    coins = parse_qsl(str(meta["coins"]))
    assert ("rft_id", "https://example.org/hubs/papers/a/") in coins
    assert ("rft.atitle", scholarly.plain_text(HOSTILE)) in coins


# -------------------------------------------------------------------- the cito config key


def test_cito_defaults() -> None:
    mapping = SiteConfig().cito
    assert mapping == CitoMapping()
    assert mapping.role("background") == "citesAsRelated"
    assert mapping.role("method") == "usesMethodIn"
    assert mapping.role("result") == "usesConclusionsFrom"
    assert mapping.polarity("supportive") == "supports"
    assert mapping.polarity("critical") == "disputes"
    assert mapping.polarity("neutral") is None
    assert {term for _, term in mapping.roles + mapping.polarities} <= CITO_TERMS


def config_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return [str(p) for p in sorted_problems(load_config(tmp_path)[1])]


def test_cito_config_errors_name_file_and_line(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("title: T\n"
            "cito:\n"
            "  roles:\n"
            "    method: useMethodIn\n"
            "    uses: usesMethodIn\n"
            "    result: [extends]\n"
            "  polarity:\n"
            "    critical: disputes\n"
            "  polarities:\n"
            "    critical: isDisputedBy\n"
            "    supportive: 'cito:supports'\n"
            "roles:\n"
            "  - {key: method}\n"
            "  - {key: result}\n")
    assert config_problems(tmp_path, monkeypatch, text) == [
        "site.yaml:4: cito.roles.method: 'useMethodIn' is not a CiTO citation property "
        "(did you mean 'usesMethodIn'?)",
        "site.yaml:5: 'uses' in cito.roles is not one of the site's roles (method, result)",
        "site.yaml:6: expected text, found a list",
        "site.yaml:8: unknown key 'polarity' in cito (did you mean 'polarities'?)",
        "site.yaml:10: cito.polarities.critical: 'isDisputedBy' is not a CiTO citation "
        "property (did you mean 'disputes'?)",
    ]
    assert config_problems(tmp_path, monkeypatch, "cito: usesMethodIn\n") == [
        "site.yaml:1: cito must be a mapping, found 'usesMethodIn'"]
    assert config_problems(tmp_path, monkeypatch, "cito:\n  roles: [a]\n") == [
        "site.yaml:2: cito.roles must be a mapping, found a list"]


def test_a_valid_cito_config_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site.yaml").write_text(
        "cito:\n  roles: {method: 'cito:usesDataFrom', background: null}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.cito.role("method") == "usesDataFrom"
    assert config.cito.role("background") is None
    assert config.cito.role("result") == "usesConclusionsFrom"


def test_same_as_lists_each_address_once() -> None:
    """A record whose `url` is its arXiv page links there once, not twice."""
    paper = record(arxiv="2406.11717", url="https://arxiv.org/abs/2406.11717", doi="10.1/x")
    assert scholarly.same_as(paper) == ["https://doi.org/10.1/x",
                                        "https://arxiv.org/abs/2406.11717"]
