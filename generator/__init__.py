"""citehub: a static-site generator for citation hubs.

The build is a pipeline with one module per stage:
config -> records -> validate -> graph -> hubs -> pages -> render -> output.
`build.build()` calls them in order; `cli` is a thin shell around it.
"""

__version__ = "0.1.0"
