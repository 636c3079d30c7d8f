"""Deterministic synthetic corpora for benchmarking citehub against Hugo.

Why synthetic: the real collections we have stop at 18k papers, but DESIGN.md asks
citehub to handle 100,000 papers and 1,000,000 citations. The shape that makes a
citation site expensive is the skew, so citation targets are drawn by preferential
attachment: a few old papers collect thousands of citing papers (their hub pages and
per-paper JSON are the big ones), most collect a handful. The records mimic real
data: some citations have no role or no polarity, some have two roles, most have a
citation sentence, abstracts are 150-200 words of Zipf-distributed words.

Why deterministic: a benchmark compares builds over time, so the same (size, seed)
must give byte-identical files on every machine. Every random draw comes from
`random.Random` seeded with a string (seeded through SHA-512, not `hash()`), and
records are written in id order.

The same records feed the Hugo peer: Hugo reads the YAML front matter itself (it
keeps unknown keys such as `cites` as page params), so `hugo_content` only links
the paper files into a Hugo site whose config and layouts live in `bench/hugo/`.

Usage: python bench/corpus.py N OUT_DIR [--seed S] [--hugo HUGO_SITE_DIR]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HUGO_TEMPLATE_DIR = Path(__file__).resolve().parent / "hugo"
# Written last into a corpus folder: its presence means the corpus is complete.
CORPUS_MARKER = ".corpus-stats.json"

# Citation graph shape. Each paper cites REFS_MEAN earlier papers on average; a
# target is drawn in proportion to the citations it already has with probability
# ATTACHMENT (the rich get richer), else uniformly among earlier papers (so that new
# papers get their first citation). 0.75 gives a degree exponent near 2.3 and top
# hubs with thousands of citing papers at 100k papers.
REFS_MEAN = 10.0
REFS_SD = 4.0
ATTACHMENT = 0.75

FIRST_YEAR = 1990
LAST_YEAR = 2025


# Real data labels only part of its edges (see shared/data/README.md).
P_ROLE_MISSING = 0.30
P_TWO_ROLES = 0.10
P_POLARITY_MISSING = 0.35
# How often a citation follows the cited paper's own leaning, so that some hubs have
# a dominant role (a badge) and others are mixed.
P_FOLLOW_LEANING = 0.55
P_CONTESTED = 0.10
P_TLDR = 0.80


def wordlist(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The default taxonomies, spelt out. Descriptions are quoted: in a flow mapping an
# unquoted comma ends the value ("Uses its method, data or tools" would not parse).
SITE_YAML = """\
title: Synthetic citation hubs
base_url: /
roles:
  - {key: background, label: Background, description: "Cited as context or prior work"}
  - {key: method, label: Method, description: "Uses its method, data or tools"}
  - {key: result, label: Result, description: "Compares with or builds on its results"}
polarities:
  - {key: supportive, label: Supportive}
  - {key: neutral, label: Neutral}
  - {key: critical, label: Critical}
