"""The search index: a `Collection` as small JSON files the browser fetches a few at a time.

Search runs in the browser (`static/search.js`) with no server, and must stay cheap for
the reader however large the site grows: a first query fetches a bounded number of small
files, never the whole index (Pagefind, measured in TOOLCHAIN.md, does not: a common word
cost 1.4 MB and a filter-only search 25.5 MB at 50,000 pages).

What is indexed, per paper: title, authors, TL;DR, topics, venue and id. Not the
abstract: it is most of a record's text, would make the index several times larger and
slower to build at 50,000 papers, and titles and TL;DRs are what a reader searches by.
Facets, per paper: its year, its topics, and the roles and polarities with which it is
cited (the labels of its incoming citations, from the citation graph).

Words: text is NFKC-normalised and case-folded (`fold`), then split into runs of letters
and digits of any script; a word keeps its first `TERM_MAX` characters. search.js does
the same to a query. The last word of a
query, while it is being typed, matches as a prefix once it has `PREFIX` characters.

Documents are numbered by rank, most cited first (then by title, then id), and every
posting list is that order: the first results of any query are its most cited papers,
and posting lists are intersected by a merge. The files, under `search/data/`:

- `manifest.json`: `{"version", "docs", "chunk", "page", "shards", "prefix", "term_max",
  "facets": {"role"|"polarity"|"year"|"topic": [[key, label, count, list id], ...]}}`;
  roles and polarities in taxonomy order, years newest first, topics by count (only the
  `TOPICS_SHOWN` most used: every topic also has its own page).
- `t/<shard>.json`: `{key: list, ...}` for the keys whose word hashes (FNV-1a, 32 bits,
  over UTF-8) to that shard. A key is a term (`word`) or a prefix (`word*`: the union
  of the lists of every term starting with `word`, stored for each `word` of `PREFIX`
  characters or more that a longer term extends); both live in the shard of `word`, so
  one file answers a word as typed so far: `word*` when present, else `word` (then the
  only term it starts). The shard count is the fewest (a power of two) that keeps every
  shard under `SHARD_BUDGET` bytes.
- A posting list is `[count, first page, firsts, list id]`: `first page` is its first
  `PAGE` document numbers, delta-coded (first value absolute); `firsts` the first
  document number of each later page (of `LATER_PAGE` numbers), delta-coded; later page
  k (1, 2, ...) is the file `p/<list id>-<k>.json`, delta-coded. A client finds the one
  page that can hold a document number from `firsts`, so an intersection fetches only
  the pages it needs.
- `p/<list id>.json`: a facet's posting list (list ids `f0`, `f1`, ...); term lists are
  inline in their shard, and their list id is a hash of the key (`list_name`).
- `d/<chunk>.json`: documents `chunk * CHUNK` to `(chunk + 1) * CHUNK - 1` as
  `[url, title, year, authors, citations]`: the site's own paper URL (site-relative),
  the title without bidi controls, "First Author et al.", the citing-paper count.

So a one-word query fetches the manifest, one shard and the document chunks of the
results shown; a filter-only browse the manifest, one facet list and the chunks; a
multi-word (AND) query one shard per word and the later pages its merge reaches. None
of these grows with the collection: the shard and page sizes are fixed, and only the
`firsts` of the commonest words grow (a few bytes per `PAGE` documents).

Every file is JSON data (record text is never markup); the same collection gives the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator import markup, urls
from generator.collection import Collection
from generator.records import Record

FOLDER = "search/data/"
VERSION = 1
PAGE = 128  # document numbers in a posting list's first page (inline in its shard)
# Document numbers in each later page (its own file). Clients find pages by their first
# numbers (`firsts`), never by size; 128 made 52,000 files of a few hundred bytes at
# 50,000 papers (the prefix lists of common words are long).
LATER_PAGE = 1024
CHUNK = 8  # documents per display chunk: a page of 20 scattered results is 20 small files
SHARD_BUDGET = 12_000  # bytes a term shard aims to stay under
PREFIX = 3  # the shortest last word matched as a prefix
TERM_MAX = 40  # characters of a word that are indexed (a longer word is cut)
TOPICS_SHOWN = 100  # topics offered by the topic filter, most used first

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; search.js: [\p{L}\p{N}]+
# Case folds that lower case does not make (Python's casefold() does); search.js has the
# same table.
_FOLDS = str.maketrans({"\u00df": "ss", "\u03c2": "\u03c3", "\u03d0": "\u03b2",
                        "\u03d1": "\u03b8", "\u03d5": "\u03c6", "\u03d6": "\u03c0",
                        "\u03f0": "\u03ba", "\u03f1": "\u03c1", "\u03f5": "\u03b5"})


@dataclass(frozen=True, slots=True)
class Postings:
    """A posting list: document numbers in rank order, and the name of its page files."""

    name: str
    docs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FacetValue:
    key: str
    label: str
    postings: Postings


def fold(text: str) -> str:
    """`text` case-folded the way search.js can repeat exactly: NFKC, the Unicode lower
    case (JavaScript's toLowerCase; it has no casefold), the folds lower case leaves out
    (ß, final sigma, Greek symbol forms), NFKC again."""
    lower = unicodedata.normalize("NFKC", text).lower().translate(_FOLDS)
    return unicodedata.normalize("NFKC", lower)


def tokens(text: str) -> list[str]:
    """The indexed words of `text`: folded runs of letters and digits, cut at `TERM_MAX`."""
    return [word[:TERM_MAX] for word in _WORD.findall(fold(text))]


def fnv1a(text: str) -> int:
    """FNV-1a over the UTF-8 bytes: the same number in search.js."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(term: str, shards: int) -> int:
    return fnv1a(term) % shards


def deltas(numbers: Iterable[int]) -> list[int]:
    """Ascending numbers as the first and the gaps after it (short in JSON)."""
    coded, last = [], 0
    for number in numbers:
        coded.append(number - last)
        last = number
    return coded


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


# ----------------------------------------------------------------- what is indexed


def ranked_ids(site: Collection) -> list[str]:
    """Document order: most cited first, then by title, then id."""
    def key(paper_id: str) -> tuple[int, str, str]:
        return (-len(site.graph.citing(paper_id)), site.records[paper_id].title.casefold(),
                paper_id)
    return sorted(site.records, key=key)


def paper_text(record: Record) -> Iterator[str]:
    """The fields a search matches (not the abstract: see the module)."""
    yield record.id
    yield record.title
    yield from record.authors
    yield from record.topics
    if record.tldr:
        yield record.tldr
    if record.venue:
        yield record.venue


def paper_terms(record: Record) -> set[str]:
    return {term for text in paper_text(record) for term in tokens(text)}


def term_postings(site: Collection, order: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for number, paper_id in enumerate(order):  # ascending, so each list is in rank order
        for term in paper_terms(site.records[paper_id]):
            found.setdefault(term, []).append(number)
    return found


def short_authors(authors: tuple[str, ...]) -> str:
    if not authors:
        return ""
    first = markup.clean_text(authors[0])
    return first + " et al." if len(authors) > 1 else first


def document(site: Collection, paper_id: str) -> list[object]:
    record = site.records[paper_id]
    return [urls.paper_url(site.slugs[paper_id]), markup.clean_text(record.title),
            record.year, short_authors(record.authors), len(site.graph.citing(paper_id))]


def facet_values(site: Collection, number: dict[str, int]) -> dict[str, list[FacetValue]]:
    """Every facet value with its papers: taxonomy order for labels, newest year first,
    the most used topics first."""
    roles: dict[str, set[int]] = {}
    polarities: dict[str, set[int]] = {}
    for target, links in site.graph.cited_by.items():
        for link in links:
            for role in link.roles:
                roles.setdefault(role, set()).add(number[target])
            if link.polarity:
                polarities.setdefault(link.polarity, set()).add(number[target])
    years: dict[int, list[int]] = {}
    for paper_id, record in site.records.items():
        if record.year is not None:
            years.setdefault(record.year, []).append(number[paper_id])
    topics = sorted(site.topics.values(), key=lambda t: (-len(t.paper_ids), t.name, t.slug))
    values: dict[str, list[tuple[str, str, Iterable[int]]]] = {
        "role": [(label.key, label.label, roles.get(label.key, ()))
                 for label in site.config.roles],
        "polarity": [(label.key, label.label, polarities.get(label.key, ()))
                     for label in site.config.polarities],
        "year": [(str(year), str(year), years[year]) for year in sorted(years, reverse=True)],
        "topic": [(topic.slug, topic.name, (number[i] for i in topic.paper_ids))
                  for topic in topics[:TOPICS_SHOWN]],
    }
    facets: dict[str, list[FacetValue]] = {}
    index = 0
    for axis, entries in values.items():
        facets[axis] = []
        for key, label, members in entries:
            facets[axis].append(FacetValue(key, label, Postings(f"f{index}",
                                                                tuple(sorted(members)))))
            index += 1
    return facets


# ----------------------------------------------------------------- files


def search_files(site: Collection) -> dict[str, bytes]:
    """Every file of the search index, by its path relative to the site."""
    order = ranked_ids(site)
    number = {paper_id: index for index, paper_id in enumerate(order)}
    files: dict[str, bytes] = {}
    shards = term_shards(term_postings(site, order), files)
    facets = facet_values(site, number)
    for values in facets.values():
        for value in values:
            files[f"{FOLDER}p/{value.postings.name}.json"] = encode(
                posting_list(value.postings, files))
    for start in range(0, len(order), CHUNK):
        files[f"{FOLDER}d/{start // CHUNK}.json"] = encode(
            [document(site, paper_id) for paper_id in order[start:start + CHUNK]])
    files[FOLDER + "manifest.json"] = encode({
        "version": VERSION, "docs": len(order), "chunk": CHUNK, "page": PAGE,
        "shards": shards, "prefix": PREFIX, "term_max": TERM_MAX,
        "facets": {axis: [[v.key, v.label, len(v.postings.docs), v.postings.name]
                          for v in values] for axis, values in facets.items()},
    })
    return dict(sorted(files.items()))


def posting_list(postings: Postings, files: dict[str, bytes]) -> list[object]:
    """A posting list's entry; its later pages go into `files`."""
    docs = postings.docs
    pages = [docs[:PAGE], *(docs[start:start + LATER_PAGE]
                            for start in range(PAGE, len(docs), LATER_PAGE))]
    for number, page in enumerate(pages[1:], start=1):
        files[f"{FOLDER}p/{postings.name}-{number}.json"] = encode(deltas(page))
    return [len(docs), deltas(pages[0]), deltas(page[0] for page in pages[1:]), postings.name]


def prefix_postings(postings: dict[str, list[int]]) -> dict[str, list[int]]:
    """For each prefix (of `PREFIX` characters or more) that some longer term extends,
    the papers holding any term it starts, keyed `prefix*`: the union a typed last word
    matches, stored once so that a prefix query is one list like any other."""
    unions: dict[str, set[int]] = {}
    for term, docs in postings.items():
        for length in range(PREFIX, len(term)):
            unions.setdefault(term[:length], set()).update(docs)
    for prefix, members in unions.items():
        members.update(postings.get(prefix, ()))
    return {prefix + "*": sorted(members) for prefix, members in unions.items()}


def term_shards(postings: dict[str, list[int]], files: dict[str, bytes]) -> int:
    """Write the term shards into `files`; the number of shards. A prefix's list
    (`word*`) is in the shard of `word`, so one file answers a word as typed so far."""
    lists = postings | prefix_postings(postings)
    keys = sorted(lists)
    count = shard_count([(key.rstrip("*"), entry_size(key, lists[key])) for key in keys])
    members: dict[int, list[str]] = {}
    for key in keys:
        members.setdefault(shard_of(key.rstrip("*"), count), []).append(key)
    for shard, names in sorted(members.items()):
        entries = {key: posting_list(Postings(list_name(key), tuple(lists[key])), files)
                   for key in names}
        files[f"{FOLDER}t/{shard}.json"] = encode(entries)
    return count


def list_name(key: str) -> str:
    """The name of a term's page files: from the term alone, so that an edit which adds or
    drops other words renames no file (64 bits: no two of a collection's words share one)."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def entry_size(term: str, docs: list[int]) -> int:
    """About the bytes of a term's entry in its shard (its first page and firsts)."""
    first = docs[:PAGE]
    digits = sum(len(str(gap)) + 1 for gap in deltas(first))
    later = math.ceil(max(0, len(docs) - PAGE) / LATER_PAGE)
    return len(term.encode("utf-8")) + digits + later * 7 + 24


def shard_count(sizes: list[tuple[str, int]]) -> int:
    """The fewest shards (a power of two) that keep every shard under the budget."""
    count = 1 << max(0, math.ceil(math.log2(max(1, sum(s for _, s in sizes) / SHARD_BUDGET))))
    while True:
        totals: dict[int, int] = {}
        for term, size in sizes:
            shard = shard_of(term, count)
            totals[shard] = totals.get(shard, 0) + size
        if max(totals.values(), default=0) <= SHARD_BUDGET or count >= len(sizes):
            return count
        count *= 2
