"""The local Twilio sandbox: a FastAPI app that speaks Twilio's REST wire format.

The real ``TwilioTelephony`` adapter (and the ``twilio`` SDK under it) runs against it with no
Twilio account; the demo and the tests read what it recorded. See ``switchboard.sandbox.app``.
"""

from switchboard.sandbox.app import create_sandbox_app

__all__ = ["create_sandbox_app"]
