"""The permission matrix: every URL of the site and of the API, for every role, against an object
of department A and one of department B, with the outcome each cell must have.

Rows are (method, URL name, target); columns are the personas of tests/base.py, an anonymous
visitor, and ``staff_a_leader_b``: staff in department A and leader in department B, whose leader
rights hold in B only (roles are per membership). Targets name the object a row is tried on:

- ``A`` / ``B``: department A's / department B's object of the kind the URL takes (assignment,
  sent report, evidence file, urge, extension request, document, measure, department);
- ``A draft`` / ``B draft``: a department's draft report, or a file attached to one;
- ``-``: no object (a page or a collection), or the one import run for the import wizard.

Department A leads measure 1 and department B supports it, so B's objects on it (assignment,
report, file, urge, extension) are the supporting department's: the lead department reads B's
*sent* report there (to fold it into its own) but never B's assignment or drafts. Document A is
therefore also B's document; document B (with measure B) is department B's alone.

Cells:

- a status code: ``200``, ``201``, ``302`` (an HTML action that redirected with a success
  message), ``400``, ``403``, ``404``, ``409``;
- ``302!``: an HTML action that reached the service, which refused it with a warning message
  (what the API reports as 409);
- ``login``: redirected to the login page;
- ``200+`` / ``200-``: a list that does / does not contain the target.

Every cell runs in its own transaction, rolled back afterwards, so each starts from the same data.
A new URL (or a new method on one) that is not in the table fails ``test_it_covers_every_url``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import time_machine
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from departments.choices import Role
from departments.models import Membership
from documents.importing.units import map_unit
from documents.importing.wizard import start_import
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, ExtensionStatus, ReportStatus
from tasks.dashboard import bulletins, windows
from tasks.models import Assignment, Attachment, ExtensionRequest, ProgressReport, Urge
from tasks.notify.models import CalendarToken, Notification
from tasks.spreadsheets.reading import read_csv
from tasks.spreadsheets.runs import start_run
from tests.base import PASSWORD, BaseTestCase, make_user
from tests.importing import PLAN_TEXT, make_directory
from tests.sheets import csv_bytes, sample_rows, upload

ROLES = ("anon", "office", "leadership", "admin", "staff_a", "leader_a", "staff_b", "staff_a_leader_b")

# fmt: off
MATRIX: dict[tuple[str, str, str], tuple[str, ...]] = {
    # method  URL name                             target      anon     office  leadersh admin   staff_a leader_a staff_b staff_a_leader_b
    # --- project pages ---
    ("GET",  "home",                               "-"):       ("login", "302",  "302",  "302",  "302",  "302",  "302", "302"),
    ("GET",  "no-role",                            "-"):       ("login", "200",  "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "status",                             "-"):       ("401",   "200",  "200",  "200",  "200",  "200",  "200", "200"),
    # --- department workspace ---
    ("GET",  "tasks:my-tasks",                     "A"):       ("login", "403",  "403",  "403",  "200+", "200+", "200-", "200+"),
    ("GET",  "tasks:my-tasks",                     "B"):       ("login", "403",  "403",  "403",  "200-", "200-", "200+", "200+"),
    ("GET",  "tasks:approvals",                    "-"):       ("login", "403",  "403",  "403",  "403",  "200",  "403", "200"),
    ("GET",  "tasks:assignment",                   "A"):       ("login", "200",  "200",  "200",  "200",  "200",  "404", "200"),
    ("GET",  "tasks:assignment",                   "B"):       ("login", "200",  "200",  "200",  "404",  "404",  "200", "200"),
    ("POST", "tasks:assignment",                   "A"):       ("login", "403",  "403",  "403",  "302",  "302",  "404", "302"),
    ("POST", "tasks:assignment",                   "B"):       ("login", "403",  "403",  "403",  "404",  "404",  "302", "302"),
    ("POST", "tasks:acknowledge",                  "A"):       ("login", "403",  "403",  "403",  "302",  "302",  "404", "302"),
    ("POST", "tasks:acknowledge",                  "B"):       ("login", "403",  "403",  "403",  "404",  "404",  "302", "302"),
    ("POST", "tasks:urge",                         "A"):       ("login", "302",  "403",  "403",  "403",  "403",  "404", "403"),
    ("POST", "tasks:urge",                         "B"):       ("login", "302",  "403",  "403",  "404",  "404",  "403", "403"),
    ("POST", "tasks:sign-off",                     "A"):       ("login", "302",  "403",  "403",  "403",  "403",  "404", "403"),
    ("POST", "tasks:sign-off",                     "B"):       ("login", "302",  "403",  "403",  "404",  "404",  "403", "403"),
    ("POST", "tasks:extension-request",            "A"):       ("login", "403",  "403",  "403",  "403",  "302",  "404", "403"),
    ("POST", "tasks:extension-request",            "B"):       ("login", "403",  "403",  "403",  "404",  "404",  "403", "302!"),
    # the leader of A may decide, but A's sent report waits for the office, not for its leader
    ("POST", "tasks:report-decision",              "A"):       ("login", "302",  "403",  "403",  "403",  "302!", "404", "403"),
    ("POST", "tasks:report-decision",              "B"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "302!"),
    ("POST", "tasks:report-submit",                "A draft"): ("login", "403",  "403",  "403",  "302",  "302",  "404", "302"),
    ("POST", "tasks:report-submit",                "B draft"): ("login", "403",  "403",  "403",  "404",  "404",  "302", "302"),
    ("POST", "tasks:report-withdraw",              "A"):       ("login", "403",  "403",  "403",  "302",  "302",  "404", "302"),
    # the lead department reads B's sent report (to fold it in) but only B may take it back
    ("POST", "tasks:report-withdraw",              "B"):       ("login", "403",  "403",  "403",  "403",  "403",  "302", "302"),
    ("POST", "tasks:urge-reply",                   "A"):       ("login", "403",  "403",  "403",  "302",  "302",  "404", "302"),
    ("POST", "tasks:urge-reply",                   "B"):       ("login", "403",  "403",  "403",  "404",  "404",  "302", "302"),
    ("POST", "tasks:extension-decision",           "A"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "tasks:extension-decision",           "B"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    # evidence files: a department's files never leave it (DESIGN: "never sees another department's
    # files"), even where the lead department reads the supporting department's sent report
    ("GET",  "tasks:attachment",                   "A"):       ("login", "200",  "200",  "200",  "200",  "200",  "404", "200"),
    ("GET",  "tasks:attachment",                   "B"):       ("login", "200",  "200",  "200",  "404",  "404",  "200", "200"),
    ("GET",  "tasks:attachment",                   "A draft"): ("login", "404",  "404",  "404",  "200",  "200",  "404", "200"),
    ("GET",  "tasks:attachment",                   "B draft"): ("login", "404",  "404",  "404",  "404",  "404",  "200", "200"),
    # --- notifications: personal, so every role manages its own; the calendar token is the credential ---
    ("GET",  "tasks:notifications",                "-"):       ("login", "200",  "200",  "200",  "200",  "200",  "200", "200"),
    ("POST", "tasks:notification-open",            "A"):       ("login", "404",  "404",  "404",  "302",  "404",  "404", "404"),
    ("POST", "tasks:notification-open",            "B"):       ("login", "404",  "404",  "404",  "404",  "404",  "302", "404"),
    ("POST", "tasks:notifications-read-all",       "-"):       ("login", "302",  "302",  "302",  "302",  "302",  "302", "302"),
    ("GET",  "tasks:notification-settings",        "-"):       ("login", "200",  "200",  "200",  "200",  "200",  "200", "200"),
    ("POST", "tasks:notification-settings",        "-"):       ("login", "302",  "302",  "302",  "302",  "302",  "302", "302"),
    ("GET",  "tasks:outbox",                       "-"):       ("login", "200",  "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "calendar-feed",                      "A"):       ("200",   "200",  "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "calendar-feed",                      "B"):       ("200",   "200",  "200",  "200",  "200",  "200",  "200", "200"),
    # --- office ---
    ("GET",  "tasks:reviews",                      "A"):       ("login", "200+", "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:reviews",                      "B"):       ("login", "200+", "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:reviews",                      "A draft"): ("login", "200-", "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:reviews",                      "B draft"): ("login", "200-", "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "tasks:reviews",                      "A"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "tasks:bulk-urge",                    "A"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    # A's sent report already waits for the office, not for its leader: refused with a message
    ("POST", "tasks:approvals",                    "A"):       ("login", "403",  "403",  "403",  "403",  "302!", "403", "302!"),
    ("POST", "tasks:reviews",                      "B"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:dashboard",                    "-"):       ("login", "200",  "200",  "403",  "403",  "403",  "403", "403"),
    # --- documents and the import wizard ---
    ("GET",  "documents:list",                     "A"):       ("login", "200+", "200+", "200+", "403",  "403",  "403", "403"),
    ("GET",  "documents:list",                     "B"):       ("login", "200+", "200+", "200+", "403",  "403",  "403", "403"),
    ("GET",  "documents:detail",                   "A"):       ("login", "200",  "200",  "200",  "403",  "403",  "403", "403"),
    ("GET",  "documents:detail",                   "B"):       ("login", "200",  "200",  "200",  "403",  "403",  "403", "403"),
    ("GET",  "documents:import",                   "-"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("POST", "documents:import",                   "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    # FormView also answers PUT; Django parses no form from a PUT body, so nothing is started
    ("PUT",  "documents:import",                   "-"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("GET",  "documents:import-preview",           "-"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("POST", "documents:import-metadata",          "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "documents:import-unit",              "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("GET",  "documents:import-measure",           "-"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("POST", "documents:import-measure",           "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "documents:import-drop",              "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "documents:import-discard",           "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "tasks:import-confirm",               "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    # --- dashboards and bulletins: the office drafts and publishes; everyone with a role reads published ---
    ("GET",  "tasks:assignments",                  "A"):       ("login", "200+", "200+", "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:assignments",                  "B"):       ("login", "200+", "200+", "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:bulletins",                    "-"):       ("login", "200",  "200",  "200",  "200",  "200",  "200", "200"),
    ("POST", "tasks:bulletins",                    "-"):       ("login", "302",  "403",  "403",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:bulletin",                     "published"):   ("login", "200", "200", "200", "200", "200", "200", "200"),
    ("GET",  "tasks:bulletin",                     "unpublished"): ("login", "200", "404", "404", "404", "404", "404", "404"),
    ("POST", "tasks:bulletin",                     "published"):   ("login", "302!", "403", "403", "403", "403", "403", "403"),
    ("POST", "tasks:bulletin",                     "unpublished"): ("login", "302", "403", "403", "403", "403", "403", "403"),
    ("GET",  "tasks:bulletin-docx",                "published"):   ("login", "200", "200", "200", "200", "200", "200", "200"),
    ("GET",  "tasks:bulletin-docx",                "unpublished"): ("login", "200", "404", "404", "404", "404", "404", "404"),
    ("POST", "tasks:bulletin-publish",             "unpublished"): ("login", "302", "403", "403", "403", "403", "403", "403"),
    ("GET",  "api-dashboard-summary",              "-"):       ("403",  "200",   "200",  "403",  "403",  "403",  "403", "403"),
    # --- task spreadsheet import (admins) and the ledger export (everyone with a role; scoped rows) ---
    ("GET",  "tasks:spreadsheet-import",           "A"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-import",           "A"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("PUT",  "tasks:spreadsheet-import",           "A"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:spreadsheet-preview",          "-"):       ("login", "403",  "403",  "200",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-skip",             "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-unit",             "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-unit-create",      "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-confirm",          "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("POST", "tasks:spreadsheet-discard",          "-"):       ("login", "403",  "403",  "302",  "403",  "403",  "403", "403"),
    ("GET",  "tasks:ledger-export",                "-"):       ("login", "200",  "200",  "200",  "200",  "200",  "200", "200"),
    # --- API: authentication, documentation, directory ---
    ("POST", "api-token",                          "-"):       ("200",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-schema",                         "-"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-docs",                           "-"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-department-list",                "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200+", "200+"),
    ("GET",  "api-department-list",                "B"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200+", "200+"),
    ("POST", "api-department-list",                "-"):       ("403",  "403",   "403",  "201",  "403",  "403",  "403", "403"),
    ("GET",  "api-department-detail",              "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-department-detail",              "B"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("PUT",  "api-department-detail",              "A"):       ("403",  "403",   "403",  "200",  "403",  "403",  "403", "403"),
    ("PUT",  "api-department-detail",              "B"):       ("403",  "403",   "403",  "200",  "403",  "403",  "403", "403"),
    ("PATCH", "api-department-detail",             "A"):       ("403",  "403",   "403",  "200",  "403",  "403",  "403", "403"),
    ("PATCH", "api-department-detail",             "B"):       ("403",  "403",   "403",  "200",  "403",  "403",  "403", "403"),
    # a department with work or people is never deleted (409); one without is (tests/test_api.py)
    ("DELETE", "api-department-detail",            "A"):       ("403",  "403",   "403",  "409",  "403",  "403",  "403", "403"),
    ("DELETE", "api-department-detail",            "B"):       ("403",  "403",   "403",  "409",  "403",  "403",  "403", "403"),
    # --- API: documents and measures ---
    ("GET",  "api-document-list",                  "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200+", "200+"),
    ("GET",  "api-document-list",                  "B"):       ("403",  "200+",  "200+", "200+", "200-", "200-", "200+", "200+"),
    ("GET",  "api-document-detail",                "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-document-detail",                "B"):       ("403",  "200",   "200",  "200",  "404",  "404",  "200", "200"),
    ("POST", "api-document-parse",                 "-"):       ("403",  "200",   "403",  "200",  "403",  "403",  "403", "403"),
    ("GET",  "api-measure-list",                   "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200+", "200+"),
    ("GET",  "api-measure-list",                   "B"):       ("403",  "200+",  "200+", "200+", "200-", "200-", "200+", "200+"),
    ("GET",  "api-measure-detail",                 "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-measure-detail",                 "B"):       ("403",  "200",   "200",  "200",  "404",  "404",  "200", "200"),
    # --- API: assignments ---
    ("GET",  "api-assignment-list",                "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200-", "200+"),
    ("GET",  "api-assignment-list",                "B"):       ("403",  "200+",  "200+", "200+", "200-", "200-", "200+", "200+"),
    ("GET",  "api-assignment-detail",              "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "404", "200"),
    ("GET",  "api-assignment-detail",              "B"):       ("403",  "200",   "200",  "200",  "404",  "404",  "200", "200"),
    ("POST", "api-assignment-acknowledge",         "A"):       ("403",  "403",   "403",  "403",  "200",  "200",  "404", "200"),
    ("POST", "api-assignment-acknowledge",         "B"):       ("403",  "403",   "403",  "403",  "404",  "404",  "200", "200"),
    ("POST", "api-assignment-urge",                "A"):       ("403",  "201",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-assignment-urge",                "B"):       ("403",  "201",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-assignment-sign-off",            "A"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-assignment-sign-off",            "B"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-assignment-extension-requests",  "A"):       ("403",  "403",   "403",  "403",  "403",  "201",  "403", "403"),
    ("POST", "api-assignment-extension-requests",  "B"):       ("403",  "403",   "403",  "403",  "403",  "404",  "403", "400"),
    # --- API: reports (POST on the list writes the current period's report for the target's assignment) ---
    ("GET",  "api-report-list",                    "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200-", "200+"),
    ("GET",  "api-report-list",                    "B"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200+", "200+"),
    ("GET",  "api-report-list",                    "A draft"): ("403",  "200-",  "200-", "200-", "200+", "200+", "200-", "200+"),
    ("GET",  "api-report-list",                    "B draft"): ("403",  "200-",  "200-", "200-", "200-", "200-", "200+", "200+"),
    ("POST", "api-report-list",                    "A"):       ("403",  "403",   "403",  "403",  "201",  "201",  "404", "201"),
    ("POST", "api-report-list",                    "B"):       ("403",  "403",   "403",  "403",  "404",  "404",  "201", "201"),
    ("GET",  "api-report-detail",                  "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "404", "200"),
    ("GET",  "api-report-detail",                  "B"):       ("403",  "200",   "200",  "200",  "200",  "200",  "200", "200"),
    ("GET",  "api-report-detail",                  "A draft"): ("403",  "404",   "404",  "404",  "200",  "200",  "404", "200"),
    ("GET",  "api-report-detail",                  "B draft"): ("403",  "404",   "404",  "404",  "404",  "404",  "200", "200"),
    ("POST", "api-report-submit",                  "A draft"): ("403",  "403",   "403",  "403",  "200",  "200",  "404", "200"),
    ("POST", "api-report-submit",                  "B draft"): ("403",  "403",   "403",  "403",  "404",  "404",  "200", "200"),
    ("POST", "api-report-accept",                  "A"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-report-accept",                  "B"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-report-return",                  "A"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-report-return",                  "B"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-report-leader-approve",          "A"):       ("403",  "403",   "403",  "403",  "403",  "409",  "403", "403"),
    ("POST", "api-report-leader-approve",          "B"):       ("403",  "403",   "403",  "403",  "403",  "403",  "403", "409"),
    ("POST", "api-report-leader-return",           "A"):       ("403",  "403",   "403",  "403",  "403",  "409",  "403", "403"),
    ("POST", "api-report-leader-return",           "B"):       ("403",  "403",   "403",  "403",  "403",  "403",  "403", "409"),
    # --- API: extension requests ---
    ("GET",  "api-extension-request-list",         "A"):       ("403",  "200+",  "200+", "200+", "200+", "200+", "200-", "200+"),
    ("GET",  "api-extension-request-list",         "B"):       ("403",  "200+",  "200+", "200+", "200-", "200-", "200+", "200+"),
    ("GET",  "api-extension-request-detail",       "A"):       ("403",  "200",   "200",  "200",  "200",  "200",  "404", "200"),
    ("GET",  "api-extension-request-detail",       "B"):       ("403",  "200",   "200",  "200",  "404",  "404",  "200", "200"),
    ("POST", "api-extension-request-decide",       "A"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
    ("POST", "api-extension-request-decide",       "B"):       ("403",  "200",   "403",  "403",  "403",  "403",  "403", "403"),
}
# fmt: on

# Whole URL trees left out of the matrix, and why.
NOT_IN_MATRIX = {
    "admin/": "Django admin: staff accounts only, guarded by Django's own permissions",
    "accounts/": "login, logout and password pages: public by design",
    "i18n/": "language switch: public by design, changes nothing but the session's language",
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Route:
    """How to call one (method, URL name): which object kind its target names, whether the
    object's id goes into the URL, whether the target is looked for in a list, and the body."""

    kind: str | None = None
    in_url: bool = True
    listing: bool = False
    api: bool = False
    body: Callable[[MatrixTestCase, Any, Any], dict] = field(default=lambda case, obj, user: {})
    args: Callable[[MatrixTestCase, Any], list] | None = None


