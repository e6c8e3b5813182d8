"""Writing notifications: in-app messages and their outbox deliveries, in the caller's
transaction; sending is queued only once that transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from departments.choices import GroupRole, Role
from departments.models import Department, GroupMembership, LeadingGroup, Membership
from documents.models import PolicyDocument
from tasks.notify.delivery import deliver
from tasks.notify.models import Channel, Delivery, Notification, NotificationKind, NotificationPreference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    link: str = ""
    assignment_id: int | None = None


@dataclass(frozen=True)
class Audience:
    """Who gets a message: users (in-app, and email if they want it) and departments (webhook)."""

    user_ids: tuple[int, ...]
    department_ids: tuple[int, ...] = ()


def department_members(department_ids: Iterable[int], roles: Sequence[str] = (Role.STAFF, Role.LEADER)) -> dict[int, list[int]]:
    """User ids per department for the given roles, in one query."""
    members: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        department_id__in=set(department_ids), role__in=roles, user__is_active=True
    ).values_list("department_id", "user_id")
    for department_id, user_id in rows:
        members.setdefault(department_id, []).append(user_id)
    return members


def office_user_ids() -> list[int]:
    """Reviewers of the general supervision office (督查室): an office membership in a department."""
    return list(
        Membership.objects.filter(role=Role.OFFICE, user__is_active=True).values_list("user_id", flat=True).distinct()
    )


def office_recipients(group_ids: Iterable[int] | None = None) -> dict[int | None, list[int]]:
    """Who hears about a document's work, per leading group (``None``: documents without a group),
    in three queries: a group's office reviewers, plus the general office where the group asks
    for it or where the group has no reviewer yet (so nothing goes unheard); the general office
    for documents without a group. ``group_ids`` limits the groups read (all when None)."""
    general = office_user_ids()
    reviewers: dict[int, list[int]] = {}
    memberships = GroupMembership.objects.filter(role=GroupRole.OFFICE, user__is_active=True)
    groups = LeadingGroup.objects.all()
    if group_ids is not None:
        group_ids = list(group_ids)
        memberships, groups = memberships.filter(group_id__in=group_ids), groups.filter(pk__in=group_ids)
    for group_id, user_id in memberships.values_list("group_id", "user_id"):
        reviewers.setdefault(group_id, []).append(user_id)
    result: dict[int | None, list[int]] = {None: general}
    for group_id, copy_general in groups.values_list("pk", "notify_general_office"):
        own = reviewers.get(group_id, [])
        result[group_id] = list(dict.fromkeys(own + general)) if copy_general or not own else own
    return result


def document_office(group_id: int | None) -> list[int]:
    """The reviewers told about work of one document of group ``group_id`` (see ``office_recipients``)."""
    recipients = office_recipients([] if group_id is None else [group_id])
    return recipients.get(group_id, recipients[None])


@dataclass
class Written:
    notifications: list[Notification]
    deliveries: list[Delivery]


def notify_many(items: Sequence[tuple[Message, Audience]], *, dispatch: bool = True) -> Written:
    """Write every message for its audience with a fixed number of queries, whatever the count.

    Must run inside the caller's transaction; deliveries are queued after it commits (unless
    ``dispatch`` is False, when the caller sends them itself)."""
    user_ids = {uid for _, audience in items for uid in audience.user_ids}
    department_ids = {did for _, audience in items for did in audience.department_ids}
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).only("pk", "email").in_bulk()
    wants_email = {
        pref.user_id: pref.email for pref in NotificationPreference.objects.filter(user_id__in=user_ids)
    }
    webhooks = dict(
        Department.objects.filter(pk__in=department_ids).exclude(webhook_url="").values_list("pk", "webhook_url")
    )
    notifications: list[Notification] = []
    for message, audience in items:
        for user_id in dict.fromkeys(audience.user_ids):
            if user_id in users:
                notifications.append(Notification(
                    recipient_id=user_id, kind=message.kind, title=message.title[:200], body=message.body,
                    link=message.link, assignment_id=message.assignment_id,
                ))
    Notification.objects.bulk_create(notifications, batch_size=1000)
    deliveries: list[Delivery] = []
    for notification in notifications:
        user = users[notification.recipient_id]
        if user.email and wants_email.get(user.pk, True):
            deliveries.append(Delivery(
                channel=Channel.EMAIL, notification=notification, address=user.email,
                subject=notification.title, body=notification.body, link=notification.link,
            ))
    for message, audience in items:
        for department_id in dict.fromkeys(audience.department_ids):
            if department_id in webhooks:
                deliveries.append(Delivery(
                    channel=Channel.WEBHOOK, department_id=department_id, address=webhooks[department_id],
                    subject=message.title[:200], body=message.body, link=message.link,
                ))
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    if dispatch and deliveries:
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: queue_deliveries(ids))
    return Written(notifications, deliveries)


def notify(message: Message, audience: Audience) -> Written:
    return notify_many([(message, audience)])


NEW_WORK_LISTED = 30  # a message lists this many assignments, then says how many more


def notify_new_assignments(assignments: Iterable, source: str) -> Written | None:
    """Tell each department's members (and its group robot) of the assignments just created for
    it: one message per department, listing them. ``assignments`` carry their measure (and its
    document); ``source`` says where they came from (a document import, a spreadsheet). Runs in
    the import's transaction, with a fixed number of queries whatever the count."""
    by_department: dict[int, list] = {}
    for assignment in assignments:
        by_department.setdefault(assignment.department_id, []).append(assignment)
    if not by_department:
        return None
    members = department_members(by_department)
    titles = dict(PolicyDocument.objects.filter(
        pk__in={a.measure.document_id for new in by_department.values() for a in new}
    ).values_list("pk", "title"))
    items = []
    for department_id, new in by_department.items():
        new.sort(key=lambda a: (a.measure.document_id, a.measure.order, a.measure.number))
        documents = list(dict.fromkeys(a.measure.document_id for a in new))
        named = "、".join(f"《{titles.get(pk, '')}》" for pk in documents[:2]) + ("等" if len(documents) > 2 else "")
        lines = [f"{a.measure.number} {a.measure.title}（{a.get_role_display()}）" for a in new[:NEW_WORK_LISTED]]
        if len(new) > NEW_WORK_LISTED:
            lines.append(f"……另有 {len(new) - NEW_WORK_LISTED} 项")
        title = f"新任务：{named}分配给本单位 {len(new)} 项"
        body = f"{source}为本单位新建任务分工 {len(new)} 项，请及时签收：\n" + "\n".join(lines)
        link = f"/tasks/?document={documents[0]}" if len(documents) == 1 else "/tasks/?status=pending"
        audience = Audience(tuple(members.get(department_id, [])), (department_id,))
        items.append((Message(NotificationKind.NEW_WORK, title, body, link), audience))
    return notify_many(items)


def queue_deliveries(delivery_ids: Iterable[int]) -> int:
    """Hand deliveries to the broker. If the broker is away nothing fails here: the rows stay
    pending and the periodic retry task sends them when it is back."""
    queued = 0
    for delivery_id in delivery_ids:
        try:
            deliver.apply_async((delivery_id,), retry=False)
            queued += 1
        except Exception as exc:  # any broker error: the outbox row is the source of truth
            logger.warning("Could not queue delivery %s (%s); it will be retried", delivery_id, exc)
            break
    return queued
