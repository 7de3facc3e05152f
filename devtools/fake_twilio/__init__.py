"""The local Twilio sandbox: a FastAPI app that speaks Twilio's REST wire format.

The real ``TwilioTelephony`` adapter (and the ``twilio`` SDK under it) runs against it with no
Twilio account; the demo and the tests read what it recorded. See ``devtools.fake_twilio.app``.
"""

from devtools.fake_twilio.app import create_sandbox_app

__all__ = ["create_sandbox_app"]