def report_body(case, assignment, user) -> dict:
    return {"text": "本月完成机房主体工程。", "percent": "60"}


def decision_body(case, report, user) -> dict:
    return {"decision": "accept", "comment": "", "version": str(report.version)}


def measure_key(case, run) -> list:
    return [run.pk, run.plan["measures"][0]["key"]]


def import_measure_body(case, run, user) -> dict:
    return {
        "number": "1", "title": "完善养老服务设施", "deadline": "2026-12-31", "deadline_text": "2026年底前",
        "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0", "units-0-name": "市民政局", "units-0-role": "lead",
    }


def token_body(case, obj, user) -> dict:
    return {"username": (user or case.staff_a).username, "password": PASSWORD}


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "home"): Route(),
    ("GET", "no-role"): Route(),
    ("GET", "status"): Route(),
    ("GET", "tasks:my-tasks"): Route(kind="assignment", in_url=False, listing=True),
    ("GET", "tasks:approvals"): Route(),
    ("GET", "tasks:assignment"): Route(kind="assignment"),
    ("POST", "tasks:assignment"): Route(kind="assignment", body=report_body),
    ("POST", "tasks:acknowledge"): Route(kind="assignment"),
    ("POST", "tasks:urge"): Route(kind="assignment", body=lambda case, obj, user: {"message": "请于本周报送进展。"}),
    ("POST", "tasks:sign-off"): Route(kind="assignment"),
    ("POST", "tasks:extension-request"): Route(
        kind="assignment", body=lambda case, obj, user: {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"}
    ),
    ("POST", "tasks:report-decision"): Route(kind="report", body=decision_body),
    ("POST", "tasks:report-submit"): Route(kind="report"),
    ("POST", "tasks:report-withdraw"): Route(kind="report", body=decision_body),
    ("POST", "tasks:urge-reply"): Route(kind="urge", body=lambda case, obj, user: {"reply": "已部署推进。"}),
    ("POST", "tasks:extension-decision"): Route(
        kind="extension", body=lambda case, obj, user: {"decision": "approve", "comment": ""}
    ),
    ("GET", "tasks:attachment"): Route(kind="attachment"),
    ("GET", "tasks:spreadsheet-import"): Route(kind="document"),
    ("POST", "tasks:spreadsheet-import"): Route(kind="document", body=lambda case, obj, user: {
        "file": upload("分解表.csv", csv_bytes(sample_rows()), "text/csv")}),
    ("PUT", "tasks:spreadsheet-import"): Route(kind="document", body=lambda case, obj, user: {}),
    ("GET", "tasks:spreadsheet-preview"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk]),
    ("POST", "tasks:spreadsheet-skip"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk, 4]),
    ("POST", "tasks:spreadsheet-unit"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk],
                                              body=lambda case, obj, user: {"name": "市工信局", "department": case.dept_b.pk}),
    ("POST", "tasks:spreadsheet-unit-create"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk],
                                                     body=lambda case, obj, user: {"name": "市新设局", "kind": "bureau"}),
    ("POST", "tasks:spreadsheet-confirm"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk]),
    ("POST", "tasks:spreadsheet-discard"): Route(kind="sheet", args=lambda case, obj: [obj.document_id, obj.pk]),
    ("GET", "tasks:ledger-export"): Route(),
    ("GET", "tasks:assignments"): Route(kind="assignment", in_url=False, listing=True),
    ("GET", "tasks:bulletins"): Route(),
    ("POST", "tasks:bulletins"): Route(body=lambda case, obj, user: {
        "period": windows.month_window(timezone.localdate()).key, "title": "五月通报"}),
    ("GET", "tasks:bulletin"): Route(kind="bulletin"),
    ("POST", "tasks:bulletin"): Route(kind="bulletin", body=lambda case, obj, user: {
        "issuer": "市推进办", "doc_number": "", "title": obj.title, "recipients": "各有关单位", "foreword": "",
        "next_steps": ""}),
    ("GET", "tasks:bulletin-docx"): Route(kind="bulletin"),
    ("POST", "tasks:bulletin-publish"): Route(kind="bulletin"),
    ("GET", "api-dashboard-summary"): Route(api=True),
    ("GET", "tasks:notifications"): Route(),
    ("POST", "tasks:notification-open"): Route(kind="notification"),
    ("POST", "tasks:notifications-read-all"): Route(),
    ("GET", "tasks:notification-settings"): Route(),
    ("POST", "tasks:notification-settings"): Route(body=lambda case, obj, user: {}),  # email off: no warning
    ("GET", "tasks:outbox"): Route(),
    ("GET", "calendar-feed"): Route(kind="calendar", args=lambda case, obj: [obj.token]),
    ("GET", "tasks:reviews"): Route(kind="report", in_url=False, listing=True),
    ("POST", "tasks:reviews"): Route(kind="report", in_url=False, body=lambda case, obj, user: {"reports": [obj.pk]}),
    ("POST", "tasks:bulk-urge"): Route(kind="assignment", in_url=False, body=lambda case, obj, user: {
        "assignments": [obj.pk], "preset": "0"}),
    ("POST", "tasks:approvals"): Route(kind="report", in_url=False, body=lambda case, obj, user: {"reports": [obj.pk]}),
    ("GET", "tasks:dashboard"): Route(),
    ("GET", "documents:list"): Route(kind="document", in_url=False, listing=True),
    ("GET", "documents:detail"): Route(kind="document"),
    ("GET", "documents:import"): Route(),
    ("POST", "documents:import"): Route(body=lambda case, obj, user: {"text": PLAN_TEXT}),
    ("PUT", "documents:import"): Route(body=lambda case, obj, user: {"text": PLAN_TEXT}),
    ("GET", "documents:import-preview"): Route(kind="import"),
    ("POST", "documents:import-metadata"): Route(
        kind="import", body=lambda case, obj, user: {"title": "关于加快养老服务发展的实施方案", "issued_date": "2024-05-06"}
    ),
    ("POST", "documents:import-unit"): Route(
        kind="import",
        body=lambda case, obj, user: {"name": "市教科体局", "action": "map", "department": case.units["市科教体局"].pk,
                                      "kind": "bureau"},
    ),
    ("GET", "documents:import-measure"): Route(kind="import", args=measure_key),
    ("POST", "documents:import-measure"): Route(kind="import", args=measure_key, body=import_measure_body),
    ("POST", "documents:import-drop"): Route(kind="import", args=measure_key, body=lambda case, obj, user: {"dropped": "1"}),
    ("POST", "documents:import-discard"): Route(kind="import"),
    ("POST", "tasks:import-confirm"): Route(kind="import"),
    ("POST", "api-token"): Route(api=True, body=token_body),
    ("GET", "api-schema"): Route(api=True),
    ("GET", "api-docs"): Route(),
    ("GET", "api-department-list"): Route(kind="department", in_url=False, listing=True, api=True),
    ("POST", "api-department-list"): Route(api=True, body=lambda case, obj, user: {"name": "市审计局", "kind": "bureau"}),
    ("GET", "api-department-detail"): Route(kind="department", api=True),
    ("PUT", "api-department-detail"): Route(
        kind="department", api=True, body=lambda case, obj, user: {"name": obj.name, "kind": obj.kind, "sort_order": 3}
    ),
    ("PATCH", "api-department-detail"): Route(kind="department", api=True, body=lambda case, obj, user: {"sort_order": 4}),
    ("DELETE", "api-department-detail"): Route(kind="department", api=True),
    ("GET", "api-document-list"): Route(kind="document", in_url=False, listing=True, api=True),
    ("GET", "api-document-detail"): Route(kind="document", api=True),
    ("POST", "api-document-parse"): Route(api=True, body=lambda case, obj, user: {"text": PLAN_TEXT}),
    ("GET", "api-measure-list"): Route(kind="measure", in_url=False, listing=True, api=True),
    ("GET", "api-measure-detail"): Route(kind="measure", api=True),
    ("GET", "api-assignment-list"): Route(kind="assignment", in_url=False, listing=True, api=True),
    ("GET", "api-assignment-detail"): Route(kind="assignment", api=True),
    ("POST", "api-assignment-acknowledge"): Route(kind="assignment", api=True),
    ("POST", "api-assignment-urge"): Route(
        kind="assignment", api=True, body=lambda case, obj, user: {"message": "请于本周报送进展。"}
    ),
    ("POST", "api-assignment-sign-off"): Route(kind="assignment", api=True),
    ("POST", "api-assignment-extension-requests"): Route(
        kind="assignment", api=True,
        body=lambda case, obj, user: {"requested_deadline": "2026-09-30", "reason": "设备到货延迟"},
    ),
    ("GET", "api-report-list"): Route(kind="report", in_url=False, listing=True, api=True),
    ("POST", "api-report-list"): Route(
        kind="assignment", in_url=False, api=True,
        body=lambda case, obj, user: {"assignment": obj.pk, "text": "本月完成机房主体工程。", "percent": 60},
    ),
    ("GET", "api-report-detail"): Route(kind="report", api=True),
    ("POST", "api-report-submit"): Route(kind="report", api=True),
    ("POST", "api-report-accept"): Route(kind="report", api=True, body=lambda case, obj, user: {"version": obj.version}),
    ("POST", "api-report-return"): Route(
        kind="report", api=True, body=lambda case, obj, user: {"version": obj.version, "comment": "请补充数据。"}
    ),
    ("POST", "api-report-leader-approve"): Route(
        kind="report", api=True, body=lambda case, obj, user: {"version": obj.version}
    ),
    ("POST", "api-report-leader-return"): Route(
        kind="report", api=True, body=lambda case, obj, user: {"version": obj.version, "comment": "请补充数据。"}
    ),
    ("GET", "api-extension-request-list"): Route(kind="extension", in_url=False, listing=True, api=True),
    ("GET", "api-extension-request-detail"): Route(kind="extension", api=True),
    ("POST", "api-extension-request-decide"): Route(
        kind="extension", api=True, body=lambda case, obj, user: {"approve": True, "comment": ""}
    ),
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Writes that touch only the caller's own things (a token, their inbox, their channel choices).
PERSONAL = {"api-token", "tasks:notification-open", "tasks:notifications-read-all", "tasks:notification-settings"}
LOGIN_PATH = "/accounts/login/"


