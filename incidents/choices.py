"""Fixed vocabularies of the case record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentStatus(models.TextChoices):
    DETECTED = "detected", _("Detected")
    CONTAINED = "contained", _("Contained")
    INVESTIGATING = "investigating", _("Investigating")
    RECOVERING = "recovering", _("Recovering")
    CLOSED = "closed", _("Closed")


class Category(models.TextChoices):
    MALWARE = "malware", _("Malware infection")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    MISDELIVERY = "misdelivery", _("Misdelivery (mail, e-mail, fax)")
    LOSS_THEFT = "loss_theft", _("Loss or theft")
    INSIDER = "insider", _("Insider misuse")
    MISCONFIGURATION = "misconfiguration", _("Misconfiguration or accidental exposure")
    RANSOMWARE = "ransomware", _("Ransomware")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CountQualifier(models.TextChoices):
    EXACT = "exact", _("Exact")
    ESTIMATED = "estimated", _("Estimated")
    UP_TO = "up_to", _("Up to")
    UNKNOWN = "unknown", _("Unknown")


class PersonalDataItem(models.TextChoices):
    NAME = "name", _("Name")
    ADDRESS = "address", _("Postal address")
    PHONE = "phone", _("Telephone number")
    EMAIL_ADDRESS = "email_address", _("E-mail address")
    EMAIL_CONTENT = "email_content", _("E-mail subjects and bodies")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    CREDENTIALS = "credentials", _("User IDs and passwords")
    PAYMENT_CARD = "payment_card", _("Payment card information")
    BANK_ACCOUNT = "bank_account", _("Bank account information")
    NATIONAL_ID = "national_id", _("Individual Number (My Number) or other national ID")
    HEALTH = "health", _("Health or medical information")
    EMPLOYMENT = "employment", _("Employment information")
    OTHER = "other", _("Other")


class DataMedium(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")
    BOTH = "both", _("Electronic and paper")


class PublicationStatus(models.TextChoices):
    NOT_DECIDED = "not_decided", _("Not decided")
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Published")
    NOT_PUBLISHED = "not_published", _("Will not be published")


class MilestoneKind(models.TextChoices):
    DETECTION = "detection", _("Detection")
    CONTAINMENT = "containment", _("Containment")
    COMMITTEE_FORMED = "committee_formed", _("Committee formed")
    REGULATOR_REPORT = "regulator_report", _("Report to the regulator")
    POLICE_REPORT = "police_report", _("Report to the police")
    EXTERNAL_REPORT = "external_report", _("Report to an external organisation")
    VENDOR_ENGAGED = "vendor_engaged", _("Investigation requested from a vendor")
    VENDOR_FINDING = "vendor_finding", _("Vendor finding")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    PUBLIC_NOTICE_UPDATE = "public_notice_update", _("Public notice update")
    FINAL_REPORT_PUBLISHED = "final_report_published", _("Final report published")
    EVIDENCE_DISPOSED = "evidence_disposed", _("Evidence disposed")
    OTHER = "other", _("Other")


class FindingKind(models.TextChoices):
    NETWORK = "network", _("Internal network investigation")
    EXTERNAL_COMMUNICATION = (
        "external_communication",
        _("External unauthorised communication and vulnerability investigation"),
    )
    LEAK_MONITORING = "leak_monitoring", _("External information-leak monitoring")
    DEVICE_FORENSICS = "device_forensics", _("Device forensic investigation")
    VULNERABILITY_ASSESSMENT = "vulnerability_assessment", _("Vulnerability assessment")
    OVERALL_SUMMARY = "overall_summary", _("Overall summary")
    OTHER = "other", _("Other")


class EvidenceKind(models.TextChoices):
    DEVICE = "device", _("Device")
    DISK_IMAGE = "disk_image", _("Disk image")
    LOG = "log", _("Log")
    MAIL = "mail", _("Mail")
    DOCUMENT = "document", _("Document")
    FILE = "file", _("File")
    OTHER = "other", _("Other")


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    TRANSFERRED = "transferred", _("Transferred")
    ANALYSED = "analysed", _("Analysed")
    STORED = "stored", _("Stored")
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")

    @classmethod
    def disposals(cls) -> frozenset["CustodyAction"]:
        """After one of these the chain of custody is closed."""
        return frozenset({cls.RETURNED, cls.DESTROYED})


class ActionCategory(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    ORGANISATIONAL = "organisational", _("Organisational")
    EDUCATION = "education", _("Education")
    MONITORING = "monitoring", _("Monitoring")
    GOVERNANCE = "governance", _("Governance")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def closed(cls) -> frozenset["ActionStatus"]:
        return frozenset({cls.DONE, cls.CANCELLED})


class ObligationState(models.TextChoices):
    """Derived from an obligation and the clock, never stored: "overdue" changes with time."""

    PENDING = "pending", _("Pending")
    PROVISIONAL = "provisional", _("Provisional")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class FilingChannel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class NoticeChannel(models.TextChoices):
    """How the people concerned were told (APPI Rules Art. 10, GDPR Art. 34, HIPAA 164.404(d))."""

    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    TELEPHONE = "telephone", _("Telephone")
    IN_PERSON = "in_person", _("In person")
    WEBSITE = "website", _("Public notice on the website (substitute notice)")
    OTHER = "other", _("Other")


class ReminderOutcome(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class PPCItem(models.TextChoices):
    """The nine items of a report to the PPC (APPI Enforcement Rules Art. 8(1))."""

    OVERVIEW = "overview", _("Overview")
    DATA_ITEMS = "data_items", _("Items of personal data concerned")
    PEOPLE = "people", _("Number of people concerned")
    CAUSE = "cause", _("Cause")
    SECONDARY_DAMAGE = "secondary_damage", _("Secondary damage or risk thereof")
    RESPONSE_TO_AFFECTED = "response_to_affected", _("Response to the people concerned")
    PUBLICATION = "publication", _("Publication")
    MEASURES = "measures", _("Measures to prevent recurrence")
    OTHER = "other", _("Other matters for reference")
