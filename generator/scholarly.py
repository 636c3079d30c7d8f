"""Scholarly metadata for a paper page: JSON-LD, BibTeX, COinS, citation_* values.

Everything here is computed from untrusted record text; the theme only lays it out.
HTML attribute and text values are escaped by Jinja, JSON-LD by `json_for_script`,
BibTeX text fields by `bibtex_text` (every TeX special character) and BibTeX
verbatim fields (doi, url, eprint) by percent-encoding what would break the entry.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import quote, urlencode

from markdown_it import MarkdownIt

from generator import markup, urls
from generator.collection import Collection
from generator.config import SiteConfig
from generator.records import Record

CITO = "http://purl.org/spar/cito/"
DESCRIPTION_LIMIT = 200  # characters of a meta description made from an abstract

# -------------------------------------------------------------------- plain text


@cache
def _markdown() -> MarkdownIt:
    return markup.make_markdown()


# Unicode's control characters (category Cc) are exactly these 65 code points; a regex
# replaces them in one pass, where a per-character category test was a tenth of a build.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """Text without control characters, bidi overrides or runs of whitespace."""
    kept = CONTROL_CHARACTERS.sub(" ", markup.clean_text(text))
    return " ".join(kept.split())


def markdown_text(source: str) -> str:
    """The words of a markdown abstract, without markup, as one line."""
    parts: list[str] = []
    for token in _markdown().parse(source):
        if token.type != "inline":
            continue
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.extend(c.content for c in child.children or () if c.type == "text")
        parts.append(" ")
    return plain_text("".join(parts))


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
                           r"|[\u3002\uff01\uff1f]")


def first_sentence(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first sentence of `text`, cut at a word and marked with '…' past `limit`."""
    end = _SENTENCE_END.search(text)
    sentence = text[: end.end()].strip() if end else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "\u2026"


def description(record: Record) -> str | None:
    """The TL;DR, else the abstract's first sentence: for meta and og descriptions."""
    if record.tldr and plain_text(record.tldr):
        return plain_text(record.tldr)
    text = abstract_plain(record)
    return first_sentence(text) if text else None


# -------------------------------------------------------------------- identifiers


def bare_doi(doi: str | None) -> str | None:
    """A DOI without its resolver prefix: '10.18653/v1/N19-1423'."""
    if not doi:
        return None
    bare = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", plain_text(doi), flags=re.I)
    return bare or None


def bare_arxiv(arxiv: str | None) -> str | None:
    """An arXiv id without prefix or URL: '1706.03762', 'hep-th/9901001v2'."""
    if not arxiv:
        return None
    bare = re.sub(r"^(https?://(www\.|export\.)?arxiv\.org/(abs|pdf)/|arxiv:)", "",
                  plain_text(arxiv), flags=re.I)
    return bare.removesuffix(".pdf") or None


def arxiv_pdf(arxiv: str | None) -> str | None:
    return "https://arxiv.org/pdf/" + quote(arxiv, safe="/._-") if arxiv else None


def absolute_url(config: SiteConfig, url: str) -> str | None:
    """A site-relative URL as an absolute one, when `base_url` names a host."""
    base = config.absolute_base
    return base + url if base else None


def publication_date(record: Record) -> str | None:
    return record.date or (str(record.year) if record.year else None)


# -------------------------------------------------------------------- BibTeX

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_PATTERN = re.compile("[" + re.escape("".join(_TEX_SPECIAL)) + "]")
_AND = re.compile(r"\sand\s", re.IGNORECASE)
_PRIMARY_CLASS = re.compile(r"^[A-Za-z-]+(\.[A-Za-z-]+)?$")
# Kept as is in verbatim fields: printable ASCII but braces, backslash, quote and space.
_VERBATIM_SAFE = "!#$%&'()*+,-./:;<=>?@[]^_`|~"


