"""Context -> HTML -> PDF. Pure: no database.

Documents may load nothing but the project's own assets, addressed as
``taisaku-asset:<name>``: the fonts named in REPORT_FONT_PATHS and files under
REPORT_ASSET_DIR. Every other URL (file:, http:, data:, ...) is refused and logged, so
no text in a case can make a document read a local file or open a connection.
"""

import hashlib
import io
import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .context import build_context

logger = logging.getLogger(__name__)

ASSET_SCHEME = "taisaku-asset:"
FONT_PREFIX = "font/"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".ttc": "font/collection"}


class AssetRefused(ValueError):
    pass


class AssetFetcher(URLFetcher):
    """Serves taisaku-asset: URLs from fixed places; refuses and records everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=(), **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def resolve(self, url: str) -> Path:
        if not url.startswith(ASSET_SCHEME):
            raise AssetRefused(f"not a {ASSET_SCHEME} URL")
        name = url.removeprefix(ASSET_SCHEME).split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if name.startswith(FONT_PREFIX):
            path = settings.REPORT_FONT_PATHS.get(name.removeprefix(FONT_PREFIX))
            if not path:
                raise AssetRefused("no such font")
            return Path(path)
        root = Path(settings.REPORT_ASSET_DIR).resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise AssetRefused("not a project asset")
        return path

    def fetch(self, url, headers=None):
        try:
            path = self.resolve(url)
            body = path.read_bytes()
        except (AssetRefused, OSError) as exc:
            self.refused.append(url)
            logger.warning("Report rendering refused to fetch %r: %s", url[:200], exc)
            raise AssetRefused(f"refused: {url[:200]}") from None
        self.served.append(url)
        content_type = FONT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


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


def render_html(kind: str, language: str, snapshot: dict) -> str:
    context = build_context(kind, language, snapshot)
    with translation.override(language):
        return render_to_string(template_name(kind, language), context)


def html_to_pdf(html: str, *, identifier: bytes = b"taisaku") -> RenderedPDF:
    """The bare WeasyPrint step; the identifier keeps output reproducible byte for byte."""
    fetcher = AssetFetcher()
    document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_identifier=identifier)
    return RenderedPDF(
        content=buffer.getvalue(), pages=len(document.pages), html=html, refused=fetcher.refused
    )


def render_pdf(kind: str, language: str, snapshot: dict) -> RenderedPDF:
    html = render_html(kind, language, snapshot)
    identifier = hashlib.md5(  # noqa: S324 - a file identifier, not security
        f"{snapshot['incident']['reference']}/{kind}/{language}".encode()
    ).hexdigest()
    return html_to_pdf(html, identifier=identifier.encode())
