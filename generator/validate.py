"""Rules that span records: duplicate ids, slug collisions, dangling and self cites."""

from __future__ import annotations

from generator.problems import Problem, SourceLine
from generator.records import Record
from generator.urls import slugify


def validate(records: list[Record]) -> tuple[dict[str, str], list[Problem]]:
    """Check the collection; return each id's slug and the problems found."""
    problems: list[Problem] = []
    first_by_id: dict[str, Record] = {}
    for record in records:
        where = record.id_at or record.at
        if record.id in first_by_id:
            first = first_by_id[record.id]
            message = f"duplicate id '{record.id}' (also at {_place(first.id_at or first.at)})"
            problems.append(Problem.at(where, message))
        else:
            first_by_id[record.id] = record
    slugs = _slugs(list(first_by_id.values()), problems)
    for record in records:
        for citation in record.cites:
            if citation.target == record.id:
                problems.append(Problem(record.at.path, citation.line,
                                        f"'{record.id}' cites itself"))
            elif citation.target not in first_by_id:
                problems.append(
                    Problem(
                        record.at.path,
                        citation.line,
                        f"cites unknown paper '{citation.target}' "
                        "(a cited paper needs a record; a stub with id and title is enough)",
                    )
                )
    return slugs, problems


def _slugs(records: list[Record], problems: list[Problem]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    # Case-insensitive: "ABC" and "abc" would be one folder on macOS and Windows.
    owner: dict[str, Record] = {}
    for record in records:
        where = record.id_at or record.at
        slug = slugify(record.id)
        if not slug:
            message = f"id {record.id!r} has no letters or digits for a URL"
            problems.append(Problem.at(where, message))
            continue
        other = owner.get(slug.lower())
        if other is not None:
            other_slug = slugs[other.id]
            maps = (
                f"both map to the URL slug '{slug}'"
                if other_slug == slug
                else f"map to URL slugs that differ only in case ('{other_slug}', '{slug}')"
            )
            place = _place(other.id_at or other.at)
            message = f"id '{record.id}' and id '{other.id}' ({place}) {maps}"
            problems.append(Problem.at(where, message))
            continue
        owner[slug.lower()] = record
        slugs[record.id] = slug
    return slugs


def _place(at: SourceLine) -> str:
    return f"{at.path}:{at.line}"
