"""Where rendering time goes: per kind of page, the view (context) and the template.

Plans a corpus in-process, then renders every page once in this one process, timing
`views.context_for` and the template (or JSON encoding) apart, without writing. A
profiler inflates Python function calls several times over; this gives the real
split, to decide what to make cheaper.

Usage: python bench/page_costs.py bench/work/corpus-10000-s1
(generate a corpus first, e.g. with `python bench/run.py --sizes 10000 --runs 1`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import BuildOptions, prepare  # noqa: E402
from generator.cache import open_parse_cache  # noqa: E402
from generator.render import encode_json  # noqa: E402
from generator.views import context_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path, help="a content folder (site.yaml, papers/)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        options = BuildOptions(content=args.content, output=Path(scratch) / "site")
        started = time.perf_counter()
        prepared, problems = prepare(options, open_parse_cache(Path(scratch), "none"))
        if prepared is None:
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1
        print(f"planned in {time.perf_counter() - started:.2f} s")
    renderer = prepared.renderer
    hubs = renderer.inputs.site.hubs
    context_s: defaultdict[str, float] = defaultdict(float)
    template_s: defaultdict[str, float] = defaultdict(float)
    pages: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for page in prepared.plan.pages:
        kind = "hub" if page.view == "paper" and page.key[0] in hubs else page.view
        started = time.perf_counter()
        context = context_for(page, renderer.inputs)
        built = time.perf_counter()
        if page.template is None:
            data = encode_json(context)
        else:
            template = renderer.env.get_template(page.template)
            data = template.render(site=renderer.site_context, **context).encode("utf-8")
        context_s[kind] += built - started
        template_s[kind] += time.perf_counter() - built
        pages[kind] += 1
        size[kind] += len(data)
    print("| page kind | pages | view s | template s | ms a page | KB a page |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, count in pages.most_common():
        total = context_s[kind] + template_s[kind]
        print(f"| {kind} | {count:,} | {context_s[kind]:.2f} | {template_s[kind]:.2f} "
              f"| {1000 * total / count:.2f} | {size[kind] / count / 1000:.1f} |")
    print(f"| all | {sum(pages.values()):,} | {sum(context_s.values()):.2f} "
          f"| {sum(template_s.values()):.2f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
