"""What each page depends on, as a fingerprint: equal fingerprints mean equal bytes.

A page's fingerprint hashes the data its view reads (the records, hubs and listing
slices behind it), the templates its template uses, and the config and site-wide
values every page shows. A rebuild re-renders only the pages whose fingerprint
changed since the last build; see `build`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from generator import __version__
from generator.cache import FileHashes, hash_file
from generator.collection import Collection
from generator.graph import Link
from generator.pages import PagePlan, SitePlan
from generator.parallel import map_forked
from generator.problems import SourceLine
from generator.records import Record
from generator.urls import topic_slug


def digest(parts: Iterable[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def folder_fingerprint(folders: Iterable[Path], seen: dict[str, str] | None = None,
                       hashes: FileHashes | None = None, jobs: int = 1) -> str:
    """The names and bytes of every file under `folders` (theme, overrides, static).

    `seen`, when given, receives each file's content hash by path, so a later stage can
    skip reading files whose hash it already knows. `hashes` spares reading the files
    whose stat is unchanged since they were last hashed; the others are read and
    hashed by `jobs` processes (a cold build of 50,000 papers reads 150 MB here).
    """
    hashes = FileHashes() if hashes is None else hashes
    files: list[tuple[str, Path, os.stat_result]] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                info = hashes.regular_file(path)
                if info is not None:
                    files.append((path.relative_to(folder).as_posix(), path, info))
    found = {path: hashes.known(path, info) for _, path, info in files}
    unknown = [(path, info) for _, path, info in files if found[path] is None]
    computed = map_forked(hash_file, [path for path, _ in unknown], jobs, chunk=256)
    for (path, info), file_hash in zip(unknown, computed, strict=True):
        hashes.remember(path, info, file_hash)
        found[path] = file_hash
    parts: list[str] = []
    for name, path, _ in files:
        file_hash = found[path]
        assert file_hash is not None
        parts += (name, file_hash)
        if seen is not None:
            seen[str(path)] = file_hash
    return digest(parts)


def template_digests(env: jinja2.Environment, names: Iterable[str]) -> dict[str, str]:
    """Per template, a digest of its source and of every template it extends, includes
    or imports (an override in the site's templates/ folder counts as the source).

    Only the pages whose template closure changed are re-rendered after a theme edit: an
    edit to `papers.html` leaves the 50,000 paper pages alone. A template that names
    another through an expression (not a string) is taken to use them all."""
    sources: dict[str, str] = {}
    uses: dict[str, set[str]] = {}

    def visit(name: str) -> None:
        if name in sources:
            return
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
        except jinja2.TemplateNotFound:  # rendering reports it, at the template's line
            source = ""
        sources[name] = source
        found = set(jinja2.meta.find_referenced_templates(env.parse(source)))
        uses[name] = {n for n in found if n is not None}
        if None in found:
            uses[name].update(env.list_templates())
        for used in sorted(uses[name]):
            visit(used)

    digests = {}
    for name in names:
        visit(name)
        closure: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current not in closure:
                closure.add(current)
                stack.extend(uses[current])
        digests[name] = digest(part for used in sorted(closure) for part in (used, sources[used]))
    return digests


class Fingerprints:
    """Fingerprints of records and hubs, computed once, combined per page.

    Three digests per paper, from narrow to wide:
    - `listed`: what other paper pages show of it (a row in an explorer, a reference,
      a cited work in the JSON-LD): the record fields `views.link_row` and
      `scholarly.cited_work` read, and those the explorer order sorts by;
    - `records`: the whole record, for its own pages;
    - `paper(i)`: its row on listing pages: its listed form, hub and citation count.
    Keeping `listed` narrow is what lets an edited abstract re-render one paper's pages,
    not those of every paper it cites.
    """

    def __init__(self, site: Collection, plan: SitePlan, site_wide: str,
                 templates: dict[str, str], reuse: Fingerprints | None = None,
                 changed: Iterable[str] = ()):
        """With `reuse` (the fingerprints of the site before an edit), only the papers
        in `changed` (edited records, and papers whose citing papers changed) are
        digested again."""
        self.site = site
        self.plan = plan
        self.templates = templates  # template name -> `template_digests`
        if reuse is None:
            self.records = {i: record_digest(r) for i, r in site.records.items()}
            self.listed = {i: listed_digest(r) for i, r in site.records.items()}
            self.hubs = {i: digest([repr(h)]) for i, h in site.hubs.items()}
        else:
            self.records, self.listed, self.hubs = (
                dict(reuse.records), dict(reuse.listed), dict(reuse.hubs))
            for paper_id in changed:
                for table in (self.records, self.listed, self.hubs):
                    table.pop(paper_id, None)
                record = site.records.get(paper_id)
                if record is not None:
                    self.records[paper_id] = record_digest(record)
                    self.listed[paper_id] = listed_digest(record)
                hub = site.hubs.get(paper_id)
                if hub is not None:
                    self.hubs[paper_id] = digest([repr(hub)])
        pages = [repr((p.slug, p.title, p.body)) for p in site.pages]
        home = repr(site.home)
        self.paper_digests: dict[tuple[str, bool], str] = {}
        self.shown: dict[str, str] = {}
        self.links_by_source: dict[str, dict[str, Link]] = {}
        # A live site reuses each unchanged link's digest across edits: a hub with
        # thousands of citing papers is re-fingerprinted whenever one of them changes.
        self.link_digests: dict[tuple[str, str], tuple[Link, str]] | None = (
            None if reuse is None else reuse.link_digests if reuse.link_digests is not None
            else {})
        self.site_wide = digest([__version__, site_wide, repr(site.config), *pages, home])

    def paper(self, paper_id: str) -> str:
        """A paper as it is shown in listings: its record, hub and citation count.

        Asked for once per listing slot, so made once."""
        found = self.shown.get(paper_id)
        if found is None:
            found = self.shown[paper_id] = (
                f"{self.listed[paper_id]}:{self.hubs.get(paper_id, '')}:"
                f"{len(self.site.graph.citing(paper_id))}")
        return found

    def page(self, page: PagePlan) -> str:
        name, number = page.key
        parts = [self.site_wide, page.view, page.url, name, str(number),
                 self.templates[page.template] if page.template else ""]
        listings = self.plan.listings
        if page.view in ("paper", "paper_json"):
            parts.append(self.paper_inputs(name, references=page.view == "paper"))
        elif page.view == "citing":
            parts += self.citing_slice(name, number)
        elif page.view == "listing":
            members = listings[name]
            size = self.site.config.listing_page_size
            parts.append(str(len(members)))
            parts += (self.paper(i) for i in members[(number - 1) * size : number * size])
            if name.startswith("topic:"):
                parts.append(self.site.topics[name[6:]].name)
        elif page.view == "terms":
            parts += sorted(f"{n}={len(m)}" for n, m in listings.items() if ":" in n)
            parts += (f"{t.slug}={t.name}" for t in self.site.topics.values())
        elif page.view == "home":
            parts += (self.paper(i) for i in listings["top-hubs"][:10])
            parts += (self.paper(i) for i in listings["recent"][:10])
            parts += [str(len(self.site.records)), str(len(self.site.hubs)),
                      str(sum(len(v) for v in self.site.graph.cited_by.values()))]
        elif page.view == "sitemap":
            parts += (p.url for p in self.plan.pages)
        elif page.view == "feed":
            parts += (self.paper(i) for i in listings["recent"][:20])
        return digest(parts)

    def citing_slice(self, paper_id: str, number: int) -> list[str]:
        """A later page of a hub's explorer: the hub's listed form and that page's rows
        (a hub with 5,000 citing papers has 100 such pages; an edit changes one)."""
        order = self.plan.listings[f"citing:{paper_id}"]
        size = self.site.config.explorer_page_size
        links = self.links_by_source.get(paper_id)
        if links is None:  # made once per hub, not once per explorer page
            links = self.links_by_source[paper_id] = {
                link.source: link for link in self.site.graph.citing(paper_id)}
        parts = [self.listed[paper_id], str(len(order))]
        for source in order[(number - 1) * size: number * size]:
            parts += (self.listed[source], self.link(links[source]))
        return parts

    def link(self, link: Link) -> str:
        """What a citing paper says of a paper (roles, polarity, sentences), as text."""
        cache = self.link_digests
        if cache is None:
            return link_text(link)
        key = (link.source, link.target)
        found = cache.get(key)
        if found is not None and found[0] is link:  # the very same (immutable) link
            return found[1]
        text = link_text(link)  # the same text a full build digests
        cache[key] = (link, text)
        return text

    def paper_inputs(self, paper_id: str, references: bool) -> str:
        """A digest of what a paper's page (`references=True`) or its JSON reads.

        The JSON reads a part of what the page reads, so the page's digest is made from
        the JSON's: each citing paper's link is digested once, not twice."""
        key = (paper_id, references)
        found = self.paper_digests.get(key)
        if found is None:
            shared = self.paper_digests.get((paper_id, False))
            if shared is None:
                shared = self.paper_digests[(paper_id, False)] = digest(
                    self.paper_parts(paper_id))
            found = shared
            if references:
                found = digest([shared, *(self.listed[link.target]
                                          for link in self.site.graph.references(paper_id))])
            self.paper_digests[key] = found
        return found

    def paper_parts(self, paper_id: str) -> list[str]:
        site = self.site
        record = site.records[paper_id]
        parts = [self.records[paper_id], self.hubs.get(paper_id, "")]
        parts += (site.topics[topic_slug(t)].name for t in record.topics
                  if topic_slug(t) in site.topics)
        for link in site.graph.citing(paper_id):  # what each citing paper says of it
            parts += (self.listed[link.source], self.link(link))
        return parts


def link_text(link: Link) -> str:
    # A plain tuple: a dataclass repr (with its recursion guard) cost 3 times as much.
    return repr((link.source, link.target, link.roles, link.polarity, link.contexts))


LISTED_FIELDS = ("id", "title", "year", "date", "tldr", "doi", "arxiv", "url", "pdf",
                 "authors", "venue")


def record_digest(record: Record) -> str:
    """The digest of everything in a record, made from plain tuples: the generated
    dataclass reprs (with their recursion guards) were a sixth of planning a build."""
    fields = []
    for value in record.__reduce__()[1]:
        if isinstance(value, SourceLine):
            value = (value.path, value.line)
        elif value is record.cites:
            value = tuple((c.target, c.roles, c.polarity, c.contexts, c.line)
                          for c in record.cites)
        fields.append(value)
    return digest([repr(fields)])


def listed_digest(record: Record) -> str:
    """The digest of a paper as other papers' pages show it (see `Fingerprints`)."""
    return digest([repr(tuple(getattr(record, name) for name in LISTED_FIELDS))])
