"""Date-times on every page as the admin writes them (incidents.timeformat): one format in
both languages. Dates alone, months and input formats stay Django's for the language."""

from incidents.timeformat import DATETIME_FORMAT

SHORT_DATETIME_FORMAT = DATETIME_FORMAT