"""

FUNCTION_WORDS = wordlist(
    "the of and to in a is that for we on with as by this are from be an which our it "
    "can these at or not has than also both its their such more into when while been "
    "between over each under only most without across through using"
)
CONTENT_WORDS = wordlist(
    "model models language learning neural data results method approach performance "
    "task tasks training translation parsing text corpus word words semantic syntactic "
    "evaluation features representation representations network networks attention "
    "sentence sentences annotation dataset datasets accuracy baseline baselines system "
    "systems information knowledge retrieval question answering generation dialogue "
    "speech recognition entity entities relation relations extraction classification "
    "sentiment analysis structure structures graph graphs tree trees dependency "
    "grammar grammars probabilistic statistical supervised unsupervised transfer "
    "multilingual cross-lingual lexical discourse coreference summarization alignment "
    "decoding inference optimization objective loss embeddings embedding contextual "
    "pretrained fine-tuning benchmark benchmarks human judgments error errors robust "
    "robustness efficient scalable framework algorithm algorithms experiments "
    "experimental empirical theoretical analysis improvement improvements state art "
    "large small domain domains adaptation signal signals latent variable variables "
    "bayesian markov conditional random field fields sequence sequences labeling "
    "tagging segmentation morphology morphological phrase phrases machine statistical "
    "reranking parser parsers treebank treebanks metric metrics quality reference "
    "references translation-based encoder decoder transformer recurrent convolutional "
    "memory layer layers sparse dense vector vectors space spaces clustering topic "
    "topics distribution distributions sampling estimation likelihood prior posterior "
    "kernel margin regression linear nonlinear feature-based rule-based hybrid "
    "resource resources low-resource annotated unlabeled weakly distant supervision "
    "instruction instructions reasoning factual consistency hallucination safety "
    "refusal steering probing interpretability circuits activation activations "
    "direction directions subspace behavior behaviors scaling compute tokens token "
    "vocabulary context contexts window long short global local hierarchical joint "
    "shared task-specific general specific novel simple strong weak significant "
    "substantial consistent competitive comparable previous prior recent new"
)
# A long tail of rare terms (like names of methods and data sets in real abstracts),
# spelt from syllables so the list is fixed without being typed out.
SYLLABLES = ("ka", "lo", "ri", "ven", "tor", "mi", "sa", "del", "nu", "pra", "zo", "qui")
RARE_WORDS = tuple("".join(parts) for parts in itertools.product(SYLLABLES, repeat=3))
VOCABULARY = (*FUNCTION_WORDS, *CONTENT_WORDS, *RARE_WORDS)
# Zipf's law: the word of rank r has weight 1/r, damped for the rare tail so that it
# makes up about a tenth of the text.
RARE_DAMPING = 0.3
# Text is cut from one pre-drawn stream of words (a slice per sentence) rather than
# drawn word by word: 40 million draws would take most of the time at 100k papers.
WORD_STREAM_LENGTH = 1 << 20

FIRST_NAMES = wordlist(
    "Ana Ben Chen Dara Eli Fatima Gus Hana Ivan Jun Kofi Lena Mateo Nadia Omar Priya "
    "Quinn Rosa Sven Tara Umar Vera Wei Xena Yuki Zane Aisha Bruno Carla Dmitri Elena "
    "Farid Greta Hugo Ines Jonas Kira Luis Mei Nils"
)
LAST_NAMES = wordlist(
    "Abe Baker Cohen Diaz Evans Fischer Garcia Hansen Ito Jensen Kim Lopez Muller Nakamura "
    "Okafor Patel Quist Rossi Silva Tanaka Umeh Varga Wang Xu Yilmaz Zhang Arditi Berg "
    "Costa Dubois Eriksen Ferreira Gupta Horvath Iyer Jovanovic Kowalski Larsen Moreau "
    "Novak Olsen Petrov Ramos Schmidt Torres Ueda Volkov Weber Yang Zhou"
)
TOPICS = tuple(
    f"{first} {second}"
    for first, second in itertools.product(
        wordlist(
            "neural statistical multilingual low-resource semantic syntactic discourse "
            "clinical legal conversational multimodal efficient robust interpretable "
            "biomedical scientific social temporal cross-lingual unsupervised"
        ),
        wordlist(
            "parsing translation summarization retrieval generation classification tagging "
            "evaluation representation reasoning"
        ),
    )
)


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What was generated, for the benchmark report."""

    papers: int
    citations: int
    seed: int
    generator: str  # fingerprint of this file: a cached corpus from other code is stale
    max_citing: int  # citing papers of the biggest hub
    hubs: int  # papers with at least 3 citing papers (the default hub.min_citations)
    over_1000: int  # papers with at least 1,000 citing papers
    bytes: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Categorical:
    """A weighted choice among a few options, drawn with one random number."""

    options: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[str, float]) -> Categorical:
        return cls(tuple(weights), tuple(itertools.accumulate(weights.values())))

    def draw(self, rng: random.Random) -> str:
        return self.options[bisect.bisect(self.cum_weights, rng.random() * self.cum_weights[-1])]


ROLE = Categorical.of({"background": 0.60, "method": 0.25, "result": 0.15})
POLARITY = Categorical.of({"supportive": 0.30, "neutral": 0.62, "critical": 0.08})
CONTESTED_POLARITY = Categorical.of({"supportive": 0.20, "neutral": 0.40, "critical": 0.40})
CONTEXT_COUNT = Categorical.of({"0": 0.30, "1": 0.50, "2": 0.20})  # citation sentences
AUTHOR_COUNT = Categorical.of({"1": 10, "2": 25, "3": 25, "4": 20, "5": 12, "6": 8})


class WordStream:
    """Zipf-distributed words; `take` returns a run of them from a random offset."""

    def __init__(self, rng: random.Random) -> None:
        rare_from = len(VOCABULARY) - len(RARE_WORDS)
        weights = [
            (RARE_DAMPING if rank > rare_from else 1.0) / rank
            for rank in range(1, len(VOCABULARY) + 1)
        ]
        self._words = rng.choices(VOCABULARY, weights, k=WORD_STREAM_LENGTH)

    def take(self, rng: random.Random, count: int) -> list[str]:
        start = rng.randrange(WORD_STREAM_LENGTH - count)
        return self._words[start : start + count]


@dataclass(frozen=True, slots=True)
class PaperHead:
    """What a citation sentence needs to know about the paper it cites."""

    surname: str
    year: int


