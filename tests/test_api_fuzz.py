"""A schema-driven fuzz of the API: schemathesis generates requests from the project's own
OpenAPI schema and sends them in-process to the WSGI app, as the office and as department staff.
No generated request may answer with a server error. The number of examples per operation is
bounded (FUZZ_EXAMPLES, default 10) so that the whole fuzz stays within a couple of minutes.

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
from schemathesis.checks import not_a_server_error

from policytrack.wsgi import application
from tests.base import BaseTestCase

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))


def project_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(project_schema())
schema.app = application


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


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.usefixtures("in_process_requests")
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_is_a_server_error(case, personas):
    for token in personas.values():
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])


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


class SchemaConstraintTests(BaseTestCase):
    def test_the_schema_bounds_are_what_the_api_validates(self):
        client = APIClient()
        client.force_authenticate(self.office)
        found = list(bounded_parameters(project_schema()))
        self.assertGreaterEqual(len(found), 4, found)
        for path, name, low, high in found:
            with self.subTest(path=path, name=name):
                self.assertEqual(client.get(path, {name: low}).status_code, 200)
                self.assertEqual(client.get(path, {name: high}).status_code, 200)
                self.assertEqual(client.get(path, {name: low - 1}).status_code, 400)
                self.assertEqual(client.get(path, {name: high + 1}).status_code, 400)