def walk_urls(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str | None, Any]]:
    """(route, name with namespace, view callback) for every URL pattern the project serves."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if any(route.startswith(excluded) for excluded in NOT_IN_MATRIX):
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_urls(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name, pattern.callback


def served_methods(callback: Any) -> set[str]:
    """The HTTP methods a view answers (besides HEAD and OPTIONS)."""
    if getattr(callback, "actions", None):  # a DRF viewset route (which adds "head" once it has served a GET)
        return {method.upper() for method in callback.actions if method not in ("head", "options")}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:  # a function view: the project's are GET pages
        return {"GET"}
    return {
        method.upper()
        for method in view_class.http_method_names
        if method not in ("head", "options") and hasattr(view_class, method)
    }


@time_machine.travel(NOW, tick=False)
class MatrixTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Roles are per membership: staff in A and leader in B is a leader of B only.
        cls.staff_a_leader_b = make_user("staff_a_leader_b", cls.dept_a, Role.STAFF)
        Membership.objects.create(user=cls.staff_a_leader_b, department=cls.dept_b, role=Role.LEADER)
        cls.measure2 = Measure.objects.create(
            document=cls.document, number="2", title="配套建设电网", deadline=datetime.date(2026, 6, 30), order=2
        )
        cls.assignment_a2 = Assignment.objects.create(measure=cls.measure2, department=cls.dept_a,
                                                      role=AssignmentRole.LEAD)
        cls.document_b = PolicyDocument.objects.create(title="测试市工业强市方案", doc_number="测府办发〔2026〕2号")
        cls.measure_b = Measure.objects.create(document=cls.document_b, number="1", title="培育工业互联网平台", order=1)
        Assignment.objects.create(measure=cls.measure_b, department=cls.dept_b, role=AssignmentRole.LEAD)

        def report(assignment, month: int, status: str, user) -> ProgressReport:
            end = datetime.date(2026, month + 1, 1) - datetime.timedelta(days=1)
            return ProgressReport.objects.create(
                assignment=assignment, period_start=datetime.date(2026, month, 1), period_end=end,
                text=f"{assignment.department}{month}月进展。", percent=30, status=status, created_by=user,
                version=1 if status == ReportStatus.DRAFT else 2,
                submitted_by=None if status == ReportStatus.DRAFT else user,
            )

        cls.sent_a = report(cls.assignment_a, 5, ReportStatus.SUBMITTED, cls.staff_a)
        cls.sent_b = report(cls.assignment_b, 5, ReportStatus.SUBMITTED, cls.staff_b)
        cls.draft_b = report(cls.assignment_b, 4, ReportStatus.DRAFT, cls.staff_b)
        cls.files = {
            target: Attachment.objects.create(
                report=on, file=ContentFile(PDF, name="evidence.pdf"), original_name=f"佐证{target}.pdf",
                content_type="application/pdf", size=len(PDF), uploaded_by=on.created_by,
            )
            for target, on in (("A", cls.sent_a), ("B", cls.sent_b), ("A draft", cls.report_a),
                               ("B draft", cls.draft_b))
        }
        cls.urges = {
            target: Urge.objects.create(assignment=assignment, message="请加快进度。", sent_by=cls.office)
            for target, assignment in (("A", cls.assignment_a), ("B", cls.assignment_b))
        }
        # A's request is on its second assignment, so that A's leader can still ask on the first.
        cls.extensions = {
            target: ExtensionRequest.objects.create(
                assignment=assignment, requested_by=None, previous_deadline=datetime.date(2026, 6, 30),
                requested_deadline=datetime.date(2026, 9, 30), reason="设备到货延迟", status=ExtensionStatus.PENDING,
            )
            for target, assignment in (("A", cls.assignment_a2), ("B", cls.assignment_b))
        }
        cls.notifications = {
            target: Notification.objects.create(recipient=user, kind="urge", title="催办", body="请报送",
                                                link=f"/tasks/{assignment.pk}/", assignment=assignment)
            for target, user, assignment in (("A", cls.staff_a, cls.assignment_a), ("B", cls.staff_b, cls.assignment_b))
        }
        cls.calendars = {"A": CalendarToken.objects.create(user=cls.staff_a),
                         "B": CalendarToken.objects.create(user=cls.staff_b)}
        window = windows.month_window(NOW.date())
        cls.bulletins = {"published": bulletins.draft_bulletin(cls.office, window, "四月通报", NOW.date()),
                         "unpublished": bulletins.draft_bulletin(cls.office, window, "五月通报草稿", NOW.date())}
        bulletins.publish_bulletin(cls.bulletins["published"], cls.office)
        cls.units = make_directory()
        cls.sheet_run = start_run(cls.document, "分解表.csv", read_csv(csv_bytes(sample_rows())), cls.admin)
        cls.import_run = start_import(PLAN_TEXT, "plan.txt", cls.admin)
        map_unit(cls.import_run.plan, "市教科体局", cls.units["市科教体局"])
        cls.import_run.save()

    def setUp(self):
        # Each test has its own MEDIA_ROOT (tests/conftest.py): put the evidence files back in it.
        for attachment in self.files.values():
            attachment.file.storage.save(attachment.file.name, ContentFile(PDF))

    def target_object(self, kind: str | None, target: str) -> Any:
        objects = {
            "assignment": {"A": self.assignment_a, "B": self.assignment_b},
            "report": {"A": self.sent_a, "B": self.sent_b, "A draft": self.report_a, "B draft": self.draft_b},
            "attachment": self.files,
            "urge": self.urges,
            "extension": self.extensions,
            "document": {"A": self.document, "B": self.document_b},
            "measure": {"A": self.measure, "B": self.measure_b},
            "department": {"A": self.dept_a, "B": self.dept_b},
            "import": {"-": self.import_run},
            "notification": self.notifications,
            "calendar": self.calendars,
            "sheet": {"-": self.sheet_run},
            "bulletin": self.bulletins,
        }
        return objects[kind][target] if kind else None

    def user(self, role: str):
        return None if role == "anon" else getattr(self, role)

    def outcome(self, client: Client, user, method: str, name: str, target: str) -> str:
        """Call one cell and describe what happened in the matrix's words; nothing is kept."""
        route = ROUTES[(method, name)]
        obj = self.target_object(route.kind, target)
        if route.args is not None:
            args = route.args(self, obj)
        else:
            args = [obj.pk] if obj is not None and route.in_url else []
        url = reverse(name, args=args)
        body = route.body(self, obj, user)
        client.cookies.pop("messages", None)  # a message left by the cell before is not this cell's
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            elif route.api:
                response = client.generic(method, url, json.dumps(body), content_type="application/json")
            elif method == "POST":
                response = client.post(url, body)
            else:
                response = client.generic(method, url, urlencode(body), content_type="application/x-www-form-urlencoded")
            described = self.describe(response, route, obj)
            transaction.set_rollback(True)
        return described

    def describe(self, response, route: Route, obj: Any) -> str:
        code = response.status_code
        if code == 302:
            if response["Location"].startswith(LOGIN_PATH):
                return "login"
            levels = [message.level for message in get_messages(response.wsgi_request)]
            return "302!" if any(level >= constants.WARNING for level in levels) else "302"
        if code == 200 and route.listing:
            if route.api:
                listed = [row["id"] for row in response.json()["results"]]
            else:
                listed = [row.pk for row in response.context["object_list"]]
            return "200+" if obj.pk in listed else "200-"
        if code == 200 and route.kind == "attachment":
            content = b"".join(response.streaming_content)
            if not content.startswith(b"%PDF-") or response["X-Content-Type-Options"] != "nosniff":
                return "200 (not the evidence file, or without nosniff)"
        return str(code)

    def check_role(self, role: str) -> None:
        user = self.user(role)
        client = Client()
        if user is not None:
            client.force_login(user)
        column = ROLES.index(role)
        wrong = []
        for (method, name, target), expected in MATRIX.items():
            got = self.outcome(client, user, method, name, target)
            if got != expected[column]:
                wrong.append(f"{method} {name} [{target}]: expected {expected[column]}, got {got}")
        self.assertEqual(wrong, [], f"{role}: {len(wrong)} cell(s) of the permission matrix differ")


