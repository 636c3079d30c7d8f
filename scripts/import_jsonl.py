"""Convert a derived citation corpus (papers.jsonl + citations.jsonl) into a citehub content folder.

Why: the shared development corpora (`acl_demo_small`, `aan_bench`, ...) come as two JSON Lines
files, optionally gzipped, one paper or one citation edge a line. citehub reads YAML records
(docs/content-format.md). This script turns such a corpus into a content folder that citehub can
build directly, so the real data can be previewed and benchmarked without ever being copied into
the repository: it reads the shared files only when run.

What it writes into OUT_DIR:

- `site.yaml`: title, base URL, the default hub and explorer settings, and the role and polarity
  taxonomies (the six ACL-ARC roles by default, or citehub's default roles).
- `papers/papers-0001.yaml`, ...: bulk YAML lists of at most 5,000 records each, sorted by id,
  so the same input always gives byte-identical output.

Each record keeps its id verbatim (`ext:3f2a...` included; ids are always quoted YAML strings)
and lists the papers it cites, sorted by cited id, with role, polarity and citation sentences
where known. Edges whose citing or cited paper has no record are dropped, as are self-citations;
role and polarity values outside the chosen taxonomy become unclassified. Everything dropped or
changed is counted in the one-line summary printed at the end.

Usage: python scripts/import_jsonl.py SRC_DIR OUT_DIR [--taxonomy acl-arc|default]
                                       [--title TITLE] [--force]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # PyYAML built without libyaml: slower, same output for ordinary text
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

CHUNK_SIZE = 5000
"""Most records in one bulk file."""

MAX_FALLBACK_TITLE = 200
"""A paper without a title is titled by its raw reference string, cut to this many characters."""

Taxonomy = list[dict[str, str]]

TAXONOMIES: dict[str, Taxonomy] = {
    "acl-arc": [
        {
            "key": "background",
            "label": "Background",
            "description": "Cited as background or prior work",
        },
        {"key": "uses", "label": "Uses", "description": "Uses its data, method or tools"},
        {"key": "extends", "label": "Extends", "description": "Builds on or extends its work"},
        {
            "key": "compare_contrast",
            "label": "Compare / contrast",
            "description": "Compares or contrasts its approach or results",
        },
        {
            "key": "motivation",
            "label": "Motivation",
            "description": "Cited as motivation for the work",
        },
        {
            "key": "future",
            "label": "Future work",
            "description": "Cited as a direction for future work",
        },
    ],
    "default": [
        {
            "key": "background",
            "label": "Background",
            "description": "Cited as context or prior work",
        },
        {"key": "method", "label": "Method", "description": "Uses its method, data or tools"},
        {
            "key": "result",
            "label": "Result",
            "description": "Compares with or builds on its results",
        },
    ],
}

POLARITIES: Taxonomy = [
    {"key": "supportive", "label": "Supportive"},
    {"key": "neutral", "label": "Neutral"},
    {"key": "critical", "label": "Critical"},
]

HUB_DEFAULTS: dict[str, int | float] = {
    "min_citations": 3,
    "dominant_share": 0.70,
    "representative": 24,
}

EXPLORER_DEFAULTS: dict[str, int] = {"page_size": 50}

BULK_FILE = re.compile(r"papers-\d{4,}\.yaml")

Record = dict[str, Any]


class ConvertError(Exception):
    """A problem with the input or the output folder, reported as one line."""


class QuotedId(str):
    """An id, always written as a quoted YAML string (`'2406.11717'` never becomes a number)."""


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _Dumper(_BaseDumper):
    """The safe dumper (libyaml when available) that quotes ids, with a fast path for our data.

    Strings, lists and dicts are built straight into the nodes the stock representer would
    build, skipping its per-type dispatch and alias bookkeeping (no object appears twice in
    our records): about a fifth of the run time on aan_bench. Anything else goes the stock way.
    """

    def represent_data(self, data: Any) -> Node:
        kind = type(data)
        if kind is str:
            return ScalarNode(_STR_TAG, data)
        if kind is QuotedId:
            return ScalarNode(_STR_TAG, str(data), style="'")
        if kind is dict and data:
            pairs = [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()]
            return MappingNode(_MAP_TAG, pairs, flow_style=False)
        if kind is list and data:
            return SequenceNode(_SEQ_TAG, [self.represent_data(v) for v in data], flow_style=False)
        return super().represent_data(data)


@dataclass
class Stats:
    """What the conversion kept, dropped and changed, for the summary line."""

    papers: int = 0
    citations: int = 0
    duplicate_papers: int = 0
    untitled: int = 0
    dangling: int = 0
    self_citations: int = 0
    duplicate_edges: int = 0
    duplicate_contexts: int = 0
    unknown_roles: Counter[str] = field(default_factory=Counter)
    unknown_polarities: Counter[str] = field(default_factory=Counter)

    def summary(self, out_dir: Path, seconds: float) -> str:
        return (
            f"import_jsonl: {self.papers} papers, {self.citations} citations -> {out_dir} "
            f"in {seconds:.2f}s; dropped: {self.dangling} dangling, "
            f"{self.self_citations} self-citations, {self.duplicate_papers} duplicate paper ids; "
            f"unclassified: {_counted(self.unknown_roles)} unknown roles, "
            f"{_counted(self.unknown_polarities)} unknown polarities; "
            f"{self.duplicate_contexts} repeated contexts merged, "
            f"{self.duplicate_edges} repeated edges kept, {self.untitled} untitled papers"
        )


def _counted(values: Counter[str]) -> str:
    total = sum(values.values())
    if not total:
        return "0"
    detail = ", ".join(f"{key}={n}" for key, n in sorted(values.items()))
    return f"{total} ({detail})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the conversion: 0 and a summary line, or 1 and one `error:` line on stderr."""
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        with gc_paused():
            stats = convert(args.src_dir, args.out_dir, args.taxonomy, args.title, args.force)
    except ConvertError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(stats.summary(args.out_dir, time.perf_counter() - started))
    return 0


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: records hold no cycles, and with hundreds of
    thousands of live objects its repeated passes would more than double the run time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def convert(src: Path, out: Path, taxonomy: str, title: str, force: bool) -> Stats:
    """Read the corpus in `src` and write the content folder `out`."""
    check_out_dir(out, force=force)
    papers_path = find_input(src, "papers")
    citations_path = find_input(src, "citations")
    stats = Stats()
    records = load_papers(papers_path, stats)
    roles = {entry["key"] for entry in TAXONOMIES[taxonomy]}
    attach_citations(records, citations_path, roles, stats)
    write_site(out, records, site_config(title, taxonomy))
    warn_stale_files(out, len(records))
    return stats


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="import_jsonl.py",
        description="Convert papers.jsonl + citations.jsonl (optionally .gz) into a citehub "
        "content folder (site.yaml + bulk YAML records).",
    )
    parser.add_argument(
        "src_dir", type=Path, help="folder with papers.jsonl[.gz] and citations.jsonl[.gz]"
    )
    parser.add_argument("out_dir", type=Path, help="content folder to write")
    parser.add_argument(
        "--taxonomy",
        choices=sorted(TAXONOMIES),
        default="acl-arc",
        help="role taxonomy written to site.yaml and used to keep role values (default: acl-arc)",
    )
    parser.add_argument("--title", default="Citation hubs", help="site title")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty OUT_DIR, replacing only site.yaml and the "
        "bulk files this run writes",
    )
    return parser.parse_args(argv)


