"""The exports' options in the admin, read as the API reads them."""

import json
import re

import pytest
import stix2
from django.urls import reverse

from scope import services
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_admin_export_options_are_read_as_the_api_reads_them(client, persona, founding):
    services.create_indicator(
        incident=founding,
        user=None,
        type="domain",
        value="evil.example",
        tlp="clear",
        note="PC-0042（田中さん）で発見",
    )
    stix = reverse("admin:scope_indicator_export", args=[founding.pk, "stix"])
    login(client, persona["committee"], "en")
    assert "田中" not in client.get(stix).content.decode()
    bundle = stix2.parse(client.get(stix + "?include_notes=on").content.decode())
    assert [o.description for o in bundle.objects if o.type == "indicator"] == [
        "PC-0042（田中さん）で発見"
    ]
    bad = client.get(stix + "?include_red=maybe")
    assert bad.status_code == 400
    assert "Give 1 or 0 (also true/false, yes/no, on/off), not “maybe”." in bad.text
    # Shown unticked: downloading again from this page leaves TLP:RED out.
    assert not re.search(r'<input[^>]*name="include_red"[^>]*checked', bad.text)
    misp = reverse("admin:scope_indicator_export", args=[founding.pk, "misp"])
    event = json.loads(client.get(misp + "?include_notes=0").content)["Event"]
    assert [a["comment"] for a in event["Attribute"]] == [""]
    options = client.get(reverse("admin:scope_indicator_export_options", args=[founding.pk]))
    assert options.status_code == 200
    assert 'name="include_notes"' in options.text and stix in options.text
    login(client, persona["outsider"])
    assert client.get(stix + "?include_red=maybe").status_code == 404


def test_the_tlp_red_box_is_offered_only_to_those_who_may_export_red(client, persona, founding):
    options = reverse("admin:scope_indicator_export_options", args=[founding.pk])
    login(client, persona["committee"])
    assert 'name="include_red"' in client.get(options).text
    login(client, persona["legal"])
    page = client.get(options)
    assert page.status_code == 200
    assert 'name="include_red"' not in page.text and 'name="include_notes"' in page.text
    stix = reverse("admin:scope_indicator_export", args=[founding.pk, "stix"])
    assert client.get(stix + "?include_red=maybe").status_code == 400  # said, not a crash
