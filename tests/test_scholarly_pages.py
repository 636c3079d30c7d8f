"""Scholarly metadata in built paper pages: citation_* and Open Graph tags, JSON-LD with
CiTO-typed citations, the COinS span and the BibTeX block with its copy button."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from generator.build import BuildOptions, build
from tests.golden import FIXTURES

SMALL = FIXTURES / "small" / "content"


class Page(HTMLParser):
    """The parts of a page scholarly tools read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []  # (name or property, content)
        self.jsonld: list[str] = []
        self.coins: list[str] = []
        self.pre: dict[str, str] = {}
        self.buttons: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self._in: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.append((str(a.get("name") or a.get("property")), str(a.get("content"))))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = ("jsonld", "")
            self.jsonld.append("")
        elif tag == "script" and a.get("src"):
            self.scripts.append(str(a["src"]))
        elif tag == "span" and a.get("class") == "Z3988":
            self.coins.append(str(a.get("title")))
        elif tag == "pre" and a.get("id"):
            self._in = ("pre", str(a["id"]))
            self.pre[str(a["id"])] = ""
        elif tag == "button":
            self.buttons.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "pre"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[0] == "jsonld":
            self.jsonld[-1] += data
        elif self._in and self._in[0] == "pre":
            self.pre[self._in[1]] += data

    def values(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]


def built_page(content: Path, out: Path, paper: str) -> Page:
    report = build(BuildOptions(content=content, output=out))
    assert report.problems == []
    page = Page()
    page.feed((out / "papers" / paper / "index.html").read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def devlin(tmp_path_factory: pytest.TempPathFactory) -> Page:
    return built_page(SMALL, tmp_path_factory.mktemp("small") / "site", "devlin2019")


def test_highwire_tags(devlin: Page) -> None:
    assert devlin.values("citation_title") == [
        "BERT: Pre-training of Deep Bidirectional Transformers"]
    assert devlin.values("citation_author") == ["Jacob Devlin"]
    assert devlin.values("citation_publication_date") == ["2019/06/02"]
    assert devlin.values("citation_doi") == ["10.18653/v1/N19-1423"]
    assert devlin.values("citation_arxiv_id") == []
    assert devlin.values("description") == [
        "Masked language model pre-training for bidirectional encoders."]


def test_open_graph(devlin: Page) -> None:
    assert devlin.values("og:type") == ["article"]
    assert devlin.values("og:title") == ["BERT: Pre-training of Deep Bidirectional Transformers"]
    assert devlin.values("og:description") == [
        "Masked language model pre-training for bidirectional encoders."]
    assert devlin.values("og:url") == []  # base_url /hubs/ names no host


def test_jsonld_types_the_citation_of_vaswani2017(devlin: Page) -> None:
    assert len(devlin.jsonld) == 1
    ld = json.loads(devlin.jsonld[0])
    assert ld["@type"] == "ScholarlyArticle"
    assert ld["@context"]["cito"] == "http://purl.org/spar/cito/"
    assert ld["@id"] == "/hubs/papers/devlin2019/"
    assert ld["author"] == [{"@type": "Person", "name": "Jacob Devlin"}]
    assert ld["datePublished"] == "2019-06-02"
    assert ld["sameAs"] == ["https://doi.org/10.18653/v1/N19-1423"]
    vaswani = "/hubs/papers/vaswani2017/"
    assert [(w["@id"], w["name"]) for w in ld["citation"]] == [
        (vaswani, "Attention Is All You Need")]
    assert ld["cito:usesMethodIn"] == [{"@id": vaswani}]
    assert ld["cito:supports"] == [{"@id": vaswani}]
    assert "2005.14165" not in devlin.jsonld[0]  # citing papers are not listed


def test_coins_span(devlin: Page) -> None:
    assert len(devlin.coins) == 1
    pairs = parse_qsl(devlin.coins[0])
    assert pairs[:3] == [("ctx_ver", "Z39.88-2004"),
                         ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
                         ("rft.genre", "article")]
    assert ("rft.atitle", "BERT: Pre-training of Deep Bidirectional Transformers") in pairs
    assert ("rft.au", "Jacob Devlin") in pairs
    assert ("rft.date", "2019-06-02") in pairs
    assert ("rft_id", "info:doi/10.18653/v1/N19-1423") in pairs


def test_bibtex_block_and_copy_button(devlin: Page) -> None:
    assert devlin.pre["bibtex-devlin2019"] == (
        "@misc{devlin2019,\n"
        "  title = {BERT: Pre-training of Deep Bidirectional Transformers},\n"
        "  author = {Jacob Devlin},\n"
        "  year = {2019},\n"
        "  doi = {10.18653/v1/N19-1423},\n"
        "  url = {https://doi.org/10.18653/v1/N19-1423},\n"
        "}")
    button = next(b for b in devlin.buttons if b.get("data-copy"))
    assert button["data-copy"] == "bibtex-devlin2019" and button["type"] == "button"
    assert "hidden" in button  # shown by cite.js; without JS the <pre> is there to copy
    assert "/hubs/static/cite.js" in devlin.scripts


def test_arxiv_paper_and_absolute_base_url(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("base_url: /hubs/",
                                                 "base_url: https://example.org/hubs/"))
    page = built_page(content, tmp_path / "site", "vaswani2017")
    url = "https://example.org/hubs/papers/vaswani2017/"
    assert page.values("og:url") == [url]
    assert page.values("citation_arxiv_id") == ["1706.03762"]
    assert page.values("citation_pdf_url") == ["https://arxiv.org/pdf/1706.03762"]
    assert page.values("citation_author") == ["Ashish Vaswani", "Noam Shazeer"]
    assert json.loads(page.jsonld[0])["@id"] == url
    assert ("rft_id", url) in parse_qsl(page.coins[0])
    bibtex = page.pre["bibtex-vaswani2017"]
    assert "  eprint = {1706.03762},\n  archivePrefix = {arXiv},\n" in bibtex
    assert "primaryClass" not in bibtex
    assert bibtex.startswith("@article{vaswani2017,\n")  # it has a venue
    assert "  journal = {NeurIPS},\n" in bibtex


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    evil = "</script><!--<script>alert(1)</script>{%}\\ & \"'"
    (content / "papers" / "x.md").write_text(
        f"---\ntitle: {json.dumps(evil)}\nauthors: [{json.dumps(evil)}]\n"
        f"tldr: {json.dumps(evil)}\n---\n{evil}\n", encoding="utf-8")
    out = tmp_path / "site"
    page = built_page(content, out, "x")
    html = (out / "papers" / "x" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert json.loads(page.jsonld[0])["name"] == evil
    assert page.values("citation_title") == [evil]
    assert page.values("og:description") == [evil]
    assert ("rft.atitle", evil) in parse_qsl(page.coins[0])
    assert r"\textbraceleft{}\%\textbraceright{}\textbackslash{} \& " in page.pre["bibtex-x"]
