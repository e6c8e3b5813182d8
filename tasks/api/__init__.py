"""The REST API (/api/): serializers, permissions and views over the same services as the pages.

Every change goes through tasks.workflow.reports and every number through tasks.dashboard, so
the API adds no rules of its own; it may import any other package of tasks, nothing imports it
but the URLs.
"""
