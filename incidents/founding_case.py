"""The founding case (an Emotet infection, 2022) as demo data.

Transcribed from the company's public final report (令和4年7月13日現在); nothing here
reads ../shared at run time. Where the report gives only a date, the time of day is an
assumption (10:00 Japan time) and says so in the record.
"""

from datetime import datetime
from typing import TypedDict
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
    OrganizationMembership,
)
from .roles import ensure_roles

JST = ZoneInfo("Asia/Tokyo")
REFERENCE = "INC-2022-0001"
DEMO_PASSWORD = "taisaku-demo"  # noqa: S105 - demo data, printed by `make demo`


class Persona(TypedDict):
    role: str
    member: bool


PERSONAS: dict[str, Persona] = {
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
    "representative_title_ja": "代表取締役",
    "representative_title_en": "Representative Director",
    "copyright_notice_ja": "(c) 2016  D1 Seihan-P, All Rights Reserved.",
    "copyright_notice_en": "(c) 2016  D1 Seihan-P, All Rights Reserved.",
}
# The published text announces the list of legitimate sender addresses but the list
# itself did not survive in it; the demo uses the reserved .example domain.
SENDER_ADDRESSES = ["d1-seihan-p.example", "info@d1-seihan-p.example"]

# Every narrative in both languages: the Japanese is the published text (shortened to the
# facts), the English a faithful rendering of it (issue #10).
NARRATIVES = {
    "title": (
        "弊社名を装った迷惑メール(なりすましメール)に関するお詫び",
        "Apology for spoofed e-mails bearing our company's name",
    ),
    "summary": (
        "弊社で使用するパソコン1台(以下:当該端末)がマルウェア「Emotet」に感染し、"
        "メール情報が窃取され、弊社名および弊社社員名を装った第三者から不審なメールが"
        "複数の方へ発信されていることを確認した。",
        "One of our company's PCs (the device) was infected with the Emotet malware and its "
        "mail data was stolen; we confirmed that suspicious e-mails bearing our company's "
        "name and our employees' names were sent by a third party to a number of people.",
    ),
    "discovered_by": ("弊社社内", "Found in-house"),
    "description_of_events": (
        "当該端末がEmotetに感染し、保存されていたメール情報が流出した。"
        "感染疑いが発覚した時点で速やかに当該端末をネットワークから遮断した。"
        "外部の専門機関によるログならびに端末の詳細調査の結果、当該端末以外への"
        "マルウェアの伝播は行なわれていないと判断した。当該端末は調査後破棄した。",
        "The device was infected with Emotet and the mail data stored on it leaked. As soon as "
        "the infection was suspected, the device was cut off from the network. A detailed "
        "examination of the logs and of the device by an external specialist organisation "
        "concluded that the malware had not spread to any other device. The device was "
        "destroyed after the investigation.",
    ),
    "personal_data_detail": (
        "当該端末に保存されていたメールアドレス、メール件名、メール本文等のメール情報",
        "Mail data stored on the device: e-mail addresses, subjects, bodies and the like",
    ),
    "cause": (
        "当該端末がマルウェア「Emotet」に感染し、メール情報が窃取されたこと。",
        "The device was infected with the Emotet malware, which stole its mail data.",
    ),
    "secondary_damage": (
        "弊社名および弊社社員名を装った第三者から、弊社のものではないメールアドレスを用いた"
        "不審なメール(なりすましメール)が複数の方へ発信された。",
        "A third party sent suspicious e-mails (spoofed e-mails) bearing our company's name "
        "and our employees' names, from addresses that are not ours, to a number of people.",
    ),
    "support_for_affected": (
        "お客様ならびに関係者の皆様、メールを受信された皆様にお詫びした。"
        "弊社サイト上で状況を公表し(以後随時追記)、調査結果の最終報告を同サイト上で公表した。",
        "We apologised to our customers, to all concerned and to everyone who received the "
        "e-mails. We published the situation on our website (updated from then on) and "
        "published the final report of the investigation there.",
    ),
    "request_to_customers": (
        "弊社から受信したメールの送信元の「メールアドレス」が、弊社の利用するメールアドレスで"
        "あるかご確認をお願いいたします。"
        "「メールアドレス」が正しくても、過去に受信したメールを再受信した、日本語の表現が"
        "不自然、不審な英語のメールが届いた等、メール本文に少しでも違和感を持たれた場合は、"
        "メール本文中のURLにアクセスしたり、添付ファイルを開いたりせず、弊社にメール送付の"
        "有無をご確認ください。"
        "このような不審メールは、マルウェアに感染して情報を不正に取得されるおそれがあるため、"
        "メールごと削除してください。",
        "Please check that the sender address of any e-mail from us is one of the addresses "
        "we use. Even if the address is correct, if anything in the e-mail seems odd (an old "
        "e-mail received again, unnatural wording, a suspicious e-mail in English), do not "
        "open the links or the attachments in it; ask us whether we sent it. Opening the "
        "attachment of such an e-mail may infect your computer with malware and let the "
        "information on it be stolen: please delete the e-mail.",
    ),
}

