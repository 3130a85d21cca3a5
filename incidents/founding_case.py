"""The founding case (an Emotet infection, 2022) as demo data.

Transcribed from the company's public final report (令和4年7月13日現在); nothing here
reads ../shared at run time. Where the report gives only a date, the time of day is an
assumption (10:00 Japan time) and says so in the record.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .choices import (
    ActionCategory,
    ActionStatus,
    Category,
    CountQualifier,
    CustodyAction,
    DataMedium,
    EvidenceKind,
    FilingChannel,
    FindingKind,
    IncidentStatus,
    MilestoneKind,
    PersonalDataItem,
    PublicationStatus,
    Severity,
)
from .models import (
    Action,
    Engagement,
    Evidence,
    Finding,
    Incident,
    Milestone,
    Obligation,
    Organization,
)
from .roles import ensure_roles

JST = ZoneInfo("Asia/Tokyo")
REFERENCE = "INC-2022-0001"
DEMO_PASSWORD = "taisaku-demo"  # noqa: S105 - demo data, printed by `make demo`
PERSONAS = {
    "committee": {"role": "committee", "member": True},
    "legal": {"role": "legal", "member": True},
    "executive": {"role": "executive", "member": True},
    "auditor": {"role": "auditor", "member": False},
    "outsider": {"role": "committee", "member": False},
}


def jst(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=JST)


ORGANIZATION = {
    "name_ja": "D1 Seihan-P",
    "name_en": "D1 Seihan-P",
    "representative_title": "代表取締役",
    "copyright_notice": "(c) 2016  D1 Seihan-P, All Rights Reserved.",
}
# The published text announces the list of legitimate sender addresses but the list
# itself did not survive in it; the demo uses the reserved .example domain.
SENDER_ADDRESSES = ["d1-seihan-p.example", "info@d1-seihan-p.example"]

INCIDENT = {
    "title": "弊社名を装った迷惑メール(なりすましメール)に関するお詫びと調査結果の最終報告",
    "summary": (
        "弊社で使用するパソコン1台(以下:当該端末)がマルウェア「Emotet」に感染し、"
        "メール情報が窃取され、弊社名および弊社社員名を装った第三者から不審なメールが"
        "複数の方へ発信されていることを確認した。"
    ),
    "category": Category.MALWARE,
    "severity": Severity.HIGH,
    "time_zone": "Asia/Tokyo",
    "detected_at": jst(2, 3),
    "aware_at": jst(2, 3),
    "contained_at": jst(2, 3, 11),
    "discovered_by": "弊社社内",
    "contractor_involved": False,
    "description_of_events": (
        "当該端末がEmotetに感染し、保存されていたメール情報が流出した。"
        "感染疑いが発覚した時点で速やかに当該端末をネットワークから遮断した。"
        "外部の専門機関によるログならびに端末の詳細調査の結果、当該端末以外への"
        "マルウェアの伝播は行なわれていないと判断した。当該端末は調査後破棄した。"
    ),
    "personal_data_items": [PersonalDataItem.EMAIL_ADDRESS, PersonalDataItem.EMAIL_CONTENT],
    "personal_data_detail": (
        "当該端末に保存されていたメールアドレス、メール件名、メール本文等のメール情報"
    ),
    "data_medium": DataMedium.ELECTRONIC,
    "affected_count": None,
    "affected_count_qualifier": CountQualifier.UNKNOWN,
    "sensitive_data": False,
    "financial_damage_risk": False,
    "wrongful_purpose": True,
    "cause": "当該端末がマルウェア「Emotet」に感染し、メール情報が窃取されたこと。",
    "secondary_damage": (
        "弊社名および弊社社員名を装った第三者から、弊社のものではないメールアドレスを用いた"
        "不審なメール(なりすましメール)が複数の方へ発信された。"
    ),
    "support_for_affected": (
        "お客様ならびに関係者の皆様、メールを受信された皆様にお詫びした。"
        "弊社サイト上で状況を公表し(以後随時追記)、調査結果の最終報告を同サイト上で公表した。"
    ),
    "request_to_customers": (
        "弊社から受信したメールの送信元の「メールアドレス」が、弊社の利用するメールアドレスで"
        "あるかご確認をお願いいたします。"
        "「メールアドレス」が正しくても、過去に受信したメールを再受信した、日本語の表現が"
        "不自然、不審な英語のメールが届いた等、メール本文に少しでも違和感を持たれた場合は、"
        "メール本文中のURLにアクセスしたり、添付ファイルを開いたりせず、弊社にメール送付の"
        "有無をご確認ください。"
        "このような不審メールは、マルウェアに感染して情報を不正に取得されるおそれがあるため、"
        "メールごと削除してください。"
    ),
    "publication_status": PublicationStatus.PUBLISHED,
    "published_at": jst(2, 8),
    "regimes": ["appi"],
}

# The preliminary report (速報) went to the PPC through its web form on the day of
# awareness (the timeline's 15:00 entry). The final report's filing is not public.
PRELIMINARY_FILING = {
    "at": jst(2, 3, 15),
    "channel": FilingChannel.WEB_FORM,
    "reference": "",
    "note": "個人情報保護委員会に報告(速報)。受付番号は公表資料に記載なし。",
}

ENGAGEMENT = {
    "vendor": "外部の専門機関(調査会社)",
    "scope": (
        "内部ネットワーク調査、外部不正通信・脆弱性調査、外部情報漏洩調査"
        "(企業情報モニタリングDiscovery)、端末フォレンジック調査"
    ),
    "requested_at": jst(2, 4),
}

FINDINGS = [
    (jst(4, 19), FindingKind.NETWORK, "内部ネットワーク調査", ""),
    (jst(4, 19), FindingKind.EXTERNAL_COMMUNICATION, "外部不正通信・脆弱性調査", ""),
    (
        jst(4, 19),
        FindingKind.LEAK_MONITORING,
        "外部情報漏洩調査(企業情報モニタリングDiscovery)",
        "",
    ),
    (
        jst(5, 18),
        FindingKind.DEVICE_FORENSICS,
        "端末フォレンジック調査",
        "当該端末に保存されていたメールアドレス、メール件名、メール本文等のメール情報が"
        "流出したことを確認した。",
    ),
    (
        jst(5, 18),
        FindingKind.OVERALL_SUMMARY,
        "今回の調査の全体総括",
        "当該端末以外へのマルウェアの伝播は行なわれていないと判断した。",
    ),
]

# (when, kind, title, finding kind it reports, linked to the engagement)
MILESTONES = [
    (
        jst(2, 3),
        MilestoneKind.DETECTION,
        "弊社内でマルウェア感染が原因と疑われる事象を確認",
        None,
        False,
    ),
    (jst(2, 3, 15), MilestoneKind.REGULATOR_REPORT, "個人情報保護委員会に報告(速報)", None, False),
    (jst(2, 3, 16), MilestoneKind.EXTERNAL_REPORT, "外部の専門機関に報告", None, False),
    (jst(2, 4), MilestoneKind.POLICE_REPORT, "所轄警察署に報告", None, False),
    (jst(2, 4, 11), MilestoneKind.VENDOR_ENGAGED, "外部の専門機関に調査依頼", None, True),
    (
        jst(2, 8),
        MilestoneKind.PUBLIC_NOTICE,
        "お客様にサイト上に状況を公表(以後随時追記)",
        None,
        False,
    ),
    (
        jst(4, 19),
        MilestoneKind.VENDOR_FINDING,
        "調査会社から内部ネットワーク調査、外部不正通信・脆弱性調査、"
        "外部情報漏洩調査(企業情報モニタリングDiscovery)の調査結果報告を受ける",
        None,
        True,
    ),
    (
        jst(5, 18),
        MilestoneKind.VENDOR_FINDING,
        "調査会社から端末フォレンジック調査の調査結果報告を受ける",
        FindingKind.DEVICE_FORENSICS,
        True,
    ),
    (
        jst(5, 18, 11),
        MilestoneKind.VENDOR_FINDING,
        "調査会社から今回の調査の全体総括報告を受ける",
        FindingKind.OVERALL_SUMMARY,
        True,
    ),
    (
        jst(7, 13),
        MilestoneKind.FINAL_REPORT_PUBLISHED,
        "お客様に今回の調査結果の最終報告をサイト上に公表",
        None,
        False,
    ),
]

ACTIONS = [
    (
        "代表取締役を責任者とした対策委員会の設置",
        ActionCategory.GOVERNANCE,
        "代表取締役",
        ActionStatus.DONE,
        jst(2, 3, 12),
        "本件発生と同時に立ち上げ。",
    ),
    (
        "第三者検証機関による脆弱性診断の実施",
        ActionCategory.TECHNICAL,
        "対策委員会",
        ActionStatus.DONE,
        jst(5, 18),
        "客観的・技術的な観点を加えつつ、再発防止策の構築に取り組んだ。",
    ),
    (
        "第三者検証機関との連携による、より実効的な情報セキュリティ対策の徹底",
        ActionCategory.ORGANISATIONAL,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        "",
    ),
    (
        "社員への情報セキュリティ教育の強化・改善",
        ActionCategory.EDUCATION,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        "",
    ),
    (
        "監視体制のさらなる強化",
        ActionCategory.MONITORING,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        "",
    ),
]

EVIDENCE = {
    "label": "当該端末 (PC-01)",
    "kind": EvidenceKind.DEVICE,
    "description": "Emotetに感染した社用パソコン1台。感染疑いの発覚時にネットワークから遮断。",
    "collected_at": jst(2, 3, 11),
    "collected_by": "情報システム担当",
    "location": "本社 情報システム部 保管庫",
}
CUSTODY = [
    (
        jst(2, 3, 11),
        CustodyAction.COLLECTED,
        "利用者",
        "情報システム担当",
        "ネットワークから遮断して回収",
    ),
    (
        jst(2, 4, 14),
        CustodyAction.TRANSFERRED,
        "情報システム担当",
        "外部の専門機関(調査会社)",
        "調査依頼",
    ),
    (
        jst(5, 18),
        CustodyAction.ANALYSED,
        "外部の専門機関(調査会社)",
        "",
        "端末フォレンジック調査完了",
    ),
    (
        jst(5, 18, 15),
        CustodyAction.TRANSFERRED,
        "外部の専門機関(調査会社)",
        "情報システム担当",
        "調査完了により返却",
    ),
]
# The report says only that the PC was destroyed after the investigation.
DESTRUCTION = (
    jst(5, 31),
    CustodyAction.DESTROYED,
    "情報システム担当",
    "",
    "調査後破棄(公表資料は日付を示していない。日付は記録上の仮置き)",
)


def _users(incident: Incident) -> dict:
    groups = ensure_roles()
    User = get_user_model()
    users = {}
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    for username, persona in PERSONAS.items():
        user, created = User.objects.get_or_create(
            username=username,
            # A demo address, so that deadline reminders have someone to reach.
            defaults={"is_staff": True, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([groups[persona["role"]]])
        if persona["member"]:
            incident.members.add(user)
        else:
            incident.members.remove(user)
        users[username] = user
    return users


@transaction.atomic
def load(with_users: bool = True) -> Incident:
    """Create or refresh the founding case; running it twice leaves one copy."""
    organization, _created = Organization.objects.update_or_create(
        name_ja=ORGANIZATION["name_ja"], defaults=ORGANIZATION
    )
    for address in SENDER_ADDRESSES:
        organization.sender_addresses.get_or_create(address=address)

    incident = Incident.objects.filter(organization=organization, reference=REFERENCE).first()
    if incident is None:
        incident = services.open_incident(organization=organization, user=None, **INCIDENT)
    else:
        for field, value in INCIDENT.items():
            setattr(incident, field, value)
        incident.full_clean()
        services.save_incident(incident, user=None)

    preliminary = Obligation.objects.get(incident=incident, regime="appi", stage="preliminary")
    if preliminary.fulfilled_at is None:
        services.record_filing(preliminary, user=None, **PRELIMINARY_FILING)

    engagement, _created = Engagement.objects.update_or_create(
        incident=incident, vendor=ENGAGEMENT["vendor"], defaults=ENGAGEMENT
    )
    findings = {}
    for reported_at, kind, summary, conclusion in FINDINGS:
        findings[kind], _created = Finding.objects.update_or_create(
            engagement=engagement,
            kind=kind,
            defaults={"reported_at": reported_at, "summary": summary, "conclusion": conclusion},
        )

    evidence, _created = Evidence.objects.update_or_create(
        incident=incident, label=EVIDENCE["label"], defaults=EVIDENCE
    )
    if not evidence.custody_entries.exists():
        for at, action, from_party, to_party, note in [*CUSTODY, DESTRUCTION]:
            services.record_custody(
                evidence,
                user=None,
                at=at,
                action=action,
                from_party=from_party,
                to_party=to_party,
                note=note,
            )

    for occurred_at, kind, title, finding_kind, with_engagement in MILESTONES:
        Milestone.objects.update_or_create(
            incident=incident,
            kind=kind,
            occurred_at=occurred_at,
            defaults={
                "title": title,
                "public": True,
                "engagement": engagement if with_engagement else None,
                "finding": findings.get(finding_kind),
                "obligation": preliminary if kind == MilestoneKind.REGULATOR_REPORT else None,
            },
        )

    for title, category, owner, status, done_at, verification in ACTIONS:
        Action.objects.update_or_create(
            incident=incident,
            title=title,
            defaults={
                "category": category,
                "owner": owner,
                "status": status,
                "done_at": done_at,
                "verification": verification,
            },
        )

    if incident.status != IncidentStatus.CLOSED:
        for status, at in [
            (IncidentStatus.CONTAINED, jst(2, 3, 11)),
            (IncidentStatus.INVESTIGATING, jst(2, 4, 11)),
            (IncidentStatus.RECOVERING, jst(5, 18, 12)),
            (IncidentStatus.CLOSED, jst(7, 13, 12)),
        ]:
            services.change_status(incident, status, user=None, effective_at=at)

    if with_users:
        _users(incident)
    return incident
