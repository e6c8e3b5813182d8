"""Evidence uploads: a size limit and an allow-list of types, checked by content, not by name.

A file passes when its extension is allowed AND its first bytes match that type, so an .exe
renamed .pdf is refused."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
_OLE = (bytes.fromhex("D0CF11E0A1B11AE1"),)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".wps": _OLE,
    ".ofd": _ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": None,  # plain text: checked for the absence of binary content instead
}
ALLOWED_TEXT = "、".join(sorted(SIGNATURES))


def validate_evidence(upload) -> None:
    """Raise ValidationError with a message naming the file when it may not be stored."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)d MB 的上限。") % {"name": name, "mb": settings.UPLOAD_MAX_BYTES // 1048576}
        )
    if suffix not in SIGNATURES:
        raise ValidationError(
            _("文件“%(name)s”的类型不允许上传，允许的类型：%(types)s。") % {"name": name, "types": ALLOWED_TEXT}
        )
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name})
    signatures = SIGNATURES[suffix]
    if signatures is None:
        if b"\x00" in head or head.startswith(b"MZ"):
            raise ValidationError(_("文件“%(name)s”不是文本文件。") % {"name": name})
    elif not head.startswith(signatures):
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名 %(ext)s 不符，可能已被改名，已拒绝。") % {"name": name, "ext": suffix}
        )
