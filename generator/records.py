"""Reading paper records: `papers/**/*.md` (front matter + abstract) and bulk `*.yaml`.

Every field is checked for its type here, and every role and polarity against the
site's taxonomies, so each message can name the exact line. Rules that span
records (duplicate ids, dangling cites) belong to `validate`.
"""

from __future__ import annotations

import datetime
import difflib
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path

import yaml

from generator import yamltree
from generator.cache import ParseCache, content_hash, hash_file
from generator.config import Label, SiteConfig
from generator.interning import shared
from generator.parallel import map_forked
from generator.problems import Problem, SourceLine, display_path
from generator.sources import (
    FENCE,
    decode_text,
    link_problem,
    split_front_matter,
    strip_control,
)


@dataclass(frozen=True, slots=True)
class Citation:
    """One entry of a record's `cites` list."""

    target: str  # id of the cited paper
    roles: tuple[str, ...]  # empty = unclassified on the role axis
    polarity: str | None  # None = unclassified on the polarity axis
    contexts: tuple[str, ...]  # citation sentences, when known
    # Where the entry starts in its record's file: a line number, not a SourceLine,
    # which cost 72 bytes more for each of half a million citations at 50,000 papers.
    line: int

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # The parse cache pickles every citation; the dataclass default for slotted
        # classes calls fields() per object and made loading the cache 3x slower.
        return (Citation, (self.target, self.roles, self.polarity, self.contexts, self.line))


@dataclass(frozen=True, slots=True)
class Record:
    """One paper, as the editor wrote it (abstract still markdown)."""

    id: str
    title: str
    at: SourceLine
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    pdf: str | None = None
    tldr: str | None = None
    topics: tuple[str, ...] = ()
    cites: tuple[Citation, ...] = ()
    abstract: str = ""
    id_at: SourceLine | None = None  # the `id:` line when given, for duplicate-id messages
    complete: bool = True  # False when the record had problems; such a site never builds

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (Record, tuple(getattr(self, name) for name in RECORD_FIELDS))
    extra: dict[str, object] = field(default_factory=dict, compare=False)


RECORD_FIELDS = tuple(f.name for f in fields(Record))


@dataclass(frozen=True, slots=True)
class Loaded:
    records: list[Record]
    problems: list[Problem]


TEXT_FIELDS = ("title", "venue", "doi", "arxiv", "url", "pdf", "tldr")
KNOWN_FIELDS = (
    "id", "title", "authors", "year", "date", "venue", "doi", "arxiv", "url", "pdf",
    "tldr", "topics", "cites", "abstract", "extra",
)  # fmt: skip
CITE_FIELDS = ("paper", "role", "polarity", "contexts", "context")
RECORD_SUFFIXES = (".md", ".yaml", ".yml")  # a record file; bulk files are YAML
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
def load_records(content_dir: Path, config: SiteConfig,
                 cache: ParseCache | None = None, jobs: int = 1) -> Loaded:
    """Every record under `content_dir/papers`, in a stable (path, position) order.

    With a `cache`, a file whose bytes are unchanged since the last build is not parsed
    again (its cache key includes the config, whose taxonomies the parse checks). The
    files left to parse are parsed by `jobs` processes: a cold build of 50,000 papers
    spends most of its planning time here.
    """
    papers_dir = content_dir / "papers"
    files, problems = scan_papers(papers_dir, content_dir)
    loaded: list[Loaded | None] = []
    misses: list[tuple[int, Path, str]] = []  # index, path, shown
    for path in files:
        shown = display_path(path)
        found = cached(path, shown, cache) if cache else None
        if found is None:
            misses.append((len(loaded), path, shown))
        loaded.append(found)
    # The files are read where they are parsed: a parent that read them all first held
    # every byte of a 50,000-paper collection (150 MB) while its workers parsed.
    parsed = map_forked(partial(parse_miss, config=config), misses, jobs)
    for (index, _, shown), (digest, result) in zip(misses, parsed, strict=True):
        if cache:
            cache.put(shown, digest, result)
        loaded[index] = result
    records: list[Record] = []
    for result in loaded:
        assert result is not None
        records.extend(result.records)
        problems.extend(result.problems)
    return Loaded(records, problems)


def cached(path: Path, shown: str, cache: ParseCache) -> Loaded | None:
    """The file's parse from the cache, or None."""
    digest = cache.known.get(str(path))  # hashed already by the build's input check
    if digest is None:
        digest = hash_file(path)
    found = cache.get(shown, digest)
    return found if isinstance(found, Loaded) else None


def parse_miss(miss: tuple[int, Path, str], config: SiteConfig) -> tuple[str, Loaded]:
    """A file's parse and the hash of the very bytes parsed (the file may have changed
    since the input check hashed it: the cache must hold the parse under its own bytes)."""
    _, path, shown = miss
    raw = path.read_bytes()
    return content_hash(raw), parse_file(raw, path, shown, config)


