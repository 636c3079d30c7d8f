"""Small pieces of the template contexts (generator/views.py)."""

from __future__ import annotations

from generator import views


def test_unique_links_keeps_the_first_label_of_each_address() -> None:
    links = [("DOI", None), ("arXiv", "https://arxiv.org/abs/1"),
             ("Web page", "https://arxiv.org/abs/1"), ("PDF", "https://arxiv.org/pdf/1")]
    assert views.unique_links(links) == [("arXiv", "https://arxiv.org/abs/1"),
                                         ("PDF", "https://arxiv.org/pdf/1")]
