"""User-facing errors: the CLI prints `interphase-export: error: <message>` and exits non-zero."""


class ExportError(Exception):
    """A bad input or a failed export; the message names the cause and the fix (one line)."""

    exit_code = 2


class CheckFailed(ExportError):
    """ONNX Runtime disagrees with the nequip model beyond tolerance."""

    exit_code = 3