def generate(n_papers: int, out_dir: Path, seed: int = 1) -> CorpusStats:
    """Write a corpus of `n_papers` records into `out_dir` (site.yaml and papers/)."""
    started = time.perf_counter()
    graph = citation_graph(n_papers, random.Random(f"citehub-bench-graph-{seed}"))
    rng = random.Random(f"citehub-bench-text-{seed}")
    stream = WordStream(rng)
    leanings = [ROLE.draw(rng) for _ in range(n_papers)]
    contested = [rng.random() < P_CONTESTED for _ in range(n_papers)]

    papers_dir = out_dir / "papers"
    papers_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    heads: list[PaperHead] = []
    written = 0
    for index, targets in enumerate(graph):
        authors = author_list(rng)
        year = year_of(index, n_papers)
        heads.append(PaperHead(authors[0].rsplit(" ", 1)[-1], year))
        cites = [
            citation_yaml(rng, stream, paper_id(t), heads[t], leanings[t], contested[t])
            for t in targets
        ]
        text = paper_markdown(rng, stream, authors, year, cites)
        (papers_dir / f"{paper_id(index)}.md").write_text(text, encoding="utf-8", newline="\n")
        written += len(text)

    citing_counts = in_degrees(graph, n_papers)
    return CorpusStats(
        papers=n_papers,
        citations=sum(len(targets) for targets in graph),
        seed=seed,
        generator=generator_fingerprint(),
        max_citing=max(citing_counts, default=0),
        hubs=sum(1 for count in citing_counts if count >= 3),
        over_1000=sum(1 for count in citing_counts if count >= 1000),
        bytes=written,
        seconds=round(time.perf_counter() - started, 3),
    )


def generator_fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def paper_id(index: int) -> str:
    """`p000123`: zero-padded so that ids sort like their indices."""
    return f"p{index:06d}"


def citation_graph(n_papers: int, rng: random.Random) -> list[list[int]]:
    """For each paper, the indices of the earlier papers it cites (no repeats)."""
    received: list[int] = []  # one entry per citation received: in-degree-weighted draws
    graph: list[list[int]] = []
    for index in range(n_papers):
        wanted = min(index, max(0, round(rng.gauss(REFS_MEAN, REFS_SD))))
        chosen: dict[int, None] = {}  # insertion-ordered set
        attempts = 0
        while len(chosen) < wanted and attempts < 20 * wanted:
            attempts += 1
            if received and rng.random() < ATTACHMENT:
                target = received[rng.randrange(len(received))]
            else:
                target = rng.randrange(index)
            chosen[target] = None
        targets = list(chosen)
        received.extend(targets)
        graph.append(targets)
    return graph


def in_degrees(graph: Sequence[Sequence[int]], n_papers: int) -> list[int]:
    """Number of citing papers of each paper."""
    counts = [0] * n_papers
    for targets in graph:
        for target in targets:
            counts[target] += 1
    return counts


def year_of(index: int, n_papers: int) -> int:
    """Years rise with the index, so every paper cites papers of its year or before."""
    span = LAST_YEAR - FIRST_YEAR + 1
    return FIRST_YEAR + index * span // max(1, n_papers)


def author_list(rng: random.Random) -> list[str]:
    count = int(AUTHOR_COUNT.draw(rng))
    return [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(count)]


def citation_yaml(
    rng: random.Random,
    stream: WordStream,
    target_id: str,
    target: PaperHead,
    leaning: str,
    contested: bool,
) -> str:
    """One `cites` entry as YAML lines, with the label gaps real data has."""
    lines = [f"  - paper: {quote(target_id)}\n"]
    roll = rng.random()
    if roll >= P_ROLE_MISSING:
        first = leaning if rng.random() < P_FOLLOW_LEANING else ROLE.draw(rng)
        if roll < P_ROLE_MISSING + P_TWO_ROLES:
            second = rng.choice([role for role in ROLE.options if role != first])
            lines.append(f"    role: [{first}, {second}]\n")
        else:
            lines.append(f"    role: {first}\n")
    if rng.random() >= P_POLARITY_MISSING:
        polarity = (CONTESTED_POLARITY if contested else POLARITY).draw(rng)
        lines.append(f"    polarity: {polarity}\n")
    n_contexts = int(CONTEXT_COUNT.draw(rng))
    if n_contexts:
        contexts = [citation_sentence(rng, stream, target) for _ in range(n_contexts)]
        lines.append(f"    contexts: [{', '.join(quote(c) for c in contexts)}]\n")
    return "".join(lines)


def paper_markdown(
    rng: random.Random, stream: WordStream, authors: list[str], year: int, cites: list[str]
) -> str:
    """The whole file: YAML front matter, then the abstract as markdown."""
    head = [
        "---\n",
        f"title: {quote(title(rng))}\n",
        f"authors: [{', '.join(quote(a) for a in authors)}]\n",
        f"year: {year}\n",
    ]
    if rng.random() < P_TLDR:
        head.append(f"tldr: {quote(sentence(rng, stream, rng.randint(14, 26)))}\n")
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    head.append(f"topics: [{', '.join(quote(t) for t in topics)}]\n")
    if cites:
        head.append("cites:\n")
        head.extend(cites)
    head.append("---\n")
    head.append(abstract(rng, stream))
    return "".join(head)


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text)