class PermissionMatrixTests(MatrixTestCase):
    def test_it_covers_every_url(self):
        served = {
            (method, name or route)
            for route, name, callback in walk_urls()
            for method in served_methods(callback)
        }
        in_table = {(method, name) for method, name, _target in MATRIX}
        self.assertEqual(sorted(served - set(ROUTES)), [], "URLs without a row in ROUTES/MATRIX: add them")
        self.assertEqual(sorted(set(ROUTES) - served), [], "rows for URLs that no longer exist")
        self.assertEqual(sorted(set(ROUTES) - in_table), [], "routes without expected outcomes in MATRIX")

    def test_it_has_one_cell_per_role_and_a_known_target_in_every_row(self):
        for (method, name, target), cells in MATRIX.items():
            with self.subTest(row=(method, name, target)):
                self.assertEqual(len(cells), len(ROLES))
                kind = ROUTES[(method, name)].kind
                if kind is None:
                    self.assertEqual(target, "-")
                else:
                    self.assertIsNotNone(self.target_object(kind, target))
        self.assertGreater(len(MATRIX) * len(ROLES), 700)

    def test_it_states_the_rules_that_keep_data_safe(self):
        """Read the table itself against the rules, so that nobody loosens a cell by accident."""
        column = {role: ROLES.index(role) for role in ROLES}
        for (method, name, target), cells in MATRIX.items():
            with self.subTest(row=(method, name, target)):
                write = method in WRITE_METHODS and name not in PERSONAL
                if write:
                    self.assertIn(cells[column["leadership"]], ("403",), "leadership changes nothing")
                    self.assertIn(cells[column["anon"]], ("login", "403"), "anonymous changes nothing")
                if target.endswith("draft"):
                    for role in ("office", "leadership", "admin"):
                        self.assertIn(cells[column[role]], ("404", "403", "200-", "login"), f"{role} sees a draft")
                    outsider = "staff_b" if target.startswith("A") else "staff_a"
                    self.assertIn(cells[column[outsider]], ("404", "403", "200-"), "a draft left its department")
                kind = ROUTES[(method, name)].kind
                if target == "A" and kind in ("assignment", "report", "attachment", "urge", "extension"):
                    self.assertIn(cells[column["staff_b"]], ("404", "403", "200-"), "department B sees A's work")

    def test_it_matches_the_matrix_for_anonymous_visitors(self):
        self.check_role("anon")

    def test_it_matches_the_matrix_for_the_office(self):
        self.check_role("office")

    def test_it_matches_the_matrix_for_leadership(self):
        self.check_role("leadership")

    def test_it_matches_the_matrix_for_the_admin(self):
        self.check_role("admin")

    def test_it_matches_the_matrix_for_department_a_staff(self):
        self.check_role("staff_a")

    def test_it_matches_the_matrix_for_department_a_leader(self):
        self.check_role("leader_a")

    def test_it_matches_the_matrix_for_department_b_staff(self):
        self.check_role("staff_b")

    def test_it_matches_the_matrix_for_staff_of_a_who_leads_b(self):
        self.check_role("staff_a_leader_b")


