"""Tests for scripts/import_jsonl.py on a tiny corpus of our own (never the shared data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import import_jsonl

PAPERS: list[dict[str, Any]] = [
    {
        "id": "P02-1040",
        "title": "Bleu: a Method\tfor Automatic Evaluation ",
        "authors": ["Kishore Papineni", "Salim Roukos"],
        "year": 2002,
        "venue": "ACL",
        "abstract": "Human evaluations are expensive.",
        "abstract_source": "aan",
        "tldr": None,
        "external_ids": {"acl": "P02-1040", "doi": "10.3115/1073083.1073135"},
        "url": "http://www.aclweb.org/anthology/P02-1040",
        "metadata_source": "aan-2011",
    },
    {
        "id": "N09-1009",
        "title": "Shared Logistic Normal Distributions",
        "authors": [],
        "year": None,
        "venue": None,
        "abstract": "",
        "abstract_source": None,
        "tldr": "Priors for grammar induction.",
        "external_ids": {"acl": "N09-1009"},
        "url": None,
        "metadata_source": "aan-2011",
    },
    {
        "id": "ext:3f2a9c01",
        "title": None,
        "authors": ["Z S Harris"],
        "year": 1957,
        "venue": "Language,",
        "abstract": None,
        "abstract_source": None,
        "tldr": None,
        "external_ids": {},
        "url": None,
        "raw_reference": "Z. S. Harris. 1957. Co-occurrence and transformation. " + "x" * 300,
        "metadata_source": "parscit-reference-string",
    },
    {"id": "2406.11717", "title": "Refusal Is Mediated by a Single Direction", "year": "2024"},
]

CITATIONS: list[dict[str, Any]] = [
    {  # both labels, a repeated sentence and a blank one
        "citing": "N09-1009",
        "cited": "P02-1040",
        "role": "uses",
        "polarity": "supportive",
        "contexts": [
            {"text": "We score with BLEU (Papineni et al., 2002).", "source": "athar2011"},
            {"text": "We score with BLEU (Papineni et al., 2002).", "source": "jurgens2018"},
            {"text": "  ", "source": "athar2011"},
            {"text": "BLEU correlates with judgements.", "source": "athar2011"},
        ],
        "sources": ["athar2011", "jurgens2018"],
    },
    {  # null role, cites an ext: paper
        "citing": "N09-1009",
        "cited": "ext:3f2a9c01",
        "role": None,
        "polarity": "neutral",
        "contexts": [{"text": "Harris (1957) argued so.", "source": "athar2011"}],
        "sources": ["athar2011"],
    },
    {  # null polarity, no contexts
        "citing": "2406.11717",
        "cited": "P02-1040",
        "role": "background",
        "polarity": None,
        "contexts": [],
        "sources": ["aan-network"],
    },
    {  # role outside ACL-ARC (unclassified), known polarity
        "citing": "2406.11717",
        "cited": "N09-1009",
        "role": "method",
        "polarity": "critical",
        "contexts": [],
        "sources": ["s2"],
    },
    {  # dangling: cited paper has no record
        "citing": "P02-1040",
        "cited": "J93-2004",
        "role": "uses",
        "polarity": "neutral",
        "contexts": [],
        "sources": ["aan-network"],
    },
    {  # self-citation
        "citing": "P02-1040",
        "cited": "P02-1040",
        "role": None,
        "polarity": None,
        "contexts": [],
        "sources": ["aan-network"],
    },
]

EXPECTED: list[dict[str, Any]] = [
    {
        "id": "2406.11717",
        "title": "Refusal Is Mediated by a Single Direction",
        "year": 2024,
        "cites": [
            {"paper": "N09-1009", "polarity": "critical"},
            {"paper": "P02-1040", "role": "background"},
        ],
    },
    {
        "id": "N09-1009",
        "title": "Shared Logistic Normal Distributions",
        "tldr": "Priors for grammar induction.",
        "cites": [
            {
                "paper": "P02-1040",
                "role": "uses",
                "polarity": "supportive",
                "contexts": [
                    "We score with BLEU (Papineni et al., 2002).",
                    "BLEU correlates with judgements.",
                ],
            },
            {
                "paper": "ext:3f2a9c01",
                "polarity": "neutral",
                "contexts": ["Harris (1957) argued so."],
            },
        ],
    },
    {
        "id": "P02-1040",
        "title": "Bleu: a Method for Automatic Evaluation",
        "authors": ["Kishore Papineni", "Salim Roukos"],
        "year": 2002,
        "venue": "ACL",
        "abstract": "Human evaluations are expensive.",
        "doi": "10.3115/1073083.1073135",
        "url": "http://www.aclweb.org/anthology/P02-1040",
    },
    {
        "id": "ext:3f2a9c01",
        "title": ("Z. S. Harris. 1957. Co-occurrence and transformation. " + "x" * 300)[:199] + "…",
        "authors": ["Z S Harris"],
        "year": 1957,
        "venue": "Language,",
    },
]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def _corpus(folder: Path, *, gzipped: bool = False) -> Path:
    folder.mkdir()
    suffix = ".jsonl.gz" if gzipped else ".jsonl"
    _write_jsonl(folder / f"papers{suffix}", PAPERS)
    _write_jsonl(folder / f"citations{suffix}", CITATIONS)
    return folder


def _records(out: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted((out / "papers").glob("*.yaml")):
        records.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return records


def test_writes_exactly_the_expected_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert import_jsonl.main([str(_corpus(tmp_path / "src")), str(out)]) == 0
    assert [p.name for p in (out / "papers").iterdir()] == ["papers-0001.yaml"]
    assert _records(out) == EXPECTED
    summary = capsys.readouterr().out.strip()
    assert "\n" not in summary
    assert "4 papers, 4 citations" in summary
    assert "1 dangling, 1 self-citations" in summary
    assert "1 (method=1) unknown roles" in summary
    assert "1 repeated contexts merged" in summary


def test_gzipped_input_gives_identical_output(tmp_path: Path) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    assert import_jsonl.main([str(_corpus(tmp_path / "a")), str(plain)]) == 0
    assert import_jsonl.main([str(_corpus(tmp_path / "b", gzipped=True)), str(packed)]) == 0
    for name in ("site.yaml", "papers/papers-0001.yaml"):
        assert (plain / name).read_bytes() == (packed / name).read_bytes()


def test_ids_are_quoted_strings(tmp_path: Path) -> None:
    out = tmp_path / "site"
    import_jsonl.main([str(_corpus(tmp_path / "src")), str(out)])
    text = (out / "papers" / "papers-0001.yaml").read_text(encoding="utf-8")
    assert "- id: '2406.11717'\n" in text
    assert "- id: 'ext:3f2a9c01'\n" in text
    assert "- paper: 'ext:3f2a9c01'\n" in text
    assert "- paper: 'P02-1040'\n" in text


def test_site_yaml_has_acl_arc_taxonomy_and_defaults(tmp_path: Path) -> None:
    out = tmp_path / "site"
    import_jsonl.main([str(_corpus(tmp_path / "src")), str(out), "--title", "ACL demo"])
    site = yaml.safe_load((out / "site.yaml").read_text(encoding="utf-8"))
    assert site["title"] == "ACL demo"
    assert site["base_url"] == "/"
    assert site["hub"] == {"min_citations": 3, "dominant_share": 0.70, "representative": 24}
    assert [(r["key"], r["label"]) for r in site["roles"]] == [
        ("background", "Background"),
        ("uses", "Uses"),
        ("extends", "Extends"),
        ("compare_contrast", "Compare / contrast"),
        ("motivation", "Motivation"),
        ("future", "Future work"),
    ]
    assert all(r["description"] for r in site["roles"])
    assert site["polarities"] == [
        {"key": "supportive", "label": "Supportive"},
        {"key": "neutral", "label": "Neutral"},
        {"key": "critical", "label": "Critical"},
    ]


def test_default_taxonomy_leaves_acl_arc_only_roles_unclassified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    src = str(_corpus(tmp_path / "src"))
    assert import_jsonl.main([src, str(out), "--taxonomy", "default"]) == 0
    site = yaml.safe_load((out / "site.yaml").read_text(encoding="utf-8"))
    assert [r["key"] for r in site["roles"]] == ["background", "method", "result"]
    cites = {r["id"]: r.get("cites", []) for r in _records(out)}
    assert cites["2406.11717"] == [
        {"paper": "N09-1009", "role": "method", "polarity": "critical"},
        {"paper": "P02-1040", "role": "background"},
    ]
    assert "role" not in cites["N09-1009"][0]  # `uses` is not a default role
    assert "1 (uses=1) unknown roles" in capsys.readouterr().out


def test_bulk_files_are_split_and_sorted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_jsonl, "CHUNK_SIZE", 3)
    out = tmp_path / "site"
    import_jsonl.main([str(_corpus(tmp_path / "src")), str(out)])
    assert sorted(p.name for p in (out / "papers").iterdir()) == [
        "papers-0001.yaml",
        "papers-0002.yaml",
    ]
    assert _records(out) == EXPECTED


def test_refuses_non_empty_out_dir_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "home.md").write_text("Hello\n", encoding="utf-8")
    assert import_jsonl.main([str(_corpus(tmp_path / "src")), str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["home.md"]


def test_force_replaces_only_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "papers").mkdir(parents=True)
    (out / "home.md").write_text("Hello\n", encoding="utf-8")
    (out / "papers" / "mine.md").write_text("---\ntitle: Mine\n---\n", encoding="utf-8")
    (out / "papers" / "papers-0001.yaml").write_text("[]\n", encoding="utf-8")
    (out / "site.yaml").write_text("title: Old\n", encoding="utf-8")
    assert import_jsonl.main([str(_corpus(tmp_path / "src")), str(out), "--force"]) == 0
    assert (out / "home.md").read_text(encoding="utf-8") == "Hello\n"
    assert (out / "papers" / "mine.md").exists()
    assert _records(out) == EXPECTED
    assert yaml.safe_load((out / "site.yaml").read_text(encoding="utf-8"))["title"] != "Old"
    assert sorted(p.name for p in (out / "papers").iterdir()) == ["mine.md", "papers-0001.yaml"]


def test_output_is_deterministic(tmp_path: Path) -> None:
    src = str(_corpus(tmp_path / "src"))
    import_jsonl.main([src, str(tmp_path / "one")])
    import_jsonl.main([src, str(tmp_path / "two")])
    for name in ("site.yaml", "papers/papers-0001.yaml"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_bad_json_is_one_error_line_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _corpus(tmp_path / "src")
    with (src / "citations.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("{not json\n")
    assert import_jsonl.main([str(src), str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "citations.jsonl:7: bad JSON" in err
    assert "\n" not in err


def test_missing_input_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    assert import_jsonl.main([str(tmp_path / "src"), str(tmp_path / "site")]) == 1
    assert "papers.jsonl" in capsys.readouterr().err