def check_out_dir(out: Path, *, force: bool) -> None:
    """Refuse a file, or a non-empty folder unless forced, before any input is read."""
    if out.exists() and not out.is_dir():
        raise ConvertError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ConvertError(
            f"{out}: folder is not empty (use --force to replace site.yaml "
            "and papers/papers-NNNN.yaml in it)"
        )


def find_input(src: Path, name: str) -> Path:
    """Return `src/name.jsonl` or `src/name.jsonl.gz`: exactly one of them must exist."""
    found = [path for path in (src / f"{name}.jsonl", src / f"{name}.jsonl.gz") if path.is_file()]
    if not found:
        raise ConvertError(f"{src}: neither {name}.jsonl nor {name}.jsonl.gz found")
    if len(found) > 1:
        raise ConvertError(f"{src}: both {name}.jsonl and {name}.jsonl.gz exist; keep one")
    return found[0]


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSON Lines file, gzipped or not."""
    with _open_text(path) as stream:
        for lineno, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise ConvertError(f"{path}:{lineno}: bad JSON: {err.msg}") from None
            if not isinstance(obj, dict):
                raise ConvertError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, obj


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def load_papers(path: Path, stats: Stats) -> dict[str, Record]:
    """Read every paper into a citehub record, keyed by id; the first of a repeated id wins."""
    records: dict[str, Record] = {}
    for lineno, paper in read_jsonl(path):
        paper_id = paper.get("id")
        if not isinstance(paper_id, str) or not paper_id:
            raise ConvertError(f"{path}:{lineno}: paper without a string id")
        if paper_id in records:
            stats.duplicate_papers += 1
            continue
        records[paper_id] = convert_paper(paper_id, paper, stats)
    stats.papers = len(records)
    return records


def convert_paper(paper_id: str, paper: dict[str, Any], stats: Stats) -> Record:
    """Map one papers.jsonl object to a record, leaving out keys that have no value."""
    record: Record = {"id": QuotedId(paper_id), "title": paper_title(paper_id, paper, stats)}
    authors = [" ".join(a.split()) for a in paper.get("authors") or [] if isinstance(a, str)]
    authors = [a for a in authors if a]
    if authors:
        record["authors"] = authors
    year = _year(paper.get("year"))
    if year is not None:
        record["year"] = year
    external_ids = paper.get("external_ids")
    doi = external_ids.get("doi") if isinstance(external_ids, dict) else None
    tldr = paper.get("tldr")
    if isinstance(tldr, dict):  # Semantic Scholar shape: {"model": ..., "text": ...}
        tldr = tldr.get("text")
    for key, value in (
        ("venue", paper.get("venue")),
        ("abstract", paper.get("abstract")),
        ("tldr", tldr),
        ("doi", doi),
        ("url", paper.get("url")),
    ):
        if isinstance(value, str) and value.strip():
            record[key] = value.strip()
    return record


def paper_title(paper_id: str, paper: dict[str, Any], stats: Stats) -> str:
    """The title with whitespace runs collapsed, else the raw reference string, else the id."""
    title = paper.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    stats.untitled += 1
    raw = paper.get("raw_reference")
    if isinstance(raw, str) and raw.strip():
        raw = " ".join(raw.split())
        if len(raw) > MAX_FALLBACK_TITLE:
            raw = raw[: MAX_FALLBACK_TITLE - 1].rstrip() + "…"
        return raw
    return paper_id


def _year(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def attach_citations(records: dict[str, Record], path: Path, roles: set[str], stats: Stats) -> None:
    """Add each citing record's `cites` list, sorted by cited id, from citations.jsonl."""
    polarities = {entry["key"] for entry in POLARITIES}
    cites: defaultdict[str, list[Record]] = defaultdict(list)
    seen_edges: set[tuple[str, str]] = set()
    for lineno, edge in read_jsonl(path):
        citing, cited = edge.get("citing"), edge.get("cited")
        if not isinstance(citing, str) or not isinstance(cited, str):
            raise ConvertError(f"{path}:{lineno}: citation without string citing/cited ids")
        if citing == cited:
            stats.self_citations += 1
            continue
        if citing not in records or cited not in records:
            stats.dangling += 1
            continue
        if (citing, cited) in seen_edges:
            stats.duplicate_edges += 1
        seen_edges.add((citing, cited))
        cites[citing].append(convert_citation(cited, edge, roles, polarities, stats))
    for citing, entries in cites.items():
        entries.sort(key=lambda entry: str(entry["paper"]))  # stable: repeated edges keep order
        records[citing]["cites"] = entries
        stats.citations += len(entries)


