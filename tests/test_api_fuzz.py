"""A schema-driven fuzz of the API: schemathesis generates requests from the project's own
OpenAPI schema and sends them in-process to the WSGI app, as the office and as department staff.
No generated request may answer with a server error. The number of examples per operation is
bounded (FUZZ_READ_EXAMPLES, default 25, for GET operations; FUZZ_WRITE_EXAMPLES, default 8,
for the others) so that the whole fuzz stays within a couple of minutes.

A second test reads every bounded numeric parameter of the schema and checks that the API
accepts its stated minimum and maximum and refuses one past either end: the schema's constraints
are what the API validates."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from policytrack.wsgi import application
from tests.base import BaseTestCase

# Reads carry the filters, so they get more examples than writes. Random generation finds an
# unbounded number only by luck (a 2.8e16-day span needed about 60 examples): that every numeric
# filter declares its bounds, and that the API enforces them, is checked exactly below.
READ_EXAMPLES = int(os.environ.get("FUZZ_READ_EXAMPLES", "25"))
WRITE_EXAMPLES = int(os.environ.get("FUZZ_WRITE_EXAMPLES", "8"))


def project_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(project_schema())
schema.app = application
# Valid and invalid inputs both: an out-of-range or malformed value must be a 4xx, never a 500.
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def personas(django_db_setup, django_db_blocker):
    """The test world (tests/base.py) with an API token for the office and for staff of A."""
    BaseTestCase.setUpTestData.__func__(BaseTestCase)
    return {name: Token.objects.create(user=getattr(BaseTestCase, name)).key for name in ("office", "staff_a")}


@pytest.fixture
def in_process_requests():
    """Requests run inside the test's transaction: Django's own test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz_test(operations, examples: int):
    """A test over ``operations``: ``examples`` generated requests each, sent as every persona."""

    @pytest.mark.postgres
    @pytest.mark.django_db
    @pytest.mark.usefixtures("in_process_requests")
    @operations.parametrize()
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def test(case, personas):
        for token in personas.values():
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])

    return test


test_no_generated_read_is_a_server_error = fuzz_test(schema.include(method="GET"), READ_EXAMPLES)
test_no_generated_write_is_a_server_error = fuzz_test(schema.exclude(method="GET"), WRITE_EXAMPLES)


def bounded_parameters(spec: dict):
    for path, operations in spec["paths"].items():
        if "{" in path:
            continue
        for method, operation in operations.items():
            if method != "get":
                continue
            for parameter in operation.get("parameters", []):
                described = parameter.get("schema", {})
                if parameter["in"] == "query" and described.get("type") == "integer" and "maximum" in described:
                    yield path, parameter["name"], described["minimum"], described["maximum"]


def numeric_query_parameters(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                described = parameter.get("schema", {})
                if parameter["in"] == "query" and described.get("type") in ("integer", "number"):
                    yield f"{method.upper()} {path} ?{parameter['name']}", described


class SchemaConstraintTests(BaseTestCase):
    def test_every_numeric_filter_declares_its_bounds(self):
        """Pagination's ``page`` is the exception: an absurd page is DRF's own 404, never a 500."""
        unbounded = [name for name, described in numeric_query_parameters(project_schema())
                     if not name.endswith("?page") and not {"minimum", "maximum"} <= set(described)]
        self.assertEqual(unbounded, [])

    def test_the_schema_bounds_are_what_the_api_validates(self):
        client = APIClient()
        client.force_authenticate(self.office)
        found = list(bounded_parameters(project_schema()))
        self.assertGreaterEqual(len(found), 4, found)
        for path, name, low, high in found:
            with self.subTest(path=path, name=name):
                # at the bounds: answered (an id naming no object may be refused as a choice)
                self.assertIn(client.get(path, {name: low}).status_code, (200, 400))
                self.assertIn(client.get(path, {name: high}).status_code, (200, 400))
                self.assertEqual(client.get(path, {name: low - 1}).status_code, 400)
                self.assertEqual(client.get(path, {name: high + 1}).status_code, 400)