def sentence(rng: random.Random, stream: WordStream, count: int) -> str:
    text = " ".join(stream.take(rng, count))
    return f"{text[0].upper()}{text[1:]}."


def title(rng: random.Random) -> str:
    picked = rng.choices(CONTENT_WORDS, k=rng.randint(4, 10))
    text = " ".join(
        word.capitalize() if i == 0 or len(word) > 3 else word for i, word in enumerate(picked)
    )
    if rng.random() < 0.3:
        text = f"{rng.choice(RARE_WORDS).capitalize()}: {text}"
    return text


def citation_sentence(rng: random.Random, stream: WordStream, target: PaperHead) -> str:
    before = " ".join(stream.take(rng, rng.randint(5, 14)))
    after = " ".join(stream.take(rng, rng.randint(4, 12)))
    return f"{before.capitalize()} {target.surname} et al. ({target.year}) {after}."


def abstract(rng: random.Random, stream: WordStream) -> str:
    """150-200 words in sentences of 10-26 words, with some *emphasis*, in 1-2 paragraphs."""
    remaining = rng.randint(150, 200)
    sentences: list[str] = []
    while remaining > 0:
        count = rng.randint(10, 26)
        if remaining - count < 8:  # no stub sentence at the end
            count = remaining
        picked = stream.take(rng, count)
        if rng.random() < 0.15:
            spot = rng.randrange(count)
            picked[spot] = f"*{picked[spot]}*"
        text = " ".join(picked)
        sentences.append(f"{text[0].upper()}{text[1:]}.")
        remaining -= count
    if len(sentences) > 4 and rng.random() < 0.5:
        middle = len(sentences) // 2
        return f"{' '.join(sentences[:middle])}\n\n{' '.join(sentences[middle:])}\n"
    return " ".join(sentences) + "\n"


def hugo_content(corpus_dir: Path, hugo_site_dir: Path) -> int:
    """Make `hugo_site_dir` a Hugo site over the corpus; return the number of papers.

    Config and layouts are copied from `bench/hugo/` on every call (so template edits
    take effect); the paper files are hard-linked (copied across file systems) only
    when the corpus differs from the one linked last time.
    """
    hugo_site_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HUGO_TEMPLATE_DIR / "hugo.toml", hugo_site_dir / "hugo.toml")
    shutil.rmtree(hugo_site_dir / "layouts", ignore_errors=True)
    shutil.copytree(HUGO_TEMPLATE_DIR / "layouts", hugo_site_dir / "layouts")

    sources = sorted((corpus_dir / "papers").glob("*.md"))
    marker = hugo_site_dir / ".linked-from"
    fingerprint = f"{corpus_dir.resolve()} {len(sources)} {corpus_marker_text(corpus_dir)}"
    if marker.exists() and marker.read_text(encoding="utf-8") == fingerprint:
        return len(sources)

    papers = hugo_site_dir / "content" / "papers"
    shutil.rmtree(papers, ignore_errors=True)
    papers.mkdir(parents=True)
    (papers / "_index.md").write_text("---\ntitle: All papers\n---\n", encoding="utf-8")
    for source in sources:
        link_or_copy(source, papers / source.name)
    marker.write_text(fingerprint, encoding="utf-8")
    return len(sources)


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def corpus_marker_text(corpus_dir: Path) -> str:
    marker = corpus_dir / CORPUS_MARKER
    return marker.read_text(encoding="utf-8") if marker.exists() else ""


def ensure_corpus(n_papers: int, out_dir: Path, seed: int = 1) -> CorpusStats:
    """Generate the corpus unless `out_dir` already holds a complete one of this size and seed.

    The marker is written last, so an interrupted generation is redone.
    """
    marker = out_dir / CORPUS_MARKER
    if marker.exists():
        cached = json.loads(marker.read_text(encoding="utf-8"))
        wanted = {"papers": n_papers, "seed": seed, "generator": generator_fingerprint()}
        if all(cached.get(key) == value for key, value in wanted.items()):
            return CorpusStats(**cached)
    shutil.rmtree(out_dir / "papers", ignore_errors=True)
    stats = generate(n_papers, out_dir, seed)
    marker.write_text(json.dumps(asdict(stats), indent=1), encoding="utf-8")
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n_papers", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", type=Path, help="also make a Hugo site over the corpus here")
    args = parser.parse_args(argv)

    stats = ensure_corpus(args.n_papers, args.out_dir, args.seed)
    print(json.dumps(asdict(stats)))
    if args.hugo:
        hugo_content(args.out_dir, args.hugo)
        print(f"hugo site: {args.hugo}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
