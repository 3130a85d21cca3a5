"""PDFs read back: what a reader sees, the embedded font, and nothing fetched from outside."""

import builtins
import io
import logging
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from incidents.choices import CountQualifier
from incidents.models import Incident
from reporting import rendering
from reporting.snapshot import build_snapshot

from .conftest import embedded_fonts, pdf_text, squeeze

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

JA_HEADINGS = [
    "概要",
    "漏えい等が発生し又は発生したおそれがある個人データの項目",
    "漏えい等が発生し又は発生したおそれがある個人データに係る本人の数",
    "原因",
    "二次被害又はそのおそれの有無及びその内容",
    "本人への対応の実施状況",
    "公表の実施状況",
    "再発防止のための措置",
    "その他参考となる事項",
]


@pytest.fixture
def snapshot(founding):
    # Dated as the founding case's final report was published.
    return build_snapshot(founding, document_date=date(2022, 7, 13))


def test_ppc_final_japanese(snapshot):
    pdf = rendering.render_pdf("ppc-final", "ja", snapshot)
    text = squeeze(pdf_text(pdf.content))
    positions = [text.index(f"{n}{h}") for n, h in enumerate(JA_HEADINGS, start=1)]
    assert positions == sorted(positions), "the nine items in the order of Art. 8(1)"
    for phrase in [
        "確報",
        "D1Seihan-P",
        "代表取締役",
        "発生日",
        "発覚日",
        "令和4年2月3日",
        "発見者",
        "弊社社内",
        "不正の目的をもって行われたおそれがある漏えい等",
        "事実経過",
        "当該端末がマルウェア「Emotet」に感染し",
        "実施済みの措置",
        "今後実施予定の措置",
        "監視体制のさらなる強化",
        "所轄警察署に報告",
        "端末フォレンジック調査",
    ]:
        assert phrase in text, phrase
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == pdf.pages


def test_ppc_final_english(snapshot):
    text = pdf_text(rendering.render_pdf("ppc-final", "en", snapshot).content)
    for phrase in ["Final report", "Overview", "February 3, 2022", "Measures planned", "Cause"]:
        assert phrase in text, phrase
    assert "令和" not in text


def test_preliminary_report_says_what_is_not_known(founding):
    Incident.objects.filter(pk=founding.pk).update(
        **{
            f"{field}_{language}": ""
            for field in ("cause", "secondary_damage", "discovered_by")
            for language in ("ja", "en")
        },
        affected_count=None,
        affected_count_qualifier=CountQualifier.UNKNOWN,
        contractor_involved=None,
        status="investigating",  # while it is under way (a closed case's 速報 says 追って報告)
    )
    founding.actions.all().delete()
    pdf = rendering.render_pdf("ppc-preliminary", "ja", build_snapshot(founding))
    text = squeeze(pdf_text(pdf.content))
    assert "速報" in text
    assert text.count("調査中") >= 6
    en = pdf_text(rendering.render_pdf("ppc-preliminary", "en", build_snapshot(founding)).content)
    assert "Under investigation" in en and "Preliminary report" in en


def test_public_final_carries_the_founding_reports_facts(snapshot):
    text = squeeze(pdf_text(rendering.render_pdf("public-final", "ja", snapshot).content))
    sections = [
        "【重要なお知らせ】",
        "【調査結果について】",
        "【依頼した調査の詳細】",
        "【お客様へのお願い】",
        "【対策と再発防止策】",
        "【「Emotet(エモテット)」対処方法等】",
        "【弊社の対応】",
    ]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    for phrase in [
        "弊社名を装った迷惑メール(なりすましメール)に関するお詫び調査結果の最終報告",
        "令和4年7月13日現在",
        "d1-seihan-p.example",
        "info@d1-seihan-p.example",
        "当該端末以外へのマルウェアの伝播は行なわれていないと判断",
        "外部情報漏洩調査(企業情報モニタリングDiscovery)",
        "端末フォレンジック調査",
        "代表取締役を責任者とした対策委員会の設置",
        "第三者検証機関による脆弱性診断の実施",
        "社員への情報セキュリティ教育の強化・改善",
        "2月3日弊社内でマルウェア感染が原因と疑われる事象を確認",
        "所轄警察署に報告",
        "4月19日調査会社から内部ネットワーク調査",
        "5月18日調査会社から端末フォレンジック調査の調査結果報告を受ける",
        "7月13日お客様に今回の調査結果の最終報告をサイト上に公表",
        "(c)2016D1Seihan-P,AllRightsReserved.",
    ]:
        assert phrase in text, phrase


