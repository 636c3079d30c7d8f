"""Fingerprints are sound: when any field of a record changes, every page whose bytes
change has a changed fingerprint. (A page with a changed fingerprint but equal bytes
only costs a render; a page with changed bytes and an equal fingerprint would be left
stale by an incremental build.)"""

from __future__ import annotations

import dataclasses

import pytest

from bench.corpus import generate
from generator.build import BuildOptions, Prepared, prepare
from generator.cache import ParseCache
from generator.deps import Fingerprints
from generator.edits import Edit, apply_edit
from generator.pages import plan_site
from generator.records import Record
from generator.render import Renderer
from generator.views import ViewInputs


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    content = tmp_path_factory.mktemp("corpus") / "content"
    generate(60, content)
    with (content / "site.yaml").open("a") as config:  # small pages: many page breaks
        config.write("explorer: {page_size: 3}\nlisting: {page_size: 4}\n")
    found, problems = prepare(BuildOptions(content=content, output=content.parent / "site"),
                              ParseCache("test"))
    assert problems == [] and found is not None
    return found


def rendered(prepared: Prepared, renderer: Renderer) -> dict[str, bytes]:
    return {page.output: renderer.render(page) for page in renderer.inputs.plan.pages}


def mutations(record: Record) -> list[tuple[str, Record]]:
    first = record.cites[0]
    relabelled = dataclasses.replace(first, roles=("result",), polarity="critical",
                                     contexts=("A new sentence.",))
    values: dict[str, object] = {
        "title": record.title + " Revised", "authors": ("Zed Author",), "year": 1989,
        "date": "1989-02-03", "venue": "New Venue", "doi": "10.1234/x.y",
        "arxiv": "2101.00001", "url": "https://example.org/p", "pdf": "https://example.org/p.pdf",
        "tldr": "A new summary.", "topics": ("A Fresh Topic",), "abstract": "New *abstract*.",
        "cites": (relabelled, *record.cites[1:]), "extra": {"note": "x"},
    }
    return [(name, dataclasses.replace(record, **{name: value}))  # type: ignore[arg-type]
            for name, value in values.items()]


def test_every_page_whose_bytes_change_has_a_new_fingerprint(prepared: Prepared) -> None:
    site = prepared.site
    # A paper that is a hub, cites others, and is listed: its fields show up everywhere.
    paper_id = next(i for i in sorted(site.hubs) if site.records[i].cites)
    before = rendered(prepared, prepared.renderer)
    for name, record in mutations(site.records[paper_id]):
        edited, _ = apply_edit(site, Edit({paper_id: record}))
        plan = plan_site(edited)
        prints = Fingerprints(edited, plan, prepared.key, prepared.prints.templates)
        renderer = Renderer(prepared.renderer.env,
                            ViewInputs(edited, plan, prepared.renderer.inputs.markdown),
                            prepared.renderer.site_context)
        after = rendered(prepared, renderer)
        changed = {out for out in after if before.get(out) != after[out]}
        assert changed or name == "extra", name  # each field but `extra` shows somewhere
        for page in plan.pages:
            if page.output in changed:
                assert prints.page(page) != prepared.fingerprints.get(page.output), (
                    name, page.output)