def scan_papers(papers_dir: Path, content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The record files under `papers_dir` in path order, and a problem for each bad link."""
    problem = link_problem(papers_dir, content_dir, "the content folder")
    if problem is not None:
        return [], [problem]
    if not papers_dir.is_dir():
        return [], []
    files: list[Path] = []
    problems: list[Problem] = []
    for path in papers_dir.rglob("*"):
        if path.name.startswith("."):
            continue
        problem = link_problem(path, content_dir, "the content folder")
        if problem is not None:
            problems.append(problem)
        elif is_record_name(path) and path.is_file():
            files.append(path)
    return sorted(files), problems


def is_record_name(path: Path) -> bool:
    """Whether a file under papers/ is read as records, by its name."""
    return not path.name.startswith(".") and path.suffix in RECORD_SUFFIXES


def load_file(path: Path, config: SiteConfig) -> Loaded:
    return parse_file(path.read_bytes(), path, display_path(path), config)


def parse_file(raw: bytes, path: Path, shown: str, config: SiteConfig) -> Loaded:
    text, problem = decode_text(raw, shown)
    if problem is not None:
        return Loaded([], [problem])
    reader = RecordReader(shown, config)
    if path.suffix == ".md":
        reader.markdown_file(text, default_id=path.stem)
    else:
        reader.bulk_file(text)
    return Loaded(reader.records, reader.problems)


class RecordReader:
    """Reads the records of one file, collecting problems with their lines."""

    def __init__(self, path: str, config: SiteConfig):
        self.path = path
        # Key -> the config's own string, so that every citation with a label shares one
        # string (and `interning.shared` one tuple) instead of holding its own: at 50,000
        # papers half a million citations each saved about 200 bytes.
        self.roles = {label.key: label.key for label in config.roles}
        self.polarities = {label.key: label.key for label in config.polarities}
        self.config = config
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.first_line = 1

    def report(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else yamltree.line_of(node, self.first_line)
        self.problems.append(Problem(self.path, line, message))

    def markdown_file(self, text: str, default_id: str) -> None:
        parts = split_front_matter(text)
        if parts is None:
            if text.startswith(FENCE):
                self.report(1, "front matter opened with '---' here is never closed by '---'")
            else:
                self.report(1, "expected front matter: the file must start with a '---' line")
            return
        front, body, _ = parts
        self.first_line = 2
        parsed = yamltree.parse(front, self.path, first_line=2)
        self.problems.extend(parsed.problems)
        if parsed.problems:
            return
        if parsed.root is None:
            self.report(1, "front matter is empty: a record needs at least a 'title'")
            return
        self.record(parsed.root, default_id=default_id, body=body.strip("\n"))

    def bulk_file(self, text: str) -> None:
        parsed = yamltree.parse(text, self.path)
        self.problems.extend(parsed.problems)
        if parsed.problems or parsed.root is None:
            return
        if not isinstance(parsed.root, yaml.SequenceNode):
            what = yamltree.describe(parsed.root)
            self.report(parsed.root, f"a bulk file must be a list of records, found {what}")
            return
        for node in parsed.root.value:
            self.record(node, default_id=None, body=None)

    def record(self, node: yaml.Node, default_id: str | None, body: str | None) -> None:
        start = SourceLine(self.path, yamltree.line_of(node, self.first_line))
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"a record must be a mapping, found {yamltree.describe(node)}")
            return
        fields: dict[str, object] = {}
        before = len(self.problems)
        entries = yamltree.mapping_entries(node, self.path, self.first_line, self.problems)
        readers: dict[str, Callable[[yaml.Node], object]] = {
            "id": self.identifier,
            "authors": lambda n: self.text_list(n, "authors"),
            "topics": lambda n: self.text_list(n, "topics"),
            "year": self.year,
            "date": self.date,
            "cites": self.cites,
            "abstract": lambda n: self.text(n, "abstract"),
            "extra": self.extra,
            **{name: self.text_reader(name) for name in TEXT_FIELDS},
        }
        seen: set[str] = set()
        for key, value_node in entries:
            seen.add(key)
            reader = readers.get(key)
            if reader is None:
                self.unknown_key(value_node, key, KNOWN_FIELDS, "record")
                continue
            if value_node.tag == yamltree.NULL_TAG and key != "title":
                continue  # `doi:` left empty means unknown, as if absent
            value = reader(value_node)
            if value is not None:
                fields[key] = value
            if key == "id":
                line = yamltree.line_of(value_node, self.first_line)
                fields["id_at"] = SourceLine(self.path, line)
        if "title" not in seen:
            self.report(node, "missing required field 'title'")
        if body is not None and body.strip():
            if "abstract" in fields:
                self.report(node, "abstract given twice: in front matter and as the body")
            fields["abstract"] = strip_control(body)
        record_id = fields.get("id", default_id)
        if record_id is None and "id_at" not in fields:  # an empty `id` is reported already
            self.report(node, "a record in a bulk file needs an 'id'")
        if record_id is None:
            return
        fields["id"] = record_id
        fields.setdefault("title", "")
        # A record with problems of its own is kept, marked incomplete, so that the rules
        # across records still see its id and its citations (and report theirs too).
        fields["complete"] = len(self.problems) == before
        self.records.append(Record(at=start, **fields))  # type: ignore[arg-type]

    def unknown_key(self, node: yaml.Node, key: str, known: Iterable[str], where: str) -> None:
        close = difflib.get_close_matches(key, list(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " (free-form data goes under 'extra')"
        self.report(node, f"unknown field '{key}' in {where}{hint}")

    def text_reader(self, name: str) -> Callable[[yaml.Node], str | None]:
        return lambda node: self.text(node, name)

    def text(self, node: yaml.Node, name: str) -> str | None:
        """A scalar's text as written: `2406.11717` and `yes` stay strings."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == yamltree.NULL_TAG:
            self.report(node, f"'{name}' must be text, found {yamltree.describe(node)}")
            return None
        value = strip_control(str(node.value)).strip()
        if name == "title" and not value:
            self.report(node, "'title' must not be empty")
            return None
        return value

    def identifier(self, node: yaml.Node) -> str | None:
        value = self.text(node, "id")
        if value is not None and not value:
            self.report(node, "'id' must not be empty")
            return None
        return value

    def text_list(self, node: yaml.Node, name: str) -> tuple[str, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'{name}' must be a list, found {yamltree.describe(node)}")
            return None
        values = [self.text(item, f"an entry of {name}") for item in node.value]
        if any(value is None for value in values):
            return None
        return tuple(value for value in values if value)

    def year(self, node: yaml.Node) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamltree.INT_TAG:
            try:
                year = int(node.value, 10)
            except ValueError:
                year = -1
            if 1000 <= year <= 2999:
                return year
        self.report(node, f"'year' must be a four-digit year, found {yamltree.describe(node)}")
        return None

    def date(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and _DATE.match(str(node.value)):
            try:  # a real calendar date, not 2024-02-30 (a year or year-month is fine)
                datetime.date.fromisoformat((str(node.value) + "-01-01")[:10])
            except ValueError:
                self.report(node, f"'date' is not a calendar date: {node.value}")
                return None
            return str(node.value)
        self.report(node, f"'date' must look like 2024-06-17, found {yamltree.describe(node)}")
        return None

    def extra(self, node: yaml.Node) -> dict[str, object] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"'extra' must be a mapping, found {yamltree.describe(node)}")
            return None
        return {key: plain(value) for key, value in
                yamltree.mapping_entries(node, self.path, self.first_line, self.problems)}

    def cites(self, node: yaml.Node) -> tuple[Citation, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'cites' must be a list, found {yamltree.describe(node)}")
            return None
        citations = [self.citation(item) for item in node.value]
        return tuple(c for c in citations if c is not None)

    def citation(self, node: yaml.Node) -> Citation | None:
        line = yamltree.line_of(node, self.first_line)
        if isinstance(node, yaml.ScalarNode) and node.tag != yamltree.NULL_TAG:
            return Citation(sys.intern(str(node.value)), (), None, (), line)  # `- id` shorthand
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"a 'cites' entry must be a mapping, found {yamltree.describe(node)}")
            return None
        target: str | None = None
        roles: tuple[str, ...] = ()
        polarity: str | None = None
        contexts: list[str] = []
        before = len(self.problems)
        for key, value in yamltree.mapping_entries(node, self.path, self.first_line, self.problems):
            if value.tag == yamltree.NULL_TAG and key != "paper":
                continue
            if key == "paper":
                target = self.text(value, "paper")
                if target == "":
                    self.report(value, "'paper' must not be empty")
            elif key == "role":
                roles = self.labels(value, "role", self.roles, self.config.roles)
            elif key == "polarity" and isinstance(value, yaml.SequenceNode):
                self.report(value, "'polarity' takes one value, not a list")
            elif key == "polarity":
                found = self.labels(value, "polarity", self.polarities, self.config.polarities)
                polarity = found[0] if found else None
            elif key == "contexts":
                contexts.extend(self.text_list(value, "contexts") or ())
            elif key == "context":
                contexts.extend(filter(None, [self.text(value, "context")]))
            else:
                self.unknown_key(value, key, CITE_FIELDS, "a 'cites' entry")
        if target is None and len(self.problems) == before:
            self.report(node, "a 'cites' entry needs 'paper' (the id of the cited paper)")
        if not target or len(self.problems) > before:
            return None
        return Citation(sys.intern(target), roles, polarity, tuple(contexts), line)

    def labels(
        self, node: yaml.Node, name: str, allowed: dict[str, str], taxonomy: tuple[Label, ...]
    ) -> tuple[str, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        keys: list[str] = []
        for item in items:
            key = self.text(item, name)
            if key is None:
                continue
            if key not in allowed:
                expected = ", ".join(label.key for label in taxonomy)
                self.report(item, f"unknown {name} '{key}' (expected {expected})")
            elif key not in keys:
                keys.append(allowed[key])
        return shared(tuple, tuple(keys))  # one tuple per combination of labels


def plain(node: yaml.Node) -> object:
    """A node as plain Python data (scalars as their text), for free-form `extra`."""
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(key.value): plain(value) for key, value in node.value}
    return None if node.tag == yamltree.NULL_TAG else str(node.value)
