"""Fixed vocabularies of an incident's scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    HOST = "host", _("Host (PC)")
    SERVER = "server", _("Server")
    ACCOUNT = "account", _("Account")
    MAILBOX = "mailbox", _("Mailbox")
    NETWORK_DEVICE = "network_device", _("Network device")
    OTHER = "other", _("Other")


class AssetRole(models.TextChoices):
    INFECTED = "infected", _("Infected")
    SUSPECTED = "suspected", _("Suspected")
    CLEAN = "clean", _("Checked clean")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class CheckResult(models.TextChoices):
    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected")
    ERROR = "error", _("Error (no result)")


class AssetState(models.TextChoices):
    """Where an asset stands now: its latest check's result, if it has been checked; an asset
    marked infected and never checked counts as infected."""

    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected")
    ERROR = "error", _("No result")
    UNCHECKED = "unchecked", _("Not yet checked")


class IndicatorType(models.TextChoices):
    EMAIL_SENDER = "email-sender", _("E-mail sender")
    DOMAIN = "domain", _("Domain")
    URL = "url", _("URL")
    IPV4 = "ipv4", _("IPv4 address")
    IPV6 = "ipv6", _("IPv6 address")
    SHA256 = "sha256", _("SHA-256 hash")
    MD5 = "md5", _("MD5 hash")
    FILENAME = "filename", _("File name")


class IndicatorSource(models.TextChoices):
    FINDING = "finding", _("A vendor's finding")
    VENDOR = "vendor", _("A vendor or feed")
    OWN_ANALYSIS = "own_analysis", _("Own analysis")
    IMPORT = "import", _("Imported (STIX or CSV)")
    OTHER = "other", _("Other")


class TLP(models.TextChoices):
    """Traffic Light Protocol. CLEAR is TLP 2.0's name for STIX 2.1's TLP:WHITE."""

    CLEAR = "clear", _("TLP:CLEAR")
    GREEN = "green", _("TLP:GREEN")
    AMBER = "amber", _("TLP:AMBER")
    RED = "red", _("TLP:RED")
