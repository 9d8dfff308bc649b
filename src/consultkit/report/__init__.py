"""Reports rendered from a `Summary`: Markdown and self-contained HTML."""

from .html import render_html
from .markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
