"""An indicator's value, validated and written one way per type.

Two spellings of the same thing (``EXAMPLE.com.`` and ``example.com``, an upper-case hash,
a defanged ``hxxp://evil[.]example``, ``"Taro" <Taro@Example.jp>``) become one value, so the
database's unique constraint (incident, type, value) is what de-duplicates.
"""

import ipaddress
import re
from email.utils import parseaddr
from urllib.parse import quote, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from .choices import IndicatorType

MAX_VALUE_LENGTH = 2048

_HEX: dict[str, int] = {
    IndicatorType.SHA256: 64,
    IndicatorType.MD5: 32,
}
_URL_SCHEMES = ["http", "https", "ftp"]
_validate_url = URLValidator(schemes=_URL_SCHEMES)
_validate_domain = DomainNameValidator(accept_idna=False)


def refang(value: str) -> str:
    """Undo the usual defanging of shared indicators (hxxp, [.], (.), [@], [:])."""
    value = re.sub(r"^hxxp", "http", value, flags=re.IGNORECASE)
    value = re.sub(r"^fxp", "ftp", value, flags=re.IGNORECASE)
    for fanged, plain in (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[@]", "@"), ("[:]", ":")):
        value = value.replace(fanged, plain)
    return value


def _domain(value: str) -> str:
    value = value.strip().rstrip(".").lower()
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(_("Enter a valid domain name (example.co.jp).")) from exc
    _validate_domain(value)
    return value


def _email(value: str) -> str:
    _name, address = parseaddr(value)
    address = (address or value).strip()
    if "@" not in address:
        raise ValidationError(_("Enter a valid e-mail address (someone@example.jp)."))
    local, _at, domain = address.rpartition("@")
    try:
        domain = _domain(domain)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid e-mail address (someone@example.jp).")) from exc
    address = f"{local.lower()}@{domain}"
    validate_email(address)
    return address


def _url(value: str) -> str:
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname or ""
    except ValueError as exc:
        raise ValidationError(_("Enter a valid URL (http://, https:// or ftp://).")) from exc
    if not host:
        raise ValidationError(_("Enter a valid URL (http://, https:// or ftp://)."))
    netloc = parts.netloc
    userinfo, _at, hostport = netloc.rpartition("@")
    hostport = hostport.lower()
    if not hostport.startswith("["):  # an IPv6 address is ASCII already
        # A Japanese host (例え.jp) in its IDNA spelling (xn--r8jz45g.jp), as the domain type
        # writes it: one URL, however the host was typed.
        name, colon, port = hostport.partition(":")
        try:
            hostport = name.encode("idna").decode("ascii") + colon + port
        except UnicodeError as exc:
            raise ValidationError(_("Enter a valid URL (http://, https:// or ftp://).")) from exc
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    # Non-ASCII in the path or query is percent-encoded: one spelling, and ASCII only.
    safe = "/%:@!$&'()*+,;=-._~?"
    path, query = quote(parts.path or "/", safe=safe), quote(parts.query, safe=safe)
    url = urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
    try:
        _validate_url(url)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid URL (http://, https:// or ftp://).")) from exc
    return url


def _ip(value: str, version: int) -> str:
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    try:
        return str(cls(value.strip()))
    except ValueError as exc:
        if version == 4:
            raise ValidationError(_("Enter a valid IPv4 address (192.0.2.10).")) from exc
        raise ValidationError(_("Enter a valid IPv6 address (2001:db8::1).")) from exc


def _hash(value: str, length: int) -> str:
    value = value.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{length}}}", value):
        raise ValidationError(
            _("Enter a hash of %(length)d hexadecimal digits."), params={"length": length}
        )
    return value


def _filename(value: str) -> str:
    """A file name, never a path. A path (C:\\Users\\a\\invoice.doc, /tmp/x.exe) is refused
    rather than cut to its last part: the folder says where the file lay on one computer and
    often names its user (C:\\Users\\<name>), which must not leave in a shared export; and a
    value silently different from the one given would surprise whoever pasted it. The
    message names the file name to give instead."""
    value = value.strip()
    if "/" in value or "\\" in value:
        base = re.split(r"[\\/]", value.rstrip("\\/"))[-1]
        if base and base not in {".", ".."}:
            raise ValidationError(
                _(
                    "Enter the file name without its folder: “%(name)s”. The folder tells "
                    "where the file was on one computer and may name its user; keep it in "
                    "the note if it matters."
                ),
                params={"name": base},
            )
        raise ValidationError(_("Enter a file name without folders (invoice.doc)."))
    if not value or len(value) > 255 or any(ord(c) < 32 for c in value):
        raise ValidationError(_("Enter a file name without folders (invoice.doc)."))
    return value


def normalise(indicator_type: str, value: str) -> str:
    """The indicator's canonical value, or ValidationError with a message for the user."""
    if value is None or not str(value).strip():
        raise ValidationError(_("This field is required."))
    value = str(value)
    if len(value) > MAX_VALUE_LENGTH:
        raise ValidationError(
            _("At most %(length)d characters."), params={"length": MAX_VALUE_LENGTH}
        )
    if indicator_type != IndicatorType.FILENAME:
        value = refang(value.strip())
    match indicator_type:
        case IndicatorType.EMAIL_SENDER:
            return _email(value)
        case IndicatorType.DOMAIN:
            return _domain(value)
        case IndicatorType.URL:
            return _url(value)
        case IndicatorType.IPV4:
            return _ip(value, 4)
        case IndicatorType.IPV6:
            return _ip(value, 6)
        case IndicatorType.SHA256 | IndicatorType.MD5:
            return _hash(value, _HEX[indicator_type])
        case IndicatorType.FILENAME:
            return _filename(value)
    raise ValidationError(_("Choose one of the indicator types."))