def test_public_final_english_and_notice(snapshot):
    en = pdf_text(rendering.render_pdf("public-final", "en", snapshot).content)
    for phrase in ["Important notice", "A request to our customers", "info@d1-seihan-p.example"]:
        assert phrase in en
    assert "July 13, 2022" in en and "February 3" in en
    notice = squeeze(pdf_text(rendering.render_pdf("public-notice", "ja", snapshot).content))
    assert "【現在判明している事実】" in notice and "d1-seihan-p.example" in notice
    assert "【調査結果について】" not in notice


@pytest.mark.parametrize("language", ["ja", "en"])
def test_japanese_font_is_embedded_as_a_subset(snapshot, language):
    pdf = rendering.render_pdf("public-final", language, snapshot)
    fonts = embedded_fonts(pdf.content)
    assert fonts, "no font in the PDF"
    for name, key in fonts:
        assert key in {"/FontFile2", "/FontFile3"}, f"{name} not embedded"
        assert name[1:8].endswith("+") and name[1:7].isupper(), f"{name} not a subset"
    assert any("Taisaku-Gothic" in name for name, _key in fonts)  # our @font-face
    assert pdf.size < 400_000, "a subset, not the whole font"


def test_same_snapshot_same_bytes(snapshot):
    first = rendering.render_pdf("ppc-final", "ja", snapshot)
    second = rendering.render_pdf("ppc-final", "ja", snapshot)
    assert first.sha256 == second.sha256


# Security: user text reads no file, embeds no attachment, opens no connection ---------


class Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def trap(monkeypatch):
    """An HTTP server on 127.0.0.1 that records requests; open() and connect() recorded."""
    Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    opened, connected = [], []
    real_open, real_connect = builtins.open, socket.socket.connect

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_connect(self, address):
        connected.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(socket.socket, "connect", spy_connect)
    yield {
        "port": server.server_address[1],
        "requests": Recorder.requests,
        "opened": opened,
        "connected": connected,
    }
    monkeypatch.undo()
    server.shutdown()
    server.server_close()


def payloads(port: int) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        '<link rel=attachment href="file:///etc/passwd">',
        f'<img src="http://127.0.0.1:{port}/pixel.png">',
        f'<style>@import url("http://127.0.0.1:{port}/evil.css");</style>',
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
    ]


def assert_nothing_leaked(pdf_bytes: bytes, trap) -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    names = reader.root_object.get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    assert not reader.attachments
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object().get("/Subtype") != "/FileAttachment"
    assert "root:" not in pdf_text(pdf_bytes)
    assert trap["requests"] == []
    assert not any("passwd" in path for path in trap["opened"])
    assert trap["connected"] == []


def test_user_text_is_escaped_and_fetches_nothing(founding, trap, caplog):
    evil = "\n".join(payloads(trap["port"]))
    Incident.objects.filter(pk=founding.pk).update(
        summary_ja=evil, title_ja=evil[:200], cause_ja=evil, description_of_events_ja=evil
    )
    founding.engagements.first().findings.update(summary_ja=evil)
    snapshot = build_snapshot(founding)
    for kind in ["ppc-final", "public-final"]:
        pdf = rendering.render_pdf(kind, "ja", snapshot)
        assert pdf.refused == []  # escaped: the markup never reaches the fetcher
        assert '<img src="file:///etc/passwd">' in pdf_text(pdf.content)
        assert_nothing_leaked(pdf.content, trap)


def test_fetcher_refuses_everything_but_project_assets(trap, caplog):
    """Defence in depth: even raw markup cannot reach a file or the network."""
    html = (
        '<html><head><link rel="stylesheet" href="taisaku-asset:report.css"></head><body>'
        + "".join(payloads(trap["port"]))
        + '<img src="taisaku-asset:../../config/settings.py">'
        + '<img src="data:image/png;base64,iVBORw0KGgo=">'
        + "<p>テスト</p></body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="reporting.rendering"):
        pdf = rendering.html_to_pdf(html)
    refused = set(pdf.refused)
    port = trap["port"]
    assert {
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/pixel.png",
        f"http://127.0.0.1:{port}/evil.css",
        f"http://127.0.0.1:{port}/x.css",
        "taisaku-asset:../../config/settings.py",
    } <= refused
    assert any("refused to fetch" in r.getMessage() for r in caplog.records)
    assert_nothing_leaked(pdf.content, trap)
    assert "テスト" in pdf_text(pdf.content)


def test_fetcher_serves_fonts_and_assets():
    from reporting.pdf import AssetFetcher

    fetcher = AssetFetcher()
    assert fetcher.fetch("taisaku-asset:report.css").read().startswith(b"/*")
    assert fetcher.fetch("taisaku-asset:font/gothic").content_type == "font/ttf"
    with pytest.raises(rendering.AssetRefused):
        fetcher.fetch("taisaku-asset:font/../../etc/passwd")
    with pytest.raises(rendering.AssetRefused):
        fetcher.fetch("https://example.com/logo.png")