def convert_citation(
    cited: str, edge: dict[str, Any], roles: set[str], polarities: set[str], stats: Stats
) -> Record:
    """One `cites` entry: the cited id, known role(s) and polarity, distinct citation sentences."""
    entry: Record = {"paper": QuotedId(cited)}
    role = edge_roles(edge.get("role"), roles, stats)
    if role is not None:
        entry["role"] = role
    polarity = edge.get("polarity")
    if isinstance(polarity, str) and polarity in polarities:
        entry["polarity"] = polarity
    elif polarity is not None:
        stats.unknown_polarities[str(polarity)] += 1
    contexts = edge_contexts(edge.get("contexts"), stats)
    if contexts:
        entry["contexts"] = contexts
    return entry


def edge_roles(value: object, roles: set[str], stats: Stats) -> str | list[str] | None:
    """Keep the role values in the taxonomy (a string, or a list when several); count the rest."""
    values = value if isinstance(value, list) else [] if value is None else [value]
    kept: list[str] = []
    for role in values:
        if isinstance(role, str) and role in roles:
            if role not in kept:
                kept.append(role)
        elif role is not None:
            stats.unknown_roles[str(role)] += 1
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kept


def edge_contexts(value: object, stats: Stats) -> list[str]:
    """The citation sentences of an edge, in order, without blanks or repeats."""
    texts: list[str] = []
    for context in value if isinstance(value, list) else []:
        text = context.get("text") if isinstance(context, dict) else context
        if not isinstance(text, str) or not text.strip():
            continue
        text = text.strip()
        if text in texts:
            stats.duplicate_contexts += 1
        else:
            texts.append(text)
    return texts


