"""The form Twilio posts to the incoming-message webhook for a WhatsApp message, built the same
way by everything that plays a customer (the simulator, the chaos runner, the tests).

Fields from Twilio's "Twilio's request to your incoming message Webhook URL"
(https://www.twilio.com/docs/messaging/guides/webhook-request): ``MessageSid`` (and the legacy
``SmsMessageSid``), ``AccountSid``, ``From``/``To`` as ``whatsapp:+E.164`` addresses, ``Body``,
``NumMedia`` with ``MediaUrl{N}``/``MediaContentType{N}``, and for WhatsApp ``WaId`` (the
sender's number without ``+``) and ``ProfileName``. Twilio may add parameters without notice,
which is why a receiver validates the signature over whatever it was sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from switchboard.settings import Settings

TEST_ACCOUNT_SID = "AC00000000000000000000000000000000"
TEST_WHATSAPP_SENDER = "whatsapp:+14155238886"  # Twilio's WhatsApp sandbox number


def whatsapp_message_form(
    sid: str,
    e164: str,
    body: str,
    *,
    account_sid: str = TEST_ACCOUNT_SID,
    to: str = TEST_WHATSAPP_SENDER,
    media: Sequence[tuple[str, str]] = (),
    profile_name: str | None = None,
) -> dict[str, str]:
    """The webhook form of one inbound WhatsApp message from ``e164`` (``+`` and digits).

    ``media``: ``(url, content_type)`` pairs, numbered from 0 as Twilio numbers them; ``to``:
    the business's ``whatsapp:+…`` sender. Returns the fields as strings, unsigned (sign them
    with the Twilio SDK's ``RequestValidator.compute_signature`` over the exact webhook URL)."""
    form = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": account_sid,
        "From": f"whatsapp:{e164}",
        "To": to,
        "Body": body,
        "NumMedia": str(len(media)),
        "WaId": e164.removeprefix("+"),
    }
    if profile_name is not None:
        form["ProfileName"] = profile_name
    for i, (url, content_type) in enumerate(media):
        form[f"MediaUrl{i}"] = url
        form[f"MediaContentType{i}"] = content_type
    return form


def whatsapp_message_to(
    settings: Settings,
    sid: str,
    e164: str,
    body: str,
    *,
    media: Sequence[tuple[str, str]] = (),
    profile_name: str | None = None,
) -> dict[str, str]:
    """``whatsapp_message_form`` addressed to the account and WhatsApp sender of ``settings``
    (what Twilio posts to that deployment)."""
    return whatsapp_message_form(
        sid,
        e164,
        body,
        account_sid=settings.twilio_account_sid,
        to=settings.twilio_whatsapp_from,
        media=media,
        profile_name=profile_name,
    )
