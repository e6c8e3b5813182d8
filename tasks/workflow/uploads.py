"""Evidence uploads: a size limit and an allow-list of types, checked by content, not by name;
writing them to the evidence store and reading them back for the permission-checked download.

A file passes when its extension is allowed AND its first bytes match that type, so an .exe
renamed .pdf is refused.

The store is the default storage (policytrack/storage.py): a shared volume or an S3-compatible
object store. When it cannot be reached, saving a report fails as a whole (no row, no file left
behind, the form shown again with what was typed) and a download answers with a message; both
raise EvidenceStoreUnavailable for the view to say so."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import Http404
from django.utils.translation import gettext as _

from policytrack.storage import storage_errors
from tasks.models import Attachment

logger = logging.getLogger(__name__)

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


class EvidenceStoreUnavailable(Exception):
    """The evidence store refused or could not be reached; the message says so to the user."""


def store(attachment: Attachment, upload) -> None:
    """Write ``upload`` to the store under the attachment's random name (the row is not saved)."""
    try:
        attachment.file.save(upload.name, upload, save=False)
    except storage_errors() as error:
        logger.exception("evidence %r could not be stored", upload.name)
        raise EvidenceStoreUnavailable(
            _("佐证材料“%(name)s”未能保存：文件存储暂时不可用。本次报告未保存，请稍后重新选择文件再提交。")
            % {"name": upload.name}
        ) from error


def forget(names: Iterable[str]) -> None:
    """Delete stored files whose rows were rolled back. Best effort: the store may be the very
    thing that failed, and an orphan file harms nobody (its name is random and unlisted)."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except storage_errors():
            logger.warning("evidence file %s is left behind in the store", name, exc_info=True)


def open_for_download(attachment: Attachment) -> File:
    """The attachment's file, opened and positioned at its start. An object store fetches the
    object here (into memory or, when large, a temporary file), so that a store failure is
    raised now, as EvidenceStoreUnavailable, and not half way through the response."""
    try:
        handle = attachment.file.open("rb")
        handle.seek(0)
    except FileNotFoundError:
        logger.error("evidence file %s of attachment %s is missing from the store", attachment.file.name, attachment.pk)
        raise Http404 from None
    except storage_errors() as error:
        logger.exception("evidence file %s could not be read", attachment.file.name)
        raise EvidenceStoreUnavailable(
            _("佐证材料“%(name)s”暂时无法下载：文件存储暂时不可用。文件没有丢失，请稍后重试；如果问题持续，请联系系统管理员。")
            % {"name": attachment.original_name}
        ) from error
    return handle