def site_config(title: str, taxonomy: str) -> Record:
    """The site.yaml contents: citehub's defaults with the chosen role taxonomy."""
    return {
        "title": title,
        "base_url": "/",
        "theme": "default",
        "hub": dict(HUB_DEFAULTS),
        "explorer": dict(EXPLORER_DEFAULTS),
        "roles": [dict(entry) for entry in TAXONOMIES[taxonomy]],
        "polarities": [dict(entry) for entry in POLARITIES],
    }


def write_site(out: Path, records: dict[str, Record], config: Record) -> None:
    """Write site.yaml and the records, sorted by id, in bulk files of CHUNK_SIZE records."""
    papers_dir = out / "papers"
    try:
        papers_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConvertError(f"{papers_dir}: cannot create folder: {err.strerror}") from None
    write_yaml(out / "site.yaml", config)
    ordered = [records[paper_id] for paper_id in sorted(records)]
    for number, start in enumerate(range(0, len(ordered), CHUNK_SIZE), start=1):
        write_yaml(papers_dir / bulk_name(number), ordered[start : start + CHUNK_SIZE])


def bulk_name(number: int) -> str:
    return f"papers-{number:04d}.yaml"


def write_yaml(path: Path, data: object) -> None:
    """Dump `data` to `path` atomically: a temporary file beside it, then a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as stream:
            yaml.dump(
                data,
                stream,
                Dumper=_Dumper,
                allow_unicode=True,
                sort_keys=False,
                default_flow_style=False,
                width=1_000_000_000,
            )
        os.replace(tmp, path)
    except OSError as err:
        raise ConvertError(f"{path}: cannot write: {err.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def warn_stale_files(out: Path, record_count: int) -> None:
    """Name bulk files left by an earlier, larger import: they are kept, but would duplicate ids."""
    written = {bulk_name(n) for n in range(1, -(-record_count // CHUNK_SIZE) + 1)}
    stale = sorted(
        path.name
        for path in (out / "papers").iterdir()
        if BULK_FILE.fullmatch(path.name) and path.name not in written
    )
    if stale:
        print(
            f"warning: {out / 'papers'}: bulk files not written by this run were left in place: "
            f"{', '.join(stale)}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
