"""Dates and date-times on every page as the admin writes them (incidents.timeformat): one
format in both languages. Months, days of the month and input formats stay Django's."""

from incidents.timeformat import DATE_FORMAT, DATETIME_FORMAT

SHORT_DATETIME_FORMAT = DATETIME_FORMAT
SHORT_DATE_FORMAT = DATE_FORMAT

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT"]
