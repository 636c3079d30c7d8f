"""A link checker for a built site: every internal link must name a file that exists.

`check_site(root, base_url)` reads every HTML file (href, src, srcset), the sitemap's
<loc> entries, the feed's <link href> and every "url" field of the JSON files, resolves
each link as a browser would from the page's own URL when the site is served at
`base_url` (a path such as "/sub/path/" or a URL such as "https://example.org/sub/path/"),
and reports each internal link whose target is missing as `page: link`. A fragment
(`#explorer`) must name an id or anchor name on the target page. Links to other hosts,
and mailto:/data: links, are not followed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LOCAL_ORIGIN = "http://site.invalid"  # stands in for the host when base_url is a path
URL_ATTRIBUTES = ("href", "src")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class Link:
    page: str  # the file holding the link, relative to the site root
    link: str  # as written
    url: str  # resolved against the page's URL (absolute)
    target: str | None  # the site file the URL names (relative), None for other hosts


class _Links(HTMLParser):
    """Link values and anchor targets (id, a name) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)


@dataclass(frozen=True)
class Site:
    root: Path
    base_url: str = "/"
    pages: dict[Path, _Links] = field(default_factory=dict, compare=False)  # parsed, by file
    files: set[str] = field(default_factory=set, compare=False)  # every file, relative

    def parse(self, path: Path) -> _Links:
        if path not in self.pages:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            self.pages[path] = parser
        return self.pages[path]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else LOCAL_ORIGIN

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def page_url(self, relative: str) -> str:
        """The URL a file is served at ("papers/x/index.html" -> ".../papers/x/index.html")."""
        return self.origin + self.base_path + relative

    def target(self, url: str, written_absolute: bool = False) -> str | None:
        """The site file an absolute URL names; None for other hosts and schemes.

        A URL on the site's host but outside its base path is another site's when it was
        written as a full URL (an editor's link to the host's home page); written as a
        path, it is a link the site got wrong: it names "../<path>", never a site file.
        """
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return None if written_absolute else "../" + path.lstrip("/")
        relative = path[len(self.base_path):]
        return relative + "index.html" if relative == "" or relative.endswith("/") else relative

    def exists(self, target: str) -> bool:
        if not self.files:
            self.files.update(p.relative_to(self.root).as_posix()
                              for p in self.root.rglob("*") if p.is_file())
        return target in self.files  # URLs arrive with dot segments removed


def _json_urls(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                yield item
            else:
                yield from _json_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_urls(item)


def written_links(site: Site) -> Iterator[tuple[str, str]]:
    """(page, link as written) for every link in the site's HTML, XML and JSON files."""
    for path in sorted(site.root.rglob("*")):
        page = path.relative_to(site.root).as_posix()
        if not path.is_file():
            continue
        if path.suffix == ".html":
            yield from ((page, link) for link in site.parse(path).links)
        elif path.name == "sitemap.xml":
            tree = ET.parse(path).getroot()
            yield from ((page, (loc.text or "").strip()) for loc in tree.iter(f"{SITEMAP}loc"))
        elif path.name == "feed.xml":
            tree = ET.parse(path).getroot()
            yield from ((page, link.get("href", "")) for link in tree.iter(f"{ATOM}link"))
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            yield from ((page, url) for url in _json_urls(data))


def site_links(root: Path, base_url: str = "/", site: Site | None = None) -> Iterator[Link]:
    """Every link of the site, resolved; `target` is None for links off the site."""
    site = site or Site(root, base_url)
    for page, link in written_links(site):
        value = link.strip()
        if value.lower().startswith(("mailto:", "data:", "tel:")):
            continue
        url = urljoin(site.page_url(page), value)
        written = urlsplit(value)
        yield Link(page, link, url, site.target(url, bool(written.scheme or written.netloc)))


def check_site(root: Path, base_url: str = "/") -> list[str]:
    """`page: link` for each internal link whose target file (or #fragment) is missing."""
    site = Site(root, base_url)
    broken: list[str] = []
    for link in site_links(root, base_url, site):
        if link.target is None:
            continue
        if not site.exists(link.target):
            broken.append(f"{link.page}: {link.link}")
            continue
        fragment = unquote(urlsplit(link.url).fragment)
        page = root / link.target
        if fragment and page.suffix == ".html" and fragment not in site.parse(page).anchors:
            broken.append(f"{link.page}: {link.link} (no #{fragment} there)")
    return broken
