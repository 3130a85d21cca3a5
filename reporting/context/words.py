"""The words of the documents' forms, per language and per kind of document."""

from ..choices import ReportKind

# The words of the forms themselves. They are part of the documents' text (as prescribed
# by the regulator's form in Japanese), so they live with the documents, not in the UI catalog.
WORDS = {
    "ja": {
        "unknown": "調査中",
        "yes": "あり",
        "no": "なし",
        "none": "なし",
        "people": "{n}名",
        "people_estimated": "約{n}名",
        "people_up_to": "最大{n}名",
        "article7": {
            1: "要配慮個人情報が含まれる漏えい等(規則第7条第1号)",
            2: "不正に利用されることにより財産的被害が生じるおそれがある漏えい等(規則第7条第2号)",
            3: "不正の目的をもって行われたおそれがある漏えい等(規則第7条第3号)",
            4: "本人の数が1,000人を超える漏えい等(規則第7条第4号)",
        },
        "list_separator": "、",
        "requested": "調査依頼日",
        "when": "日時",
        "what": "内容",
        "scope": "調査範囲",
        # The findings table: when reported, which investigation, its result.
        "finding_reported": "報告日",
        "finding": "調査",
        "finding_result": "結果",
        # A 確報 never says 調査中: an item not recorded is to follow (only with an override),
        # an item that stayed unknown says so with its reason.
        "to_follow": "追って報告",
        "interim_title": "調査状況のご報告(中間報告)",
        "final_title": "調査結果の最終報告",
        "unresolved": "特定できず",
        # Published only after the document's date (and not planned as of it).
        "not_yet_published": "未公表",
    },
    "en": {
        "unknown": "Under investigation",
        "yes": "Yes",
        "no": "No",
        "none": "None",
        "people": "{n} people",
        "people_estimated": "about {n} people",
        "people_up_to": "up to {n} people",
        "article7": {
            1: "Involves sensitive personal data (Rules Art. 7(i))",
            2: "Risk of financial damage through misuse (Rules Art. 7(ii))",
            3: "Possibly done with a wrongful purpose (Rules Art. 7(iii))",
            4: "More than 1,000 people affected (Rules Art. 7(iv))",
        },
        "list_separator": ", ",
        "requested": "Requested on",
        "when": "Date",
        "what": "What happened",
        "scope": "Scope",
        "finding_reported": "Reported on",
        "finding": "Investigation",
        "finding_result": "Result",
        "to_follow": "To be reported later",
        "interim_title": "Interim report on our investigation",
        "final_title": "Final report of our investigation",
        "unresolved": "Could not be determined",
        "not_yet_published": "Not yet published",
    },
}

# Documents for the public and for the people affected: a gap to be filled later is said to
# them politely, not in the regulator's words (追って報告 stays in the PPC's forms).
# A fact the record says could not be determined is stated with its recorded reason.
TO_FOLLOW_FOR_READERS: dict[str, dict[str, str | dict[str, str]]] = {
    "ja": {
        "to_follow": "追ってお知らせいたします。",
        "not_determined": "調査の結果、特定できませんでした。",
        "not_determined_because": "調査の結果、特定できませんでした（理由: {reason}）。",
    },
    "en": {
        "to_follow": "We will let you know as soon as we can.",
        "not_determined": "Could not be determined.",
        "not_determined_because": "Could not be determined: {reason}",
    },
}

# Words a kind of document says differently from the others, per language (merged over WORDS).
KIND_WORDS: dict[str, dict[str, dict[str, str | dict[str, str]]]] = {
    ReportKind.PUBLIC_NOTICE: TO_FOLLOW_FOR_READERS,
    ReportKind.PUBLIC_FINAL: TO_FOLLOW_FOR_READERS,
    ReportKind.INDIVIDUAL_NOTICE: TO_FOLLOW_FOR_READERS,
    ReportKind.GDPR_ART33: {
        "en": {
            # Art. 33(4): what is not yet known is provided in phases, not guessed.
            "unknown": "To be provided (Art. 33(4))",
            "people": "{n} data subjects",
            "people_estimated": "approximately {n} data subjects (estimated)",
            "people_up_to": "up to {n} data subjects",
            "not_designated": "Not yet designated",
            "delay_reason_missing": "Reasons for the delay: to be stated (required by Art. 33(1))",
            "high_risk": (
                "Likely to result in a high risk to the rights and freedoms of natural persons; "
                "the data subjects are to be informed (Art. 34)"
            ),
            "not_high_risk": "Not assessed as likely to result in a high risk (Art. 34)",
            "unlikely_risk": (
                "Assessed as unlikely to result in a risk to the rights and freedoms of natural "
                "persons (Art. 33(1))"
            ),
            # Row labels: also the list of what is still to be provided.
            "fields": {
                "category": "Type of breach",
                "summary": "Description of the breach",
                "events": "Course of events",
                "occurred": "Date and time of the breach",
                "detected": "Date and time of detection",
                "cause": "Cause",
                "subject_categories": "Categories of data subjects concerned",
                "people": "Approximate number of data subjects concerned",
                "data_categories": "Categories of personal data concerned",
                "special_categories": "Special categories of personal data (Art. 9)",
                "records": "Approximate number of personal data records concerned",
                "contact_name": "Data protection officer or other contact point",
                "contact_email": "Email",
                "contact_phone": "Telephone",
                "secondary_damage": "Consequences observed or expected",
                "risk": "Risk to the rights and freedoms of natural persons",
                "sensitive": "Sensitive personal data involved",
                "financial": "Risk of financial damage through misuse",
                "wrongful_purpose": "Possibly done with a wrongful purpose",
                "contained": "Breach contained at",
                "support_for_affected": (
                    "Measures to mitigate possible adverse effects for the data subjects"
                ),
                "measures_taken": "Measures taken",
                "measures_planned": "Measures proposed to be taken",
            },
        },
    },
}