INCIDENT = {
    **{
        f"{field}_{language}": text
        for field, pair in NARRATIVES.items()
        for language, text in zip(("ja", "en"), pair, strict=True)
    },
    "category": Category.MALWARE,
    "severity": Severity.HIGH,
    "time_zone": "Asia/Tokyo",
    "detected_at": jst(2, 3),
    "aware_at": jst(2, 3),
    "contained_at": jst(2, 3, 11),
    "contractor_involved": False,
    "personal_data_items": [PersonalDataItem.EMAIL_ADDRESS, PersonalDataItem.EMAIL_CONTENT],
    "data_medium": DataMedium.ELECTRONIC,
    "affected_count": None,
    "affected_count_qualifier": CountQualifier.UNKNOWN,
    "sensitive_data": False,
    "financial_damage_risk": False,
    "wrongful_purpose": True,
    "publication_status": PublicationStatus.PUBLISHED,
    "published_at": jst(2, 8),
    "regimes": ["appi"],
}


# The preliminary report (速報) went to the PPC through its web form on the day of
# awareness (the timeline's 15:00 entry). The final report's filing is not public.
class Filing(TypedDict):
    at: datetime
    channel: str
    reference: str
    note: str


PRELIMINARY_FILING: Filing = {
    "at": jst(2, 3, 15),
    "channel": FilingChannel.WEB_FORM,
    "reference": "",
    "note": "個人情報保護委員会に報告(速報)。受付番号は公表資料に記載なし。",
}

ENGAGEMENT = {
    "vendor_ja": "外部の専門機関(調査会社)",
    "vendor_en": "External specialist organisation (investigation firm)",
    "scope_ja": (
        "内部ネットワーク調査、外部不正通信・脆弱性調査、外部情報漏洩調査"
        "(企業情報モニタリングDiscovery)、端末フォレンジック調査"
    ),
    "scope_en": (
        "Internal network investigation; external unauthorised communication and "
        "vulnerability investigation; external information-leak investigation (corporate "
        'information monitoring "Discovery"); device forensic investigation'
    ),
    "requested_at": jst(2, 4),
}

# (reported at, kind, summary (ja, en), conclusion (ja, en))
FINDINGS = [
    (
        jst(4, 19),
        FindingKind.NETWORK,
        ("内部ネットワーク調査", "Internal network investigation"),
        ("", ""),
    ),
    (
        jst(4, 19),
        FindingKind.EXTERNAL_COMMUNICATION,
        (
            "外部不正通信・脆弱性調査",
            "External unauthorised communication and vulnerability investigation",
        ),
        ("", ""),
    ),
    (
        jst(4, 19),
        FindingKind.LEAK_MONITORING,
        (
            "外部情報漏洩調査(企業情報モニタリングDiscovery)",
            "External information-leak investigation (corporate information monitoring "
            '"Discovery")',
        ),
        ("", ""),
    ),
    (
        jst(5, 18),
        FindingKind.DEVICE_FORENSICS,
        ("端末フォレンジック調査", "Device forensic investigation"),
        (
            "当該端末に保存されていたメールアドレス、メール件名、メール本文等のメール情報が"
            "流出したことを確認した。",
            "Confirmed that the mail data stored on the device (e-mail addresses, subjects, "
            "bodies and the like) leaked.",
        ),
    ),
    (
        jst(5, 18),
        FindingKind.OVERALL_SUMMARY,
        ("今回の調査の全体総括", "Overall summary of the investigation"),
        (
            "当該端末以外へのマルウェアの伝播は行なわれていないと判断した。",
            "Concluded that the malware had not spread to any device other than the device.",
        ),
    ),
]