def bibtex_text(text: str) -> str:
    """Text for a braced BibTeX field: TeX specials escaped, braces always balanced.

    Braces become `\\textbraceleft{}`/`\\textbraceright{}`, not `\\{`/`\\}`, because
    BibTeX counts every brace, escaped or not, when it looks for the field's end.
    """
    return _TEX_PATTERN.sub(lambda m: _TEX_SPECIAL[m.group(0)], plain_text(text))


def bibtex_verbatim(text: str) -> str:
    """A DOI, URL or eprint id as biblatex reads it verbatim: nothing TeX-escaped, and
    anything that could end the field or the entry percent-encoded."""
    return quote(plain_text(text), safe=_VERBATIM_SAFE)


def bibtex_name(name: str) -> str:
    """One author; a name holding ' and ' (or more commas than 'von Last, Jr, First'
    has) is braced so BibTeX reads it as one name."""
    escaped = bibtex_text(name)
    several = _AND.search(f" {escaped} ") or escaped.count(",") > 2
    return "{" + escaped + "}" if several else escaped


def bibtex(record: Record, key: str) -> str:
    doi = bare_doi(record.doi)
    arxiv = bare_arxiv(record.arxiv)
    date = publication_date(record)
    fields: list[tuple[str, str]] = [("title", bibtex_text(record.title))]
    authors = [bibtex_name(a) for a in record.authors if plain_text(a)]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if record.year or date:
        fields.append(("year", str(record.year) if record.year else str(date)[:4]))
    if record.venue and plain_text(record.venue):
        fields.append(("journal", bibtex_text(record.venue)))
    if doi:
        fields.append(("doi", bibtex_verbatim(doi)))
    if arxiv:
        fields += [("eprint", bibtex_verbatim(arxiv)), ("archivePrefix", "arXiv")]
        primary = record.extra.get("primary_class")
        if isinstance(primary, str) and _PRIMARY_CLASS.match(primary.strip()):
            fields.append(("primaryClass", primary.strip()))
    url = (markup.doi_link(doi) if doi else markup.arxiv_link(arxiv) if arxiv
           else markup.external_link(record.url))
    if url:
        fields.append(("url", bibtex_verbatim(url)))
    kind = "article" if record.venue and plain_text(record.venue) else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}"


# -------------------------------------------------------------------- COinS


def coins(record: Record, page_url: str | None) -> str:
    """The OpenURL ContextObject of a COinS span's title (reference managers read it)."""
    doi = bare_doi(record.doi)
    arxiv = bare_arxiv(record.arxiv)
    date = publication_date(record)
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article"),
        ("rft.atitle", plain_text(record.title)),
    ]
    if record.venue and plain_text(record.venue):
        pairs.append(("rft.jtitle", plain_text(record.venue)))
    if date:
        pairs.append(("rft.date", date))
    pairs += [("rft.au", plain_text(a)) for a in record.authors if plain_text(a)]
    if doi:
        pairs.append(("rft_id", "info:doi/" + doi))
    if arxiv:
        pairs.append(("rft_id", "info:arxiv/" + arxiv))
    if page_url:
        pairs.append(("rft_id", page_url))
    return urlencode(pairs, quote_via=quote)


# -------------------------------------------------------------------- JSON-LD


def page_iri(config: SiteConfig, url: str) -> str:
    """A page's IRI: absolute when the base URL names a host, else root-relative."""
    return absolute_url(config, url) or config.base_path + url


def same_as(record: Record) -> list[str]:
    links = [markup.doi_link(bare_doi(record.doi)), markup.arxiv_link(bare_arxiv(record.arxiv)),
             markup.external_link(record.url)]
    return list(dict.fromkeys(link for link in links if link))  # a `url` may repeat the arXiv link


def cited_work(site: Collection, record: Record) -> dict[str, object]:
    iri = page_iri(site.config, urls.paper_url(site.slugs[record.id]))
    work: dict[str, object] = {"@type": "ScholarlyArticle", "@id": iri, "url": iri,
                               "name": plain_text(record.title)}
    if record.year:
        work["datePublished"] = str(record.year)
    links = same_as(record)
    if links:
        work["sameAs"] = links
    return work


