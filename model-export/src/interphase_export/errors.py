"""User-facing errors: the CLI prints `interphase-export: error: <message>` and exits non-zero."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The exporter's one message flattener: the first line of an exception's text (torch, nequip and ONNX add
    stack-like detail on later lines), at most `limit` characters, or the exception's type when it has no text."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:limit]


class ExportError(Exception):
    """A bad input or a failed export; the message names the cause and the fix (one line)."""

    exit_code = 2


class CheckFailed(ExportError):
    """ONNX Runtime disagrees with the nequip model beyond tolerance."""

    exit_code = 3
