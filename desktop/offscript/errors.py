"""Errors a user can act on: each carries one line saying what is wrong and how to fix it."""


class UserFacingError(Exception):
    """An error whose message is shown to the user as is (CLI: one stderr line, exit code 2)."""


class BadInputError(UserFacingError):
    """The input file cannot be analysed (missing, not audio, empty, silence only...)."""


class ModelError(UserFacingError):
    """A speech model or voice cannot be found or loaded."""


class DeviceError(UserFacingError):
    """An audio device is missing or failed."""


class StoreError(UserFacingError):
    """The data folder or database cannot be used."""
