"""Context -> HTML -> PDF. Pure: no database.

Documents may load nothing but the project's own assets, addressed as
``taisaku-asset:<name>``: the fonts named in REPORT_FONT_PATHS and files under
REPORT_ASSET_DIR. Every other URL (file:, http:, data:, ...) is refused and logged, so
no text in a case can make a document read a local file or open a connection (the
fetcher and the WeasyPrint step live in reporting/pdf.py, imported only to render).
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .context import build_context

ASSET_SCHEME = "taisaku-asset:"
FONT_PREFIX = "font/"


class AssetRefused(ValueError):
    pass


class DocumentTooLarge(ValueError):
    """The document would exceed REPORT_MAX_HTML_CHARS or REPORT_MAX_PAGES: refused with a
    message the report's row keeps (no retry: the same data would fail again)."""


@dataclass
class RenderedPDF:
    content: bytes
    pages: int
    html: str = ""
    refused: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)


def template_name(kind: str, language: str) -> str:
    return f"reporting/{kind}.{language}.html"


# Kinds that also have a plain-text version (the e-mail body of a notice).
TEXT_KINDS = frozenset({"individual-notice"})


def render_text(kind: str, language: str, snapshot: dict) -> str:
    """The plain-text version of a document, from the same context as its PDF."""
    if kind not in TEXT_KINDS:
        raise ValueError(f"A {kind!r} document has no text version")
    context = build_context(kind, language, snapshot)
    with translation.override(language):
        text = render_to_string(f"reporting/{kind}.{language}.txt", context)
    # Blank runs left by template tags collapse to one empty line.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def render_html(kind: str, language: str, snapshot: dict) -> str:
    context = build_context(kind, language, snapshot)
    with translation.override(language):
        return render_to_string(template_name(kind, language), context)


def html_to_pdf(html: str, *, identifier: bytes = b"taisaku") -> RenderedPDF:
    """The bare WeasyPrint step; the identifier keeps output reproducible byte for byte."""
    from . import pdf  # WeasyPrint is imported by those who render, not by every process

    content, pages, refused = pdf.write_pdf(html, identifier)
    if pages > settings.REPORT_MAX_PAGES:
        raise DocumentTooLarge(
            _(
                "The document has %(pages)d pages, more than the %(limit)d allowed: shorten the "
                "texts it prints (milestones, narratives)."
            )
            % {"pages": pages, "limit": settings.REPORT_MAX_PAGES}
        )
    return RenderedPDF(content=content, pages=pages, html=html, refused=refused)


def render_pdf(kind: str, language: str, snapshot: dict) -> RenderedPDF:
    html = render_html(kind, language, snapshot)
    if len(html) > settings.REPORT_MAX_HTML_CHARS:
        # Refused before layout: hundreds of pages would hold a worker for minutes.
        raise DocumentTooLarge(
            _(
                "The document's text (%(size)d characters) is more than the %(limit)d allowed: "
                "shorten the texts it prints (milestones, narratives)."
            )
            % {"size": len(html), "limit": settings.REPORT_MAX_HTML_CHARS}
        )
    identifier = hashlib.md5(  # noqa: S324 - a file identifier, not security
        f"{snapshot['incident']['reference']}/{kind}/{language}".encode()
    ).hexdigest()
    return html_to_pdf(html, identifier=identifier.encode())
