"""The search index (generator/search.py): words, its file format worked out by hand on a
tiny collection, record text as safe JSON, the bytes a reader fetches at two collection
sizes (through tests/search_client.py, the port of search.js's fetch plan), and the index
kept equal to a fresh build's by full, incremental, sharded and live builds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from generator import search
from generator.build import BuildOptions, build
from generator.cache import ParseCache
from generator.collection import Collection, group_topics, load_collection
from generator.config import SiteConfig
from generator.graph import build_graph
from generator.hubs import compute_hubs
from generator.live import LiveSite
from generator.markup import clean_text
from generator.problems import SourceLine
from generator.records import Citation, Record
from generator.search import FOLDER, search_files, tokens
from generator.urls import slugify
from tests.golden import FIXTURES, tree
from tests.search_client import Client

BUDGET = 64_000  # bytes a query may fetch, at any collection size
GROWTH = 1.5  # how much more a query may fetch at 5x the papers


def cite(target: str, role: str | None = None, polarity: str | None = None) -> Citation:
    return Citation(target, (role,) if role else (), polarity, (), 1)


def paper(paper_id: str, title: str, **fields: object) -> Record:
    return Record(id=paper_id, title=title, at=SourceLine(f"{paper_id}.md", 1),
                  **fields)  # type: ignore[arg-type]


def collection(*records: Record, min_citations: int = 3) -> Collection:
    config = SiteConfig()
    by_id = {r.id: r for r in sorted(records, key=lambda r: r.id)}
    graph = build_graph(list(by_id.values()))
    return Collection(config, by_id, {i: slugify(i) for i in by_id}, graph,
                      compute_hubs(by_id, graph, config), group_topics(by_id), None, [])


def tiny() -> Collection:
    """A cited twice, B once; C and D never (C sorts first by title)."""
    return collection(
        paper("a", "Attention Is All You Need", authors=("Ashish Vaswani", "Noam Shazeer"),
              year=2017, topics=("NLP",)),
        paper("b", "BERT", authors=("Jacob Devlin",), year=2019, venue="NAACL",
              cites=(cite("a", "method", "supportive"),)),
        paper("c", "Attentive readers", year=2019, tldr="Reading with care.",
              cites=(cite("a", "background", "critical"), cite("b", "result"))),
        paper("d", "Unrelated", topics=("nlp", "Vision")),
    )


def parsed(files: dict[str, bytes], name: str) -> object:
    return json.loads(files[FOLDER + name])


def term(files: dict[str, bytes], key: str) -> list[object]:
    manifest = parsed(files, "manifest.json")
    assert isinstance(manifest, dict)
    shard = parsed(files, f"t/{search.fnv1a(key.rstrip('*')) % manifest['shards']}.json")
    assert isinstance(shard, dict)
    found: list[object] = shard[key]
    return found


# ----------------------------------------------------------------- words


@pytest.mark.parametrize(("text", "words"), [
    ("Attention Is All You Need", ["attention", "is", "all", "you", "need"]),
    ("BERT: Pre-training (2019)", ["bert", "pre", "training", "2019"]),
    ("Straße ΟΔΟΣ", ["strasse", "οδοσ"]),  # folds lower case alone leaves
    # NFKC: full-width letters, ligatures
    ("\uff37\uff49\uff44\uff45 \ufb01ne caf\u00e9", ["wide", "fine", "café"]),
    ("cafe\u0301", ["café"]),  # a combining accent composes
    ("snake_case p02-1040", ["snake", "case", "p02", "1040"]),
    ("日本語 テキスト", ["日本語", "テキスト"]),
    ("x" * 50, ["x" * search.TERM_MAX]),
    ("<script>alert(1)</script>", ["script", "alert", "1", "script"]),
])
def test_tokens_fold_case_and_split_on_anything_but_letters_and_digits(
        text: str, words: list[str]) -> None:
    assert tokens(text) == words


def test_fnv1a_matches_the_published_test_vectors() -> None:
    assert search.fnv1a("") == 0x811C9DC5
    assert search.fnv1a("a") == 0xE40C292C
    assert search.fnv1a("foobar") == 0xBF9CF968


def test_deltas() -> None:
    assert search.deltas([3, 4, 10]) == [3, 1, 6]
    assert search.deltas([]) == []


# ----------------------------------------------------------------- the format, by hand


def test_tiny_collection_by_hand() -> None:
    files = search_files(tiny())
    # Rank: a (2 citing), b (1), then by title: "Attentive readers" (c), "Unrelated" (d).
    manifest = parsed(files, "manifest.json")
    assert manifest == {
        "version": 1, "docs": 4, "chunk": search.CHUNK, "page": search.PAGE,
        "shards": manifest["shards"], "prefix": 3, "term_max": 40,  # type: ignore[index]
        "facets": {
            "role": [["background", "Background", 1, "f0"], ["method", "Method", 1, "f1"],
                     ["result", "Result", 1, "f2"]],
            "polarity": [["supportive", "Supportive", 1, "f3"], ["neutral", "Neutral", 0, "f4"],
                         ["critical", "Critical", 1, "f5"]],
            "year": [["2019", "2019", 2, "f6"], ["2017", "2017", 1, "f7"]],
            "topic": [["nlp", "NLP", 2, "f8"], ["vision", "Vision", 1, "f9"]],
        },
    }
    assert parsed(files, "d/0.json") == [
        ["papers/a/", "Attention Is All You Need", 2017, "Ashish Vaswani et al.", 2],
        ["papers/b/", "BERT", 2019, "Jacob Devlin", 1],
        ["papers/c/", "Attentive readers", 2019, "", 0],
        ["papers/d/", "Unrelated", None, "", 0],
    ]
    # Document numbers are delta-coded: [0, 3] is papers 0 and 3.
    assert parsed(files, "p/f1.json") == [1, [0], [], "f1"]  # a is cited for its method
    assert parsed(files, "p/f2.json") == [1, [1], [], "f2"]  # b for its result
    assert parsed(files, "p/f8.json") == [2, [0, 3], [], "f8"]  # "NLP" and "nlp": a, d
    assert term(files, "attention")[:3] == [1, [0], []]
    assert term(files, "attentive")[:3] == [1, [2], []]
    assert term(files, "att*")[:3] == [2, [0, 2], []]  # the prefix: both
    assert term(files, "attentio*")[:3] == [1, [0], []]
    assert term(files, "naacl")[:3] == [1, [1], []]  # venue
    assert term(files, "care")[:3] == [1, [2], []]  # TL;DR
    assert term(files, "vaswani")[:3] == [1, [0], []]  # authors
    assert term(files, "nlp")[:3] == [2, [0, 3], []]  # topics, both spellings
    assert term(files, "d")[:3] == [1, [3], []]  # ids
    keys = {key for name, data in files.items() if "/t/" in name for key in json.loads(data)}
    assert "attention*" not in keys  # nothing longer starts with it
    assert "at*" not in keys  # shorter than PREFIX


def test_later_pages_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGE", 2)
    monkeypatch.setattr(search, "LATER_PAGE", 3)
    files = search_files(collection(*(paper(f"p{n}", f"Common {n}") for n in range(7))))
    entry = term(files, "common")
    name = entry[3]
    # Papers 0-6: page 0 holds 0 and 1; page 1 holds 2, 3 and 4; page 2 holds 5 and 6.
    assert entry == [7, [0, 1], [2, 3], name]
    assert parsed(files, f"p/{name}-1.json") == [2, 1, 1]
    assert parsed(files, f"p/{name}-2.json") == [5, 1]
    assert f"{FOLDER}p/{name}-3.json" not in files


def test_shards_stay_under_the_budget_and_the_count_follows_the_size(tmp_path: Path) -> None:
    small = search_files(tiny())
    generate(1000, tmp_path / "content")
    site, problems = load_collection(tmp_path / "content")
    assert problems == [] and site is not None
    large = search_files(site)
    shards = [len(data) for name, data in large.items() if "/t/" in name]
    assert max(shards) <= search.SHARD_BUDGET
    assert parsed(large, "manifest.json")["shards"] > parsed(  # type: ignore[index]
        small, "manifest.json")["shards"]  # type: ignore[index]
    assert search_files(site) == large  # the same collection, the same bytes


# ----------------------------------------------------------------- untrusted text


TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, tldr=TEXT, author=TEXT, url=TEXT)
def test_record_text_is_json_data_and_title_words_find_the_paper(
        title: str, tldr: str, author: str, url: str) -> None:
    site = collection(paper("x", title, tldr=tldr, authors=(author,), url=url),
                      paper("other", "Other paper"), paper("third", "Third"))
    files = search_files(site)
    for data in files.values():
        json.loads(data.decode("utf-8"))  # every file is well-formed JSON in UTF-8
    docs = [doc for name in files if "/d/" in name for doc in parsed(files, name[len(FOLDER):])]
    mine = next(doc for doc in docs if doc[0] == "papers/x/")
    assert mine[1] == clean_text(title)  # the text itself, bidi controls left out
    assert all(doc[0] in ("papers/x/", "papers/other/", "papers/third/") for doc in docs)
    for word in set(tokens(title)):
        for query in (word, word + " "):  # as typed (a prefix) and finished
            found = Client(files).search(query)
            assert "papers/x/" in [doc[0] for doc in found.docs], query


# ----------------------------------------------------------------- the bytes a reader fetches


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, bytes]]:
    indexes = {}
    for size in (1000, 5000):
        folder = tmp_path_factory.mktemp(f"corpus{size}") / "content"
        generate(size, folder)
        site, problems = load_collection(folder, jobs=2)
        assert problems == [] and site is not None
        indexes[size] = search_files(site)
    return indexes


def term_counts(files: dict[str, bytes]) -> dict[str, int]:
    return {key: entry[0] for name, data in files.items() if "/t/" in name
            for key, entry in json.loads(data).items() if not key.endswith("*")}


def queries(files: dict[str, bytes]) -> dict[str, tuple[str, dict[str, str]]]:
    counts = term_counts(files)
    ranked = sorted(counts, key=lambda t: (-counts[t], t))
    size = parsed(files, "manifest.json")["docs"]  # type: ignore[index]
    rare = next(t for t in reversed(ranked) if counts[t] == 1 and t.isalpha() and len(t) > 3)
    middling = next(t for t in ranked if counts[t] < size // 20)  # scattered results
    return {
        "commonest word, as typed": (ranked[0], {}),
        "commonest word, finished": (ranked[0] + " ", {}),
        "rare word": (rare + " ", {}),
        "two common words": (f"{ranked[0]} {ranked[1]}", {}),
        "a middling and a common word": (f"{middling} {ranked[1]}", {}),
        "filter only": ("", {"role": "method"}),
        "filter and word": (ranked[1], {"polarity": "critical"}),
    }


def test_a_query_fetches_a_bounded_amount_whatever_the_collection_size(
        corpora: dict[int, dict[str, bytes]], capsys: pytest.CaptureFixture[str]) -> None:
    fetched: dict[str, dict[int, int]] = {}
    for size, files in corpora.items():
        for name, (text, filters) in queries(files).items():
            client = Client(files)
            result = client.search(text, **filters)
            assert result.docs, (size, name)  # each finds papers: the bytes are real work
            fetched.setdefault(name, {})[size] = client.bytes()
    with capsys.disabled():
        print("\nbytes fetched per query (1,000 / 5,000 papers):")
        for name, sizes in fetched.items():
            print(f"  {name:30} {sizes[1000]:7,} {sizes[5000]:7,}")
    for name, sizes in fetched.items():
        assert max(sizes.values()) < BUDGET, (name, sizes)
        assert sizes[5000] < sizes[1000] * GROWTH, (name, sizes)


def test_a_filter_only_browse_counts_exactly_and_pages_on(
        corpora: dict[int, dict[str, bytes]]) -> None:
    files = corpora[5000]
    manifest = parsed(files, "manifest.json")
    method = next(v for v in manifest["facets"]["role"] if v[0] == "method")  # type: ignore[index]
    client = Client(files)
    result = client.search("", role="method")
    assert result.count == method[2] > search.PAGE
    assert len(result.docs) == 20
    citations = [doc[4] for doc in result.docs]
    assert citations == sorted(citations, reverse=True)  # most cited first
    assert client.fetched == [FOLDER + "manifest.json", FOLDER + f"p/{method[3]}.json",
                              *sorted({f"{FOLDER}d/{n}.json" for n in range(3)})]


def test_words_are_anded_in_rank_order(tmp_path: Path) -> None:
    generate(1000, tmp_path / "content")
    site, _ = load_collection(tmp_path / "content")
    assert site is not None
    files = search_files(site)
    counts = term_counts(files)
    ranked = sorted(counts, key=lambda t: (-counts[t], t))
    middling = next(t for t in ranked if counts[t] < 50)
    order = search.ranked_ids(site)
    for words in ([ranked[2], ranked[3]], [middling, ranked[1]], [ranked[1], "qqqnotaword"]):
        expected = [site.slugs[i] for i in order
                    if set(words) <= search.paper_terms(site.records[i])][:20]
        found = Client(files).search(" ".join(words) + " ")
        assert [doc[0] for doc in found.docs] == [f"papers/{slug}/" for slug in expected]


# ----------------------------------------------------------------- builds


def index_of(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree(folder).items() if name.startswith(FOLDER)}


def test_a_build_writes_the_index_and_an_update_removes_what_is_gone(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small" / "content", content)
    out = tmp_path / "site"
    assert build(BuildOptions(content=content, output=out, jobs=1)).ok
    site, _ = load_collection(content)
    assert site is not None
    assert index_of(out) == search_files(site)
    stale = out / FOLDER / "t" / "999.json"
    stale.write_bytes(b"{}")
    paper = content / "papers" / "devlin2019.md"
    paper.write_text(paper.read_text().replace('title: "', 'title: "Renamed ', 1))
    report = build(BuildOptions(content=content, output=out, jobs=1))
    assert report.ok and not report.full
    site, _ = load_collection(content)
    assert site is not None
    assert index_of(out) == search_files(site)
    assert "search" in report.phases


def test_shards_write_disjoint_parts_of_the_index_that_make_it_whole(tmp_path: Path) -> None:
    content = FIXTURES / "small" / "content"
    whole = tmp_path / "whole"
    assert build(BuildOptions(content=content, output=whole)).ok
    parts = []
    for part in (1, 2, 3):
        out = tmp_path / f"part-{part}"
        assert build(BuildOptions(content=content, output=out, shard=(part, 3))).ok
        parts.append(index_of(out))
    assert all(parts) and sum(len(p) for p in parts) == len(index_of(whole))
    assert parts[0] | parts[1] | parts[2] == index_of(whole)


def live_site(tmp_path: Path) -> tuple[Path, BuildOptions, LiveSite]:
    """A generated collection of 120 papers, built and kept live."""
    content = tmp_path / "content"
    generate(120, content)
    options = BuildOptions(content=content, output=tmp_path / "site", jobs=1)
    _, live = LiveSite.start(options)
    assert live is not None
    return content, options, live


def test_a_live_edit_keeps_the_index_equal_to_a_fresh_build_after_the_pages(
        tmp_path: Path) -> None:
    content, options, live = live_site(tmp_path)
    path = content / "papers" / "p000119.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Zyzzyva ', 1))
    update = live.update([str(path.resolve())])
    assert update is not None and update.problems == []
    assert "search" not in update.phases and live.search_stale  # remade once edits pause
    live.refresh_search()
    assert live.search.wait()
    site, _ = load_collection(content, ParseCache("test"))
    assert site is not None
    assert index_of(options.output) == search_files(site)
    assert "papers/p000119/" in [d[0] for d in Client(index_of(options.output)).search(
        "zyzzyva").docs]
    path.unlink()  # a deleted paper (the newest: nothing cites it) leaves the index too
    update = live.update([str(path.resolve())])
    assert update is not None and update.problems == []
    live.refresh_search()
    assert live.search.wait()
    site, _ = load_collection(content)
    assert site is not None
    assert index_of(options.output) == search_files(site)
    assert Client(index_of(options.output)).search("zyzzyva").docs == []


def test_an_edit_during_the_index_job_restarts_it_and_the_index_follows_the_last(
        tmp_path: Path) -> None:
    content, options, live = live_site(tmp_path)
    for word in ("Quokka", "Zyzzyva"):  # the second edit comes before the first job ends
        path = content / "papers" / "p000050.md"
        path.write_text(path.read_text().replace('title: "', f'title: "{word} ', 1))
        update = live.update([str(path.resolve())])
        assert update is not None and update.problems == []
        live.refresh_search()
        assert live.search.pid is not None
    assert live.search.wait()
    site, _ = load_collection(content)
    assert site is not None
    assert index_of(options.output) == search_files(site)
    live.save()  # stops nothing left running, and leaves no process behind
    assert live.search.pid is None
