"""Channels that carry a delivery out of the portal: email and department group robots."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tasks.notify.links import absolute
from tasks.notify.models import Channel, Delivery


class TransportError(Exception):
    """Sending failed; ``permanent`` means retrying will not help (a bad address, a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Transport:
    def send(self, delivery: Delivery) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class EmailTransport(Transport):
    """HTML and plain-text mail in Chinese through Django's email backend (SMTP is configuration)."""

    def send(self, delivery: Delivery) -> None:
        context = {"delivery": delivery, "url": absolute(delivery.link) if delivery.link else ""}
        text = render_to_string("tasks/email/notification.txt", context)
        html = render_to_string("tasks/email/notification.html", context)
        mail = EmailMultiAlternatives(
            subject=f"【政策落实跟踪】{delivery.subject}", body=text, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.address],
        )
        mail.attach_alternative(html, "text/html")
        try:
            mail.send()
        except (OSError, ValueError) as exc:
            raise TransportError(f"邮件发送失败：{exc}") from exc


class WebhookTransport(Transport):
    """A text message that WeCom (企业微信) and DingTalk (钉钉) group robots both understand."""

    timeout = 10

    def send(self, delivery: Delivery) -> None:
        lines = [f"【政策落实跟踪】{delivery.subject}", delivery.body]
        if delivery.link:
            lines.append(absolute(delivery.link))
        payload = json.dumps({"msgtype": "text", "text": {"content": "\n".join(line for line in lines if line)}},
                             ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            delivery.address, data=payload, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - admin-set URL
                body = response.read(4096)
        except urllib.error.HTTPError as exc:
            raise TransportError(f"群机器人返回 HTTP {exc.code}", permanent=400 <= exc.code < 500 and exc.code != 429) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(f"群机器人无法连接：{exc}") from exc
        _check_robot_reply(body)


def _check_robot_reply(body: bytes) -> None:
    """Both robots answer 200 with {"errcode": 0} on success and a non-zero errcode otherwise."""
    try:
        reply = json.loads(body or b"{}")
    except ValueError:
        return
    if isinstance(reply, dict) and reply.get("errcode", 0) not in (0, "0"):
        raise TransportError(f"群机器人拒收：{reply.get('errmsg') or reply.get('errcode')}", permanent=True)


TRANSPORTS: dict[str, Transport] = {Channel.EMAIL: EmailTransport(), Channel.WEBHOOK: WebhookTransport()}