class MatrixHarnessTests(MatrixTestCase):
    """The harness itself can tell outcomes apart (so the matrix cannot pass by accident)."""

    def test_it_tells_a_refused_action_from_a_done_one(self):
        client = Client()
        client.force_login(self.office)
        self.assertEqual(self.outcome(client, self.office, "POST", "tasks:sign-off", "A"), "302")
        Assignment.objects.filter(pk=self.assignment_a.pk).update(status="closed")
        self.assertEqual(self.outcome(client, self.office, "POST", "tasks:sign-off", "A"), "302!")

    def test_it_rolls_every_cell_back(self):
        client = Client()
        client.force_login(self.office)
        self.outcome(client, self.office, "POST", "api-assignment-urge", "A")
        self.outcome(client, self.office, "POST", "api-report-accept", "A")
        self.assertEqual(Urge.objects.count(), 2)
        self.assertEqual(ProgressReport.objects.get(pk=self.sent_a.pk).status, ReportStatus.SUBMITTED)

    def test_it_sees_whether_a_list_holds_the_target(self):
        client = Client()
        client.force_login(self.staff_a)
        self.assertEqual(self.outcome(client, self.staff_a, "GET", "api-assignment-list", "A"), "200+")
        Membership.objects.filter(user=self.staff_a).update(department=self.dept_b)
        self.assertEqual(self.outcome(client, self.staff_a, "GET", "api-assignment-list", "A"), "200-")

    def test_it_finds_the_login_redirect_and_the_project_settings_agree(self):
        self.assertEqual(reverse(settings.LOGIN_URL), LOGIN_PATH)
        self.assertEqual(self.outcome(Client(), None, "GET", "tasks:dashboard", "-"), "login")