# (when, kind, title (ja, en), finding kind it reports, linked to the engagement)
MILESTONES = [
    (
        jst(2, 3),
        MilestoneKind.DETECTION,
        (
            "弊社内でマルウェア感染が原因と疑われる事象を確認",
            "Confirmed in-house an event suspected to be caused by a malware infection",
        ),
        None,
        False,
    ),
    (
        jst(2, 3, 15),
        MilestoneKind.REGULATOR_REPORT,
        (
            "個人情報保護委員会に報告(速報)",
            "Reported to the Personal Information Protection Commission (preliminary report)",
        ),
        None,
        False,
    ),
    (
        jst(2, 3, 16),
        MilestoneKind.EXTERNAL_REPORT,
        ("外部の専門機関に報告", "Reported to an external specialist organisation"),
        None,
        False,
    ),
    (
        jst(2, 4),
        MilestoneKind.POLICE_REPORT,
        ("所轄警察署に報告", "Reported to the local police station"),
        None,
        False,
    ),
    (
        jst(2, 4, 11),
        MilestoneKind.VENDOR_ENGAGED,
        (
            "外部の専門機関に調査依頼",
            "Requested an investigation from an external specialist organisation",
        ),
        None,
        True,
    ),
    (
        jst(2, 8),
        MilestoneKind.PUBLIC_NOTICE,
        (
            "お客様にサイト上に状況を公表(以後随時追記)",
            "Published the situation for our customers on our website (updated from then on)",
        ),
        None,
        False,
    ),
    (
        jst(4, 19),
        MilestoneKind.VENDOR_FINDING,
        (
            "調査会社から内部ネットワーク調査、外部不正通信・脆弱性調査、"
            "外部情報漏洩調査(企業情報モニタリングDiscovery)の調査結果報告を受ける",
            "Received from the investigation firm the results of the internal network "
            "investigation, the external unauthorised communication and vulnerability "
            "investigation, and the external information-leak investigation (corporate "
            'information monitoring "Discovery")',
        ),
        None,
        True,
    ),
    (
        jst(5, 18),
        MilestoneKind.VENDOR_FINDING,
        (
            "調査会社から端末フォレンジック調査の調査結果報告を受ける",
            "Received from the investigation firm the results of the device forensic investigation",
        ),
        FindingKind.DEVICE_FORENSICS,
        True,
    ),
    (
        jst(5, 18, 11),
        MilestoneKind.VENDOR_FINDING,
        (
            "調査会社から今回の調査の全体総括報告を受ける",
            "Received from the investigation firm the overall summary of the investigation",
        ),
        FindingKind.OVERALL_SUMMARY,
        True,
    ),
    (
        jst(7, 13),
        MilestoneKind.FINAL_REPORT_PUBLISHED,
        (
            "お客様に今回の調査結果の最終報告をサイト上に公表",
            "Published the final report of the investigation for our customers on our website",
        ),
        None,
        False,
    ),
]

# (title (ja, en), category, owner, status, done at, verification (ja, en))
ACTIONS = [
    (
        (
            "代表取締役を責任者とした対策委員会の設置",
            "Countermeasures committee set up, chaired by the Representative Director",
        ),
        ActionCategory.GOVERNANCE,
        "代表取締役",
        ActionStatus.DONE,
        jst(2, 3, 12),
        ("本件発生と同時に立ち上げ。", "Set up as soon as the incident occurred."),
    ),
    (
        (
            "第三者検証機関による脆弱性診断の実施",
            "Vulnerability assessment by a third-party verification body",
        ),
        ActionCategory.TECHNICAL,
        "対策委員会",
        ActionStatus.DONE,
        jst(5, 18),
        (
            "客観的・技術的な観点を加えつつ、再発防止策の構築に取り組んだ。",
            "Recurrence-prevention measures were built with objective, technical viewpoints added.",
        ),
    ),
    (
        (
            "第三者検証機関との連携による、より実効的な情報セキュリティ対策の徹底",
            "More effective information-security measures, in cooperation with the "
            "third-party verification body",
        ),
        ActionCategory.ORGANISATIONAL,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        ("", ""),
    ),
    (
        (
            "社員への情報セキュリティ教育の強化・改善",
            "Stronger, improved information-security education for employees",
        ),
        ActionCategory.EDUCATION,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        ("", ""),
    ),
    (
        ("監視体制のさらなる強化", "Stronger monitoring"),
        ActionCategory.MONITORING,
        "対策委員会",
        ActionStatus.IN_PROGRESS,
        None,
        ("", ""),
    ),
]

# The label is an identifier, printed as it is in documents of both languages.
EVIDENCE_LABEL_BEFORE = "当該端末 (PC-01)"
EVIDENCE = {
    "label": "PC-01",
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


def bilingual(**pairs: tuple[str, str]) -> dict[str, str]:
    """{"title": ("ja", "en")} -> {"title_ja": "ja", "title_en": "en"}."""
    return {
        f"{field}_{language}": text
        for field, pair in pairs.items()
        for language, text in zip(("ja", "en"), pair, strict=True)
    }


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
        if persona["member"]:  # the company's own people: its case, and the company
            incident.members.add(user)
            OrganizationMembership.objects.get_or_create(
                organization=incident.organization, user=user
            )
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
        incident=incident, vendor_ja=ENGAGEMENT["vendor_ja"], defaults=ENGAGEMENT
    )
    findings: dict[FindingKind | None, Finding] = {}
    for reported_at, found_kind, summary, conclusion in FINDINGS:
        findings[found_kind], _created = Finding.objects.update_or_create(
            engagement=engagement,
            kind=found_kind,
            defaults={
                "reported_at": reported_at,
                **bilingual(summary=summary, conclusion=conclusion),
            },
        )

    # A case loaded before the label became language-neutral keeps its one device.
    Evidence.objects.filter(incident=incident, label=EVIDENCE_LABEL_BEFORE).update(
        label=EVIDENCE["label"]
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
                **bilingual(title=title),
                "public": True,
                "engagement": engagement if with_engagement else None,
                "finding": findings.get(finding_kind),
                "obligation": preliminary if kind == MilestoneKind.REGULATOR_REPORT else None,
            },
        )

    for title, category, owner, action_status, done_at, verification in ACTIONS:
        Action.objects.update_or_create(
            incident=incident,
            title_ja=title[0],
            defaults={
                **bilingual(title=title, verification=verification),
                "category": category,
                "owner": owner,
                "status": action_status,
                "done_at": done_at,
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
