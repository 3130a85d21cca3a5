"""What the rules of the case record raise when they refuse a change."""


class IncidentError(Exception):
    """A refused change to the case record, with a message for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(IncidentError):
    pass


class FilingRefused(IncidentError):
    """A filing that cannot be recorded (not applicable, in the future, before awareness)."""


class CustodyClosed(IncidentError):
    pass
