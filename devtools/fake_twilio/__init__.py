"""The fake Twilio: a FastAPI app that speaks Twilio's REST wire format.

The real ``TwilioTelephony`` adapter (and the ``twilio`` SDK under it) runs against it with no
Twilio account; the demo and the tests read what it recorded. See ``devtools.fake_twilio.app``.
"""

from devtools.fake_twilio.app import create_fake_twilio_app
from devtools.fake_twilio.faults import FaultConfig, FaultRates

__all__ = ["FaultConfig", "FaultRates", "create_fake_twilio_app"]
