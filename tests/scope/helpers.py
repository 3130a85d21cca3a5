"""Shared by the scope API tests."""


def error(response):
    return response.json()["error"]


def indicator(api, incident, **fields):
    body = {"incident": incident.pk, "type": "ipv4", "value": "192.0.2.10", **fields}
    return api("committee").post("/api/v1/indicators/", body, format="json")
