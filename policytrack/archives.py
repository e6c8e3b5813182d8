"""Checks on a zip archive (.docx, .xlsx) before anything reads it: the sizes its directory
declares. A small upload can unpack to gigabytes (a decompression bomb); its directory says so
up front, and zipfile never inflates a member past the size the directory declares (it fails the
CRC check instead), so checking ``ZipInfo.file_size`` here bounds what the readers unpack.

``check_archive(data, error=SomeError)`` raises ``error`` with a Chinese message, in well under a
second whatever the archive holds: it reads only the central directory."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g}"


def check_archive(data: bytes, *, error: type[Exception] = ValueError) -> None:
    """Refuse an archive with too many members, a member larger than ARCHIVE_MAX_PART_BYTES or
    more than ARCHIVE_MAX_TOTAL_BYTES unpacked. Data that is no zip archive passes: the reader
    says what is wrong with it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > settings.ARCHIVE_MAX_MEMBERS:
        raise error(_("文件包含 %(n)d 个内部部件，超过 %(max)d 个的上限，无法读取。")
                    % {"n": len(members), "max": settings.ARCHIVE_MAX_MEMBERS})
    part_limit, total_limit = settings.ARCHIVE_MAX_PART_BYTES, settings.ARCHIVE_MAX_TOTAL_BYTES
    total = 0
    for member in members:
        if member.file_size > part_limit:
            raise error(_("文件解压后的内容过大（其中“%(name)s”为 %(size)s MB，上限 %(max)s MB），无法读取。")
                        % {"name": member.filename[:80], "size": _mb(member.file_size), "max": _mb(part_limit)})
        total += member.file_size
        if total > total_limit:
            raise error(_("文件解压后的内容过大（超过 %(max)s MB），无法读取。") % {"max": _mb(total_limit)})
