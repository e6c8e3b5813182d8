"""Evidence in an S3-compatible object store (moto's in-process S3) and on the file system:
uploads and downloads through the portal, objects kept private, and a store that fails loses
nothing and says so."""

import datetime
import os
from pathlib import Path
from unittest import mock

import boto3
import time_machine
from botocore.exceptions import EndpointConnectionError
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws
from storages.backends.s3 import S3Storage

from policytrack.storage import S3_BACKEND, evidence_storage
from tasks.choices import ReportStatus
from tasks.models import Attachment, ProgressReport
from tests.base import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.7\n% the second file\n%%EOF\n"
TODAY = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)
BUCKET = "policytrack-evidence"
S3_ENV = {"S3_BUCKET": BUCKET, "S3_REGION": "cn-north-1", "S3_ACCESS_KEY_ID": "testing",
          "S3_SECRET_ACCESS_KEY": "testing", "S3_PREFIX": "/yunchuan/"}
UNREACHABLE = EndpointConnectionError(endpoint_url="https://s3.intranet.example")


def test_without_a_bucket_evidence_is_on_the_file_system():
    with mock.patch.dict(os.environ, {"S3_BUCKET": ""}):
        assert evidence_storage(max_memory_size=1024) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_the_bucket_is_read_from_the_environment(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-docker-secret\n", encoding="utf-8")
    env = {**S3_ENV, "S3_ENDPOINT_URL": "http://minio:9000", "S3_ADDRESSING_STYLE": "path",
           "S3_SECRET_ACCESS_KEY_FILE": str(secret)}
    with mock.patch.dict(os.environ, env):
        storage = evidence_storage(max_memory_size=1024)
    assert storage["BACKEND"] == S3_BACKEND
    options = storage["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == "http://minio:9000"
    assert options["secret_key"] == "from-a-docker-secret" and options["addressing_style"] == "path"
    assert options["location"] == "yunchuan"
    assert options["default_acl"] is None and options["querystring_auth"] is True  # never a public URL
    assert options["max_memory_size"] == 1024


@time_machine.travel(TODAY, tick=False)
class ObjectStoreTests(BaseTestCase):
    """Staff upload through the report form and the office downloads through the portal, with
    the files in the (mocked) bucket and nothing under MEDIA_ROOT."""

    def setUp(self):
        self.enterContext(mock_aws())
        self.s3 = boto3.client("s3", region_name="cn-north-1", aws_access_key_id="testing",
                               aws_secret_access_key="testing")
        self.s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        with mock.patch.dict(os.environ, S3_ENV):
            storages = {**settings.STORAGES, "default": evidence_storage(max_memory_size=1024)}
        self.enterContext(override_settings(STORAGES=storages))
        self.detail = reverse("tasks:assignment", args=[self.assignment_a.pk])

    def keys(self) -> list[str]:
        return [item["Key"] for item in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    def save_draft(self, text="完成机房土建。", files=(), **extra):
        self.client.force_login(self.staff_a)
        return self.client.post(self.detail, {"text": text, "percent": "40", "files": list(files), "save": "1", **extra})

    def current(self) -> ProgressReport:
        return ProgressReport.objects.get(assignment=self.assignment_a, period_start=datetime.date(2026, 4, 1))

    def test_an_upload_goes_to_the_bucket_privately_and_comes_back_through_the_portal(self):
        self.assertIsInstance(Attachment._meta.get_field("file").storage, S3Storage)
        response = self.save_draft(files=[SimpleUploadedFile("验收单.pdf", PDF)])
        self.assertEqual(response.status_code, 302)
        attachment = Attachment.objects.get()
        self.assertEqual(self.keys(), [f"yunchuan/{attachment.file.name}"])
        self.assertEqual([path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()], [])
        grants = self.s3.get_object_acl(Bucket=BUCKET, Key=self.keys()[0])["Grants"]
        self.assertEqual([grant["Permission"] for grant in grants], ["FULL_CONTROL"])  # the owner only
        self.assertNotIn("AllUsers", str(grants))

        url = reverse("tasks:attachment", args=[attachment.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response["Content-Length"], str(len(PDF)))

        self.client.force_login(self.office)
        self.assertEqual(self.client.get(url).status_code, 404)  # a draft: the office may not read it yet
        ProgressReport.objects.filter(pk=attachment.report_id).update(status=ReportStatus.SUBMITTED)
        response = self.client.get(url)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_a_store_that_fails_on_upload_loses_nothing_and_says_so(self):
        self.save_draft(text="第一稿。", files=[SimpleUploadedFile("验收单.pdf", PDF)])
        first = Attachment.objects.get()
        with mock.patch.object(S3Storage, "_save", side_effect=UNREACHABLE):
            response = self.save_draft(text="第二稿，附新材料。", files=[SimpleUploadedFile("新材料.pdf", OTHER_PDF)],
                                       submit="1")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "未能保存：文件存储暂时不可用", status_code=503)
        self.assertContains(response, "第二稿，附新材料。", status_code=503)  # what was typed is shown again
        report = self.current()
        self.assertEqual((report.text, report.status), ("第一稿。", ReportStatus.DRAFT))  # the earlier draft stands
        self.assertEqual(list(report.attachments.all()), [first])
        self.assertEqual(self.keys(), [f"yunchuan/{first.file.name}"])
        download = self.client.get(reverse("tasks:attachment", args=[first.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF)

    def test_a_missing_bucket_is_a_failed_save_not_a_server_error(self):
        self.s3.delete_bucket(Bucket=BUCKET)
        response = self.save_draft(files=[SimpleUploadedFile("验收单.pdf", PDF)])
        self.assertContains(response, "文件存储暂时不可用", status_code=503)
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).exists())
        self.assertFalse(Attachment.objects.exists())

    def test_a_store_that_fails_on_download_answers_with_a_message(self):
        self.save_draft(files=[SimpleUploadedFile("验收单.pdf", PDF)])
        attachment = Attachment.objects.get()
        url = reverse("tasks:attachment", args=[attachment.pk])
        with mock.patch.object(S3Storage, "_open", side_effect=UNREACHABLE):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "60")
        self.assertContains(response, "佐证材料“验收单.pdf”暂时无法下载", status_code=503)
        self.assertContains(response, "文件没有丢失", status_code=503)
        self.assertEqual(b"".join(self.client.get(url).streaming_content), PDF)  # back once the store is

    def test_an_object_gone_from_the_bucket_is_not_found(self):
        self.save_draft(files=[SimpleUploadedFile("验收单.pdf", PDF)])
        attachment = Attachment.objects.get()
        self.s3.delete_object(Bucket=BUCKET, Key=self.keys()[0])
        with self.assertLogs("tasks.workflow.uploads", "ERROR"):
            response = self.client.get(reverse("tasks:attachment", args=[attachment.pk]))
        self.assertEqual(response.status_code, 404)


@time_machine.travel(TODAY, tick=False)
class FileSystemStoreTests(BaseTestCase):
    def test_a_full_or_unmounted_volume_loses_nothing_and_says_so(self):
        self.client.force_login(self.staff_a)
        detail = reverse("tasks:assignment", args=[self.assignment_a.pk])
        with mock.patch.object(FileSystemStorage, "_save", side_effect=OSError(28, "No space left on device")):
            response = self.client.post(detail, {"text": "本月进展。", "percent": "30", "save": "1",
                                                 "files": [SimpleUploadedFile("验收单.pdf", PDF)]})
        self.assertContains(response, "未能保存：文件存储暂时不可用", status_code=503)
        self.assertContains(response, "本月进展。", status_code=503)
        self.assertFalse(ProgressReport.objects.filter(period_start=datetime.date(2026, 4, 1)).exists())
        self.assertFalse(Attachment.objects.exists())