def abstract_plain(record: Record) -> str:
    return markdown_text(record.abstract) if record.abstract else ""


def jsonld(site: Collection, record: Record) -> dict[str, object]:
    """schema.org ScholarlyArticle with the papers it cites, each labelled citation also
    typed with the CiTO properties the site's `cito` mapping gives its role and polarity.
    Citing papers are not listed: a hub's can run to thousands (see the per-paper JSON).
    Nor are the abstract (the page shows it), a `description` (the meta and og:description
    tags hold it) or a `headline` (the `name`): each would weigh on every page again."""
    config = site.config
    iri = page_iri(config, urls.paper_url(site.slugs[record.id]))
    data: dict[str, object] = {
        "@context": {"@vocab": "https://schema.org/", "cito": CITO},
        "@type": "ScholarlyArticle",
        "@id": iri,
        "url": iri,
        "name": plain_text(record.title),
    }
    authors = [plain_text(a) for a in record.authors if plain_text(a)]
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    date = publication_date(record)
    if date:
        data["datePublished"] = date
    topics = [plain_text(t) for t in record.topics if plain_text(t)]
    if topics:
        data["keywords"] = topics
    identifiers = [("DOI", bare_doi(record.doi)), ("arXiv", bare_arxiv(record.arxiv))]
    found = [{"@type": "PropertyValue", "propertyID": name, "value": value}
             for name, value in identifiers if value]
    if found:
        data["identifier"] = found
    links = same_as(record)
    if links:
        data["sameAs"] = links
    references = site.graph.references(record.id)
    if references:
        data["citation"] = [cited_work(site, site.records[link.target]) for link in references]
    typed: dict[str, list[dict[str, str]]] = {}
    for link in references:
        target = {"@id": page_iri(config, urls.paper_url(site.slugs[link.target]))}
        terms = [config.cito.role(role) for role in link.roles]
        terms.append(config.cito.polarity(link.polarity) if link.polarity else None)
        for term in terms:
            if term and target not in typed.setdefault(f"cito:{term}", []):
                typed[f"cito:{term}"].append(target)
    data.update(typed)
    return data


# -------------------------------------------------------------------- the page


def highwire(record: Record, page_url: str | None) -> list[dict[str, str]]:
    """Highwire Press `citation_*` meta tags, in the order Google Scholar documents."""
    tags = [("citation_title", plain_text(record.title))]
    tags += [("citation_author", plain_text(a)) for a in record.authors if plain_text(a)]
    date = publication_date(record)
    if date:
        tags.append(("citation_publication_date", date.replace("-", "/")))
    doi = bare_doi(record.doi)
    if doi:
        tags.append(("citation_doi", doi))
    arxiv = bare_arxiv(record.arxiv)
    if arxiv:
        tags.append(("citation_arxiv_id", arxiv))
    pdf = markup.external_link(record.pdf) or arxiv_pdf(arxiv)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if page_url:
        tags.append(("citation_abstract_html_url", page_url))
    return [{"name": name, "content": content} for name, content in tags]


def opengraph(site: Collection, record: Record, summary: str | None,
              page_url: str | None) -> list[dict[str, str]]:
    tags = [("og:type", "article"), ("og:title", plain_text(record.title))]
    if page_url:
        tags.append(("og:url", page_url))
    if summary:
        tags.append(("og:description", summary))
    if site.config.title:
        tags.append(("og:site_name", site.config.title))
    return [{"property": name, "content": content} for name, content in tags]


def paper_metadata(site: Collection, record: Record) -> dict[str, object]:
    """The finished metadata values the theme's head and cite partials show."""
    slug = site.slugs[record.id]
    page_url = absolute_url(site.config, urls.paper_url(slug))
    summary = description(record)
    return {
        "description": summary,
        "highwire": highwire(record, page_url),
        "opengraph": opengraph(site, record, summary, page_url),
        "jsonld": jsonld(site, record),
        "coins": coins(record, page_url),
        "bibtex": bibtex(record, slug),
        "bibtex_id": f"bibtex-{slug}",
    }
