"""The tuned Jinja environment writes exactly what plain Jinja writes."""

from __future__ import annotations

import jinja2
import markupsafe
from hypothesis import given
from hypothesis import strategies as st

from generator.themejinja import ThemeEnvironment, escape_output

VALUES = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text().map(markupsafe.Markup),
    st.lists(st.text(), max_size=3),
)

TEMPLATE = (
    "{{ v }}|{{ d.v }}|{{ d.items }}|{{ d.missing is defined }}|{{ o.real }}"
    "{% set block %}<{{ v }}>{% endset %}|{{ block }}|{{ v ~ '&' }}"
    "{% macro m(x) %}[{{ x }}]{% endmacro %}|{{ m(v) }}"
    "|{% autoescape false %}{{ v }}{% endautoescape %}"
)


@given(VALUES)
def test_escape_output_equals_markupsafe(value: object) -> None:
    assert escape_output(value) == str(markupsafe.escape(value))


@given(VALUES)
def test_templates_render_as_plain_jinja_does(value: object) -> None:
    # `d.items` is a key here, not the dict method: the one intended difference.
    data = {"v": value, "items": value}
    plain_source = TEMPLATE.replace("d.items", "d['items']")
    plain = jinja2.Environment(autoescape=True).from_string(plain_source)
    tuned = ThemeEnvironment(autoescape=True).from_string(TEMPLATE)
    assert tuned.render(v=value, d=data, o=3) == plain.render(v=value, d=data, o=3)


def test_output_compiles_to_the_fast_escape() -> None:
    # If a later Jinja no longer calls the hook, pages stay right but get slower: say so.
    source = ThemeEnvironment(autoescape=True).compile("{{ x }}", raw=True)
    assert "environment.escape_output(" in source


def test_markup_is_not_escaped_twice() -> None:
    env = ThemeEnvironment(autoescape=True)
    assert env.from_string("{{ x }}").render(x=markupsafe.Markup("<b>")) == "<b>"
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
