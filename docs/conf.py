"""Sphinx configuration of the transcaspian documentation (``make docs``).

Why Sphinx + pydata-sphinx-theme + numpydoc + sphinx-gallery: it is the stack of the anchors
(pvlib, PyPSA) and of scikit-learn/SciPy, so a scientific-Python reader finds the layout they
know; numpydoc reads the docstrings the project already writes (numpydoc convention, units in
brackets); sphinx-gallery runs the examples at build time, so a broken example fails the build;
autosummary builds the API reference from the code. MkDocs Material + mkdocstrings would also
work, but would not run the examples or read numpydoc sections as natively.

Offline by construction: no intersphinx inventories are fetched, the theme's fonts and icons are
bundled with it, math is rendered as plain TeX (no MathJax CDN), and the gallery's figures are
static PNG (matplotlib, Agg).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent / "src"))  # the worktree's code, also without an install

import transcaspian  # noqa: E402

project = "transcaspian"
author = "transcaspian developers"
copyright = "transcaspian developers, BSD-3-Clause"
version = release = transcaspian.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "tcdocs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "examples/README.rst", "**/GALLERY_HEADER.rst",
                    "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip",
                    "auto_examples/*.md5", "auto_examples/*.json"]
templates_path: list[str] = []
suppress_warnings = [
    # numpydoc renders a docstring's References as citations; a reference the text does not
    # cite by number is still worth listing
    "ref.citation",
    # docs/line_case_format.md shows the --json output with "..." elisions: not lexable JSON
    "misc.highlighting_failure",
]

# --- MyST (the Markdown notes kept as they are: architecture, latency, line-case format) ----------
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# --- API reference
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"  # numpydoc sections carry the types and units
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()  # validation is the linters' job, not the build's
numpydoc_xref_param_type = False

# --- gallery: the examples run during the build
sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",  # every example runs
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "write_computation_times": False,  # its page loads DataTables from a CDN
    "binder": {},
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
}

# --- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"transcaspian {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "icon_links": [],
    "use_edit_page_button": False,
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_static_path: list[str] = []
html_show_sourcelink = False
html_math_renderer = "tcdocs_plain"  # no MathJax: nothing fetched when a page is opened
html_copy_source = False
