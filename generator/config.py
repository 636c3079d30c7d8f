"""The site config, `content/site.yaml`: every key optional, unknown keys rejected.

Each key is documented beside its default in `SiteConfig` and its parts.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

from generator import yamltree
from generator.markup import clean_text
from generator.problems import Problem, display_path
from generator.sources import decode_text, link_problem, strip_control


@dataclass(frozen=True, slots=True)
class Label:
    """One entry of a taxonomy: a stable `key` used in records, and what readers see."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class HubRules:
    min_citations: int = 3  # citing papers a paper needs before it gets a hub
    dominant_share: float = 0.70  # top role share (0..1) that names the badge
    representative: int = 24  # citing papers shown as representative

    @property
    def dominant_fraction(self) -> Fraction:
        """The threshold as an exact fraction, so 0.70 compares exactly with 7 of 10."""
        return Fraction(str(self.dominant_share))


DEFAULT_ROLES = (
    Label("background", "Background", "Cited as context or prior work"),
    Label("method", "Method", "Uses its method, data or tools"),
    Label("result", "Result", "Compares with or builds on its results"),
)
DEFAULT_POLARITIES = (
    Label("supportive", "Supportive"),
    Label("neutral", "Neutral"),
    Label("critical", "Critical"),
)


# CiTO (http://purl.org/spar/cito/) 2.8.1: `cites` and its sub-properties, by local name.
CITO_TERMS = frozenset({
    "cites", "agreesWith", "citesAsAuthority", "citesAsDataSource", "citesAsEvidence",
    "citesAsMetadataDocument", "citesAsPotentialSolution", "citesAsRecommendedReading",
    "citesAsRelated", "citesAsSourceDocument", "citesForInformation", "compiles", "confirms",
    "containsAssertionFrom", "corrects", "credits", "critiques", "derides", "describes",
    "disagreesWith", "discusses", "disputes", "documents", "extends", "includesExcerptFrom",
    "includesQuotationFrom", "linksTo", "obtainsBackgroundFrom", "obtainsSupportFrom",
    "parodies", "plagiarizes", "qualifies", "refutes", "repliesTo", "retracts", "reviews",
    "ridicules", "speculatesOn", "supports", "updates", "usesConclusionsFrom", "usesDataFrom",
    "usesMethodIn",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class CitoMapping:
    """`cito: {roles, polarities}`: the CiTO property (local name) that types a citation
    with that role or polarity key in the JSON-LD; a key not listed adds no CiTO type."""

    roles: tuple[tuple[str, str], ...] = (
        ("background", "citesAsRelated"), ("method", "usesMethodIn"),
        ("result", "usesConclusionsFrom"),
    )  # fmt: skip
    polarities: tuple[tuple[str, str], ...] = (("supportive", "supports"),
                                               ("critical", "disputes"))

    def role(self, key: str) -> str | None:
        return dict(self.roles).get(key)

    def polarity(self, key: str) -> str | None:
        return dict(self.polarities).get(key)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Citation hubs"  # site name, in every page's title and header
    description: str = ""  # one line for the home page's meta description and the feed
    base_url: str = "/"  # where the site is served: "/", "/sub/path/" or "https://host/path/"
    theme: str = "default"  # a folder name under themes/, or a path to a theme folder
    hub: HubRules = field(default_factory=HubRules)
    explorer_page_size: int = 50  # `explorer: {page_size}`: citing papers per static page
    listing_page_size: int = 50  # `listing: {page_size}`: entries per summary page
    roles: tuple[Label, ...] = DEFAULT_ROLES
    polarities: tuple[Label, ...] = DEFAULT_POLARITIES
    cito: CitoMapping = field(default_factory=CitoMapping)
    fingerprint: str = ""  # hash of the config file's bytes, for caches

    @property
    def base_path(self) -> str:
        """The path part of `base_url`, always starting and ending with '/'."""
        rest = self.base_url.split("://", 1)[1] if "://" in self.base_url else self.base_url
        if "://" in self.base_url:
            rest = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return rest if rest.endswith("/") else rest + "/"

    @property
    def absolute_base(self) -> str | None:
        """`base_url` when it names a host (needed for sitemap and feed), else None."""
        if "://" not in self.base_url:
            return None
        return self.base_url if self.base_url.endswith("/") else self.base_url + "/"

    def role(self, key: str) -> Label:
        return next(label for label in self.roles if label.key == key)

    def polarity(self, key: str) -> Label:
        return next(label for label in self.polarities if label.key == key)


CONFIG_FILE = "site.yaml"
_LABEL_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def load_config(content_dir: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read `content_dir/site.yaml` if present; defaults for everything missing."""
    path = content_dir / CONFIG_FILE
    link = link_problem(path, content_dir, "the content folder")
    if link is not None:
        return SiteConfig(), [link]
    if not path.is_file():
        return SiteConfig(), []
    raw = path.read_bytes()
    shown = display_path(path)
    text, problem = decode_text(raw, shown)
    if problem is not None:
        return SiteConfig(), [problem]
    parsed = yamltree.parse(text, shown)
    problems = list(parsed.problems)
    if parsed.root is None or problems:
        return SiteConfig(fingerprint=_fingerprint(raw)), problems
    reader = _Reader(shown, problems)
    config = reader.site(parsed.root)
    object.__setattr__(config, "fingerprint", _fingerprint(raw))
    return config, problems


def _fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


class _Reader:
    """Turns the config's nodes into `SiteConfig`, reporting each bad key."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def report(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, yamltree.line_of(node, 1), message))

    def entries(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{what} must be a mapping, found {yamltree.describe(node)}")
            return []
        return list(yamltree.mapping_entries(node, self.path, 1, self.problems))

    def unknown(self, node: yaml.Node, key: str, known: list[str], where: str) -> None:
        close = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
        self.report(node, f"unknown key '{key}' in {where}{hint}")

    def site(self, root: yaml.Node) -> SiteConfig:
        values: dict[str, object] = {}
        readers: dict[str, Callable[[yaml.Node], object]] = {
            "title": self.text,
            "description": self.text,
            "base_url": self.base_url,
            "theme": self.text,
            "hub": self.hub,
            "explorer": lambda n: self.page_size(n, "explorer"),
            "listing": lambda n: self.page_size(n, "listing"),
            "roles": lambda n: self.taxonomy(n, "roles"),
            "polarities": lambda n: self.taxonomy(n, "polarities"),
            "cito": self.cito,
        }
        for key, node in self.entries(root, "site.yaml"):
            reader = readers.get(key)
            if reader is None:
                self.unknown(node, key, list(readers), "site.yaml")
                continue
            value = reader(node)
            if value is not None:
                target = {"explorer": "explorer_page_size", "listing": "listing_page_size"}
                values[target.get(key, key)] = value
        if "cito" in values:  # checked once the taxonomies its keys refer to are known
            values["cito"] = self.cito_mapping(values["cito"], values)  # type: ignore[arg-type]
        return SiteConfig(**values)  # type: ignore[arg-type]

    def text(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag != yamltree.NULL_TAG:
            return clean_text(strip_control(str(node.value)))
        self.report(node, f"expected text, found {yamltree.describe(node)}")
        return None

    def base_url(self, node: yaml.Node) -> str | None:
        value = self.text(node)
        if value is None:
            return None
        if not (value.startswith("/") or value.startswith(("http://", "https://"))):
            self.report(node, f"base_url must start with '/' or 'https://', found {value!r}")
            return None
        return value

    def whole_number(self, node: yaml.Node, least: int) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamltree.INT_TAG:
            number = int(node.value)
            if number >= least:
                return number
            self.report(node, f"expected a whole number of at least {least}, found {number}")
            return None
        self.report(node, f"expected a whole number, found {yamltree.describe(node)}")
        return None

    def share(self, node: yaml.Node) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            "tag:yaml.org,2002:float",
            yamltree.INT_TAG,
        ):
            value = float(node.value)
            if 0 < value <= 1:
                return value
        self.report(node, f"expected a share between 0 and 1, found {yamltree.describe(node)}")
        return None

    def hub(self, node: yaml.Node) -> HubRules | None:
        values: dict[str, object] = {}
        known = ["min_citations", "dominant_share", "representative"]
        for key, value_node in self.entries(node, "hub"):
            if key == "min_citations":
                values[key] = self.whole_number(value_node, 1)
            elif key == "representative":
                values[key] = self.whole_number(value_node, 0)
            elif key == "dominant_share":
                values[key] = self.share(value_node)
            else:
                self.unknown(value_node, key, known, "hub")
        return HubRules(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]

    def page_size(self, node: yaml.Node, section: str) -> int | None:
        size = None
        for key, value_node in self.entries(node, section):
            if key == "page_size":
                size = self.whole_number(value_node, 1)
            else:
                self.unknown(value_node, key, ["page_size"], section)
        return size

    def taxonomy(self, node: yaml.Node, section: str) -> tuple[Label, ...] | None:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.report(node, f"{section} must be a non-empty list of {{key, label, description}}")
            return None
        labels: list[Label] = []
        for item in node.value:
            fields: dict[str, str] = {}
            for key, value_node in self.entries(item, f"an entry of {section}"):
                if key not in ("key", "label", "description"):
                    self.unknown(value_node, key, ["key", "label", "description"], section)
                    continue
                value = self.text(value_node)
                if value is not None:
                    fields[key] = value
            key = fields.get("key", "")
            if not key:
                self.report(item, f"an entry of {section} needs a 'key'")
                continue
            if not _LABEL_KEY.match(key):
                # Keys name folders (/roles/<key>/): no dots, slashes or spaces.
                self.report(item, f"{section} key {key!r} may hold only letters, digits, "
                                  "'-' and '_'")
                continue
            if any(label.key == key for label in labels):
                self.report(item, f"duplicate key '{key}' in {section}")
                continue
            labels.append(Label(key, fields.get("label", key), fields.get("description", "")))
        return tuple(labels) if labels else None

    def cito(self, node: yaml.Node) -> dict[str, list[tuple[str, yaml.Node]]]:
        axes: dict[str, list[tuple[str, yaml.Node]]] = {}
        for axis, axis_node in self.entries(node, "cito"):
            if axis in ("roles", "polarities"):
                axes[axis] = self.entries(axis_node, f"cito.{axis}")
            else:
                self.unknown(axis_node, axis, ["roles", "polarities"], "cito")
        return axes

    def cito_mapping(self, axes: dict[str, list[tuple[str, yaml.Node]]],
                     values: dict[str, object]) -> CitoMapping:
        """Entries given replace the default for their key; `null` removes it."""
        default = CitoMapping()
        mapped = {"roles": dict(default.roles), "polarities": dict(default.polarities)}
        taxonomies = {"roles": values.get("roles") or DEFAULT_ROLES,
                      "polarities": values.get("polarities") or DEFAULT_POLARITIES}
        for axis, entries in axes.items():
            keys = [label.key for label in taxonomies[axis]]  # type: ignore[attr-defined]
            for key, node in entries:
                where = f"cito.{axis}"
                if key not in keys:
                    self.report(node, f"'{key}' in {where} is not one of the site's {axis} "
                                      f"({', '.join(keys)})")
                    continue
                if isinstance(node, yaml.ScalarNode) and node.tag == yamltree.NULL_TAG:
                    mapped[axis].pop(key, None)
                    continue
                term = self.text(node)
                if term is None:
                    continue
                term = term.removeprefix("cito:")
                if term not in CITO_TERMS:
                    close = difflib.get_close_matches(term, sorted(CITO_TERMS), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.report(node, f"{where}.{key}: {term!r} is not a CiTO citation "
                                      f"property{hint}")
                    continue
                mapped[axis][key] = term
        return CitoMapping(tuple(mapped["roles"].items()), tuple(mapped["polarities"].items()))
