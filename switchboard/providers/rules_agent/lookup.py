"""Questions about the customer's own bookings, and a request made beside one."""

from __future__ import annotations

import re
from datetime import timedelta

from switchboard.agent_models import AgentDecision, Channel, Intent
from switchboard.providers.rules_agent.helpers import (
    a_an,
    and_listed,
    as_utc,
    asks_move,
    for_,
    reply_as,
)
from switchboard.providers.rules_agent.patterns import (
    ABOUT_BOOKING_RE,
    BOOKING_CHECKED_RE,
    CANCEL_RE,
    FREE_TIMES_ASKED_RE,
    LOOKUP_RE,
    MAKE_ONE_RE,
    NO_CONFIRMATION_RE,
    NO_VET_NAMED,
    VET_ASKED_RE,
)
from switchboard.providers.rules_agent.targets import Targets
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, join
from switchboard.understanding.when import When

# What the clinic holds for the customer: "what's on file for bella?", "anything on the system
# for us?"
_ON_FILE_RE = re.compile(
    r"\b(?:what(?:'s|\s+is|\s+do\s+you\s+have|\s+have\s+you\s+got)|anything)\s+"
    r"(?:on\s+(?:file|record|the\s+system)|in\s+the\s+system)\b"
)
# Every booking asked for, whoever else is named after: "could you remind me what appointments
# we've got with you? Can't remember if Bean's is this week or next" (set 175).
_EVERY_BOOKING_RE = re.compile(
    r"\bwhat\s+(?:appointments|appts|bookings|visits)\s+(?:we|i|you)\b"
    r"|\ball\s+(?:of\s+)?(?:our|my|the)\s+(?:appointments|appts|bookings|visits)\b"
    # "hi when are my appointments again? 🙈 and do i need to bring bella's vaccine book?" (set
    # 185)
    r"|\b(?:when|what)\s+(?:are|r)\s+(?:my|our)\s+(?:appointments|appts|bookings|visits)\b"
    # "hiya what have we got booked in this week? can't remember if olive's teeth thing is
    # friday or saturday" (set 231): every booking, not only the one pet's named after
    r"|^(?:(?:hi|hiya|hey|hello|morning)\s+)?what\s+(?:have|do)\s+we\s+(?:got|have)\s+"
    r"(?:booked|on|coming\s+up)\b"
)
# What to bring, asked beside a look-up.
_BRING_ASKED_RE = re.compile(
    r"\b(?:need\s+to|should\s+(?:i|we)|do\s+(?:i|we)(?:\s+need\s+to)?|what\s+(?:do|should)\s+(?:i|we)"
    r"|have\s+to)\s+bring\b"
)
# "when's max next in?": the first of the bookings, not "next week" (``lookup``).
_NEXT_ONE_RE = re.compile(r"\bnext\b(?!\s+(?:week|month|few|couple))")
# "next appointment for max?": that pet's booking, when it has one (``asks_about_bookings``).
_NEXT_FOR_RE = re.compile(
    r"\b(?:next|upcoming)\s+(?:appointment|booking|visit)s?\s+(?:for|of)\s+(?P<who>[\w']+)"
)
# When a visit ends, asked: "what time will tinker be finished on thursday?", "when will she
# be ready to collect?", "what time can I pick him up?".
_FINISH_ASKED_RE = re.compile(
    r"\b(?:what\s+time|when)\s+(?:will|would|is|'ll)\s+(?:[a-z]+\s+)?(?:be\s+)?(?:finished|done"
    r"|ready)\b|\b(?:what\s+time|when)\s+(?:can|should|do)\s+(?:i|we)\s+(?:pick\s+(?:him|her|them"
    r"|[a-z]+)\s+up|collect)\b"
)
# The next booking after the one we told of: "and the one after?", "what about after that?".
_ONE_AFTER_ASKED_RE = re.compile(
    r"^(?:and\s+|what\s+about\s+|how\s+about\s+)?(?:the\s+(?:1|one|appointment|booking)\s+after"
    r"(?:\s+that)?|after\s+that|the\s+next\s+(?:1|one)(?:\s+after(?:\s+that)?)?"
    r"|any\s+(?:more|others?)(?:\s+after\s+that)?)\s*$"
)
# Whether a booked pet has a booking, asked: "is max booked in this week?", "is bella down for
# friday?", "does max have anything booked?", "has luna got anything on next week?".
# When a pet was last seen: "when was max last in?", "when did we last bring her in", "when
# was his last visit", "what date was bella's last appointment"
_LAST_VISIT_ASKED_RE = re.compile(
    r"\b(?:when|what\s+(?:day|date))\s+(?:was|were|did|have)\s+(?:(?P<who>[a-z]+)\s+)?(?:\w+\s+)??"
    r"(?:last\s+(?:in|seen"
    r"|here|there|bring|brought|come|came|visit|check)|(?:in|seen|here)\s+last)\b"
    r"|\b(?:when|what\s+(?:day|date))\s+(?:was|were)\s+(?:his|her|their|its|my|our|\w+'s)\s+last\s+"
    r"(?:visit|appointment|appt|check-?up|jab|vaccination|groom|booking)\b"
)
# Words standing where ``_LAST_VISIT_ASKED_RE``'s pet goes that name none
_NOT_A_PET_ASKED = frozenset({"he", "she", "it", "they", "we", "i", "you", "the", "my", "our"})
# When a visit is, asked: "what time is max tomorrow?", "what time's max in", "when do i need
# to bring her", "is it tomorrow at 11 or 11.30?", "is max tomorrow or wednesday?" (the booked
# pet or "it" is checked by ``booked_visit_asked``).
_VISIT_ASKED_RE = re.compile(
    r"\b(?:what\s+time|what\s+day|which\s+day|when)(?:'s|\s+is|\s+are|\s+was|\s+do|\s+does"
    r"|\s+should|\s+shall|\s+must)\b"
    r"|^(?:(?:sorry|so|and|oh|hi|hey|hello|quick\s+q(?:uestion)?|just\s+checking)[,\s]+)*"
    r"(?:is|was)\s+(?:it|he|she|[a-z]+)\s+(?:on\s+|at\s+|in\s+)?"
    r"(?:today|tomorrow|tonight|this|next|mon|tue|wed|thu|fri|sat|\d)"
)
# "what time do I need to bring max": the visit's time asked, no new one needed
_NEED_TO_BE_THERE_RE = re.compile(r"\b(?:need|have)\s+to\s+(?:bring|be|drop|come|arrive|get)\b")
# Free times or a visit wanted: "when can max come", "is there anything free", "could he"
_FREE_OR_REQUEST_RE = re.compile(
    # (not "can't remember", "couldn't say": no request)
    r"\b(?:can(?!'t)|could(?!n't)|free|available|availability|space|slots?|anything|earliest"
    r"|soonest|possible|ok|okay|fine|would(?!n't)|will)\b"
)
_PET_BOOKED_ASKED_RE = re.compile(
    r"\b(?:is|are)\s+(?P<who>[a-z][a-z-]+)(?:\s+(?:and|&)\s+[a-z][a-z-]+)?\s+(?:still\s+)?"
    r"(?:booked|down\s+(?:for|to\s+come)|in\s+(?:this|next|on|for|tomorrow|today))\b"
    r"|\b(?:does|has)\s+(?P<who2>[a-z][a-z-]+)\s+(?:have|got)\s+(?:anything|something|an?\s+"
    r"(?:appointment|appt|booking))\s*(?:booked|on|coming|this|next|tomorrow|today|$)"
    # "what's Oscar got this week?", "what has pixie got coming up?"
    r"|\bwhat(?:'s|\s+has|\s+does)\s+(?P<who3>[a-z][a-z-]+)\s+(?:got|have)\b(?!\s+to\b)"
)
# A booking's time asked as the clinic has it: "what time have you got us booked in for",
# "what time have you got max down for".
_BOOKED_IN_RE = re.compile(r"\b(?:booked|down\s+for|(?:us|me|him|her|them|\w+)\s+in\s+for)\b")
# "ollie's jab", "bella's next groom": a pet's possessive and the thing after it.
_POSSESSIVE_THING_RE = re.compile(
    r"\b(?P<who>\w+)'s\s+(?:next\s+|upcoming\s+)?(?P<thing>[a-z-]+(?:\s+(?:up|trim|clip))?)\b"
)
_ARRIVE_RE = re.compile(
    r"\bwhat\s+time\s+(?:should|do|must|shall)\s+(?:i|we)\s+(?:arrive|come|get\s+there|be\s+there)\b"
)
# A booking's service checked: "is that the one with the nail trim?", "is it for her jabs?",
# "does that include his nails?" (``what``: the service's words, normalised).
_SERVICE_CHECKED_RE = re.compile(
    r"\b(?:is|was)\s+(?:that|it|this)\s+(?:the\s+(?:one|appointment|booking)\s+)?(?:with|for"
    r"|including)\s+(?P<what>(?:(?:the|a|an|his|her|their|its)\s+)?[a-z-]+(?:\s+[a-z-]+)?)"
    r"|\b(?:does|will)\s+(?:that|it|this)\s+(?:include|cover|be\s+for)\s+"
    r"(?P<what2>(?:(?:the|a|an|his|her|their|its)\s+)?[a-z-]+(?:\s+[a-z-]+)?)"
)
_BOOKED_FOR_WHAT_RE = re.compile(
    r"\bwhat(?:'s|\s+is|\s+are)\s+(?:\w+\s+)?booked\s+(?:in\s+)?for\b"
    # "what's max in for on thursday", "is max booked in for his jab or a check up"
    r"|\bwhat(?:'s|\s+is|\s+are)\s+[a-z]+\s+(?:in|coming\s+in)\s+for\b"
    r"|^is\s+[a-z]+\s+booked\s+(?:in\s+)?for\b.*\bor\b"
    # "can't remember what i asked for", "what's it for again?", "what's bella's appointment for"
    r"|\bwhat\s+(?:i|we)\s+(?:asked|booked|went)\s+(?:\w+\s+)?for\b"
    # "what did we book for the cat again??", "what have I booked max in for"
    r"|\bwhat\s+(?:did|have|had)\s+(?:i|we)\s+(?:book|booked)\b"
    r"|\bwhat(?:'s|\s+is)\s+(?:it|(?:\w+'s|his|her|their|my|the)\s+(?:appointment|booking|visit))"
    r"\s+for\b"
    # "when is it and what for", "booked peanut in for something … what for?" (set 230)
    r"|\b(?:and|or)\s+what\s+for\b|^what\s+for\b|\bfor\s+what\b"
)
# "whats my next appointment", "Max's upcoming visit", "when is my earliest appointment": a
# booking of theirs, not the earliest free time "next appointment" alone reads like; unless they
# ask to make one ("book my next visit").
_THEIR_NEXT_RE = re.compile(
    r"\b(?:my|our|his|her|their|(?!(?:what|that|it|there|where|who|how|here)'s)\w+'s)\s+"
    r"(?:next|upcoming|earliest|soonest)\s+(?:appointment|booking|visit)s?\b"
    r"(?!.{0,20}\b(?:free|available)\b)"
)
# Who the customer will see: "who am I booked in with?", "which vet is seeing Max?". Bookings
# name no vet, so the booking is said and no name is invented.
_WHO_WITH_RE = re.compile(
    r"\bwho\s+(?:am|are|is)\s+(?:i|we|he|she|they|\w+)\s+(?:booked|seeing|in|with|down)\b"
    r"|\b(?:which|what)\s+(?:vet|vets|doctor|nurse)\b(?!\s+(?:services|hours|prices)\b)"
    r".{0,30}\b(?:see|seeing|sees|booked|with|treating|doing)\b"
    r"|\bwho(?:'s|\s+is|\s+will\s+be)\s+(?:seeing|treating|doing|taking)\b"
)
# A booking asked for besides the one talked about: "how much to book another for Luna?".
_BOOK_MORE_RE = re.compile(
    r"\b(?:book|another|also|new|schedule|reserve|make\s+(?:an?|another)|add)\b"
)
# Which of two days or times a booking is, asked: "is archie's appointment friday or saturday?",
# "was bella's check up at 11 or 11.30?", "is it the 9th or the 10th?".
EITHER_OR_ASKED_RE = re.compile(
    r"^(?:(?:sorry|hi|hey|hello|morning|quick\s+(?:question|q|one|1)|just\s+checking|so|ok|um|erm"
    r"|wait|hang\s+on|oh|confirmed|thanks|thank\s+you|great|perfect|lovely|yes|yep)"
    r"\W+)*(?:is|was)\s+(?:it|(?:my|our|the|his"
    r"|her|their|[a-z]+'s)\s+(?:appointment|appt|booking|visit|check[\s-]?up|jab|vaccination"
    r"|groom|grooming|dental|booster)|(?P<pet>[a-z]+)(?=\s+(?:on\s+)?[a-z]+day\s+or\b))\s+(?:on\s+|at\s+|for\s+)?(?:the\s+)?[a-z0-9:.]+(?:\s+(?:at\s+)?[a-z0-9:.]+)?"
    r"\s+or\s+(?:on\s+|at\s+)?(?:the\s+)?[a-z0-9:.]+\b(?!\s+(?:instead|better|please|pls))"
)
# Which pet a booking is for, asked: "which one of the girls is booked thursday?", "which of
# mine is on friday?", "who's in on saturday?".
_WHICH_PET_BOOKED_RE = re.compile(
    r"\b(?:which\s+(?:one\s+)?(?:of\s+(?:the|my|our|them|mine)(?:\s+\w+)?\s+)?|who(?:'s|\s+is)\s+)"
    r"(?:is\s+|'s\s+)?(?:booked|in|coming|on|due)\b"
)
# Whether the pets are in at one time, asked: "are both of them at 10 on wednesday or was one of
# them half 10?", "are they both in at 3?".
_BOTH_AT_ASKED_RE = re.compile(
    r"^(?:\W*(?:sorry|hi|hey|hello|quick\s+question|just\s+checking|so|ok|um|wait)\W+)*"
    r"(?:are|were)\s+(?:both|all|they\s+both|they\s+all|both\s+of\s+them|all\s+of\s+them|the\s+"
    r"(?:two|three|dogs|cats|pets|rabbits)|they)\s+(?:booked\s+)?(?:in\s+)?(?:at|on|for)\b"
    r"(?![^?]*\b(?:can|could|please|pls)\b)"
)
# The booking after the one we named, asked: "and the one after that?", "what's the next one
# after that?", "and after that?".
_AFTER_THAT_RE = re.compile(
    r"^(?:(?:and|so|ok|okay|what\s+about|how\s+about|what's|what\s+is|when's|when\s+is)\s+)*"
    r"(?:the\s+)?(?:next\s+)?(?:(?:one|1|appointment|appt|booking|visit)\s+)?after\s+(?:that|it|this)"
    r"(?:\s+(?:one|1))?\W*$"
)
# Their bookings asked for as a list: "what appointments have we got?", "do I have any bookings?"
_WHAT_BOOKED_RE = re.compile(
    r"\bwhat\s+(?:appointments?|bookings?|appts?)\s+(?:have|do|did|are)\s+(?:i|we|there)\b"
    # "can you tell me what appointments I have booked with you please?" (set 187)
    r"|\bwhat\s+(?:appointments?|bookings?|appts?)\s+(?:i|we)(?:'ve|\s+have)\s+(?:got\s+)?"
    r"(?:booked|on|with\s+you|coming|at\s+the\s+moment)\b"
    r"|\b(?:have|do)\s+(?:i|we)\s+(?:got\s+)?any\s+(?:appointments?|bookings?|appts?)\b"
    # "what have Mochi and Miso got on this week?"
    r"|\bwhat\s+(?:have|do)\s+\w+\s+(?:and|&)\s+\w+\s+got\s+(?:booked|coming|on|this|next)\b"
)
# A visit asked about by its service: "what time is the groom on friday?", "when's the jab?"
_WHEN_IS_THE_RE = re.compile(
    r"\b(?:what\s+time|when)(?:'s|\s+is|\s+was)\s+(?:the|our|my)\s+(?P<thing>[a-z-]+(?:\s+[a-z]+)?)"
)
# Which pet has a service, asked: "which one's having the jab?", "which of them is in for the
# groom?"
_WHICH_HAS_RE = re.compile(
    r"\bwhich\s+(?:one|1|of\s+them|of\s+the\s+(?:two|2)|pet|dog|cat)(?:'s|\s+is|\s+has)?\s+"
    r"(?:having|getting|in\s+for|booked\s+for|for|got|due)\b"
    r"|\bwhich\s+(?:one|1|of\s+them)(?:'s|\s+is)\s+(?:the|a|her|his|their|its)\s"
)
# When to collect the pet, asked: "when can i pick her up?", "what time should I collect him".
_PICK_UP_RE = re.compile(
    r"\bpick\s+(?:\w+\s+)?up\b|\bcollect(?:ing)?\s+(?:him|her|them|it|\w+)\b"
    r"|\bwhat\s+time\s+(?:will|would)\s+(?:he|she|they|it)\s+be\s+(?:ready|done|finished)\b"
)

# Our hours asked: "what time do you close on thursdays", "when do you open".
_OUR_TIME_ASKED_RE = re.compile(
    r"\b(?:what\s+time|when)\s+(?:do|does|will)\s+(?:you|the\s+clinic)\s+(?:close|shut|open"
    r"|finish)\b(?:\s+on\s+\w+)?"
)


# A booking the customer believes made, checked: "is Bruno's appointment still on for …?", "is
# Ginger still booked in for …?", "did pixel's booking go through?"
_STILL_BOOKED_RE = re.compile(
    r"\b(?:is|are)\s+(?:[a-z]+'s\s+(?:appointment|appt|booking|visit|check[\s-]?up|jab|groom)|[a-z]+)"
    r"\s+still\s+(?:on|booked(?:\s+in)?|happening|going\s+ahead)\b"
    r"|\bdid\s+(?:[a-z]+'s\s+|my\s+|the\s+)?(?:booking|appointment|appt)\s+(?:go\s+through|get\s+booked"
    r"|work)\b"
)
# A booking the customer is unsure they made or checks before acting: never a new request,
# unless the message also asks outright ("can you book …").
_UNSURE_BOOKED_RE = re.compile(
    # (set 130) "did I actually book nala's jab in the end?", "have we booked max in?", "I
    # think I booked both dogs in for wednesday …? Just double checking", "just checking luna's
    # booster on thursday is all booked in?"
    r"\b(?:did|have)\s+(?:i|we)\s+(?:actually\s+|ever\s+|already\s+|definitely\s+|even\s+)?"
    r"book(?:ed)?\b(?!\s+(?:a|an|another|one)\b)"
    r"|\b(?:i|we)\s+think\s+(?:i|we)(?:\s+have|'ve)?\s+booked\b"
    r"|\bcheck(?:ing)?\b.{0,60}\b(?:is|are|'s)\s+(?:all\s+|definitely\s+|still\s+)?(?:booked|confirmed"
    # ("Just checking Dexter's dental is definitely on for Wednesday morning?", set 146)
    r"|on\s+for|happening|going\s+ahead)\b"
    # (set 133) "did olive's groom actually go through for saturday?", "did noodle's jab for
    # tomorrow go through?", "did basil get booked in for wednesday?"
    r"|\bdid\s+(?:[a-z]+'s\s+|my\s+|the\s+|his\s+|her\s+)?(?:booking|appointment|appt|groom|grooming"
    r"|jabs?|vaccinations?|booster|check[\s-]?up|dental|visit)\s+(?:\w+\s+){0,3}?(?:actually\s+)?"
    r"go\s+through\b|\bdid\s+[a-z]+\s+(?:actually\s+)?get\s+booked\b"
    # "my partner says she booked pumpkin's vaccination … can you double check?", "I definitely
    # booked Marley in by phone … can you check?", "I might have booked Sage in twice"
    r"|\b(?:says|said)\s+(?:she|he|they)\s+(?:booked|made)\b.{0,80}\bcheck\b"
    r"|\b(?:i|we)\s+(?:definitely\s+|already\s+|have\s+|'ve\s+)?booked\b.{0,120}\b(?:can|could)\s+"
    r"you\s+(?:double\s+)?check\b|\bbooked\s+\w+\s+(?:in\s+)?twice\b"
    # "is pebble's appointment still thursday at 9?", "alfie's booked in on the 17th isn't he?"
    r"|\b(?:is|are)\s+[a-z]+'s\s+(?:appointment|appt|booking|visit|check[\s-]?up|jab|groom)\s+still\s+"
    r"(?:on\s+)?(?:for\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\bbooked(?:\s+in)?\b[^?.]{0,40}\bisn't\s+(?:he|she|it|they)\b"
)


# A request made outright beside a check: "… can you book it please", "could you move her".
_NEW_ASK_RE = re.compile(
    r"\b(?:can|could|would)\s+(?:you|u|i|we)\s+(?:please\s+)?(?:book|move|cancel|change|make|put)\b"
    r"|\bplease\s+(?:book|move|cancel)\b"
)


# A booking forgotten: "I've lost track", "I can't for the life of me remember when …".
_LOST_TRACK_RE = re.compile(
    r"\blost\s+track\b|\b(?:can't|cannot|can\s+not|don't|do\s+not)\s+(?:\w+\s+){0,5}?remember\s+"
    r"(?:when|what\s+time|which\s+day|what\s+day)\b"
)


# Whether a visit is booked, asked outright: "just checking we're still on for saturday", "is
# dexter booked in?", "making sure both of them are booked" (normalised).
_WHETHER_BOOKED_ASKED_RE = re.compile(
    r"\b(?:we're|we\s+are|are\s+we|were)\s+still\s+on\s+for\b"
    # "is Dexter booked in for this week? my wife said she sorted it" (set 219)
    r"|^(?:(?:hi|hello|hey|morning)\s+)*(?:is|are)\s+[a-z]+(?:\s+and\s+[a-z]+)?\s+(?:still\s+)?booked\b"
    r"|^(?:(?:hi|hello|hey|morning)\s+)*(?:does|do)\s+[a-z]+\s+(?:still\s+)?have\s+(?:an?\s+)?"
    r"(?:appointment|appt|booking)\b"
    # "just making sure both of them are booked and not just bean" (set 216)
    r"|\b(?:making\s+sure|checking|to\s+check)\s+(?:that\s+)?(?:both|all|the\s+two)(?:\s+of\s+them)?"
    r"\s+(?:are|got)\s+(?:booked|in)\b"
)


class Lookup(Targets):
    """Questions about the customer's own bookings, and a request made beside one."""

    def next_after_named(self) -> AgentDecision | None:
        """ "and the one after that?" after we named a booking ("Your appointment for Oreo is
        on Tuesday …"): that pet's next booking after it, said as a look-up (or that there is
        none). None unless the message asks only that and our last message named one booking."""
        if not _AFTER_THAT_RE.match(self.text) or self.pending is not None:
            return None
        named = self.booking_we_named()
        if named is None:
            return None
        later = sorted(
            (
                b
                for b in self.upcoming
                if b.subject.lower() == named.subject.lower()
                and as_utc(b.slot_start) > as_utc(named.slot_start)
            ),
            key=lambda b: as_utc(b.slot_start),
        )
        if not later:
            return reply_as(
                Intent.ASK_BOOKING,
                f"Nothing else is booked{for_(named.subject)} after {self.say(named.slot_start)}.",
            )
        after = later[0]
        service = self.keyed_service(after.service).name
        return reply_as(
            Intent.ASK_BOOKING,
            f"Your appointment{for_(after.subject)} after that is {a_an(service)} on "
            f"{self.say(after.slot_start)}.",
        )

    def asks_about_bookings(self) -> bool:
        # "what time do you close on thursdays? … could ziggy have a check up as late as you
        # can": our hours asked, not the time of a booking
        text = _OUR_TIME_ASKED_RE.sub(" ", self.text)
        if (
            _LOST_TRACK_RE.search(text)
            and self.upcoming
            and not MAKE_ONE_RE.search(re.sub(r"\bneed\s+to\s+know\b", " ", text))
        ):
            # "I can't for the life of me remember when Moustache is booked … When is it?" (the
            # times told around it are the customer's guesses, set 158)
            return True
        if _WHETHER_BOOKED_ASKED_RE.search(text):
            # "just checking we're still on for saturday with teddy? 10am" (set 216): whether it
            # is booked, said either way, never a new booking read back
            return True
        if self.free_times_asked():
            return False  # "when can we bring him in?": free times, not a booking
        if self.upcoming and re.search(
            r"\b(?:have\s+(?:i|we)\s+got|do\s+(?:i|we)\s+have|(?:i|we)\s+have|(?:i've|we've)\s+got)"
            r"\s+anything\s+(?:on|booked|for|this|next|tomorrow|today|coming)\b",
            text,
        ):
            return True  # "have I got anything on friday?": what is booked then
        if (
            self.upcoming
            and re.search(
                r"\bwhat\s+(?:have|'ve|do)\s+(?:i|we)\s+(?:got|have)\s+(?:on\s+|booked\s+|coming\s+up\s+)?"
                r"(?:this|next|tomorrow|today|on|booked|coming|for)\b"
                # "can you tell me what we've got booked this week?"
                r"|\bwhat\s+(?:i|we)(?:'ve|\s+have)\s+(?:got\s+)?(?:booked|on|coming\s+up)\b"
                r"|\bwhat(?:'s|\s+is)\s+(?:on|booked)\s+(?:this|next|for)\b"
                # "what have the dogs got booked with you this week?" (set 141)
                r"|\bwhat\s+(?:have|do)\s+(?:the|my|our)\s+(?:dogs|cats|pets|animals|rabbits|boys"
                r"|girls|babies|kids|two|three)\s+(?:got|have)\s+(?:booked|on|coming)\b",
                text,
            )
            and not FREE_TIMES_ASKED_RE.search(text)
        ):
            return True  # "what have we got this week?": our bookings, not the free times
        if self.upcoming and re.search(
            r"\bwhat(?:'s|\s+is)\s+(?:left|still\s+(?:booked|on))\b|\bwhat\s+(?:have\s+)?(?:i|we)\s+(?:got\s+)?left\b",
            text,
        ):
            return True  # "ok so what's left on my account now?" after a cancellation
        if _UNSURE_BOOKED_RE.search(text) and not _NEW_ASK_RE.search(text):
            # "did basil get booked in for wednesday?", "alfie's booked in on the 17th isn't
            # he? just want to be sure": what is booked (or that nothing is)
            return True
        if _STILL_BOOKED_RE.search(text) and not MAKE_ONE_RE.search(text):
            # "is Bruno's appointment still on for wednesday at 2?", "is Ginger still booked in
            # for wednesday at 4?", "did pixel's booking go through for thursday?": what is
            # booked (or that nothing is), never a new booking at the time said
            return True
        if self.upcoming and BOOKING_CHECKED_RE.search(text):
            return True  # "my appointment is at 3 right?", "max is at 3 on thursday isn't he"
        if re.search(
            r"\b(?:is|are)\s+[a-z][a-z-]+\s+(?:booked|down)\s+(?:in\s+)?for\s+anything\b", text
        ) and not MAKE_ONE_RE.search(text):
            # "is Sooty booked in for anything? I thought I'd done it along with Bailey's"
            # (set 141): what is booked, or that nothing is, even for a pet with nothing
            return True
        if self.upcoming and _WHICH_PET_BOOKED_RE.search(text):
            # "which one of the girls is booked thursday? 🐱🐶" (set 146)
            return True
        if self.upcoming and _BOTH_AT_ASKED_RE.search(text):
            # "are both of them at 10 on wednesday or was one of them half 10? 🤔" (set 146)
            return True
        asked = _PET_BOOKED_ASKED_RE.search(text)
        who = asked["who"] or asked["who2"] or asked["who3"] if asked is not None else None
        if who in {b.subject.lower() for b in self.upcoming} and not MAKE_ONE_RE.search(text):
            return True  # "is max booked in this week?", "does bella have anything on friday?"
        either = EITHER_OR_ASKED_RE.search(text)
        if either is not None and (
            not either["pet"] or either["pet"] in {b.subject.lower() for b in self.upcoming}
        ):
            # "is archie's appointment friday or saturday?", "was it at 11 or 11.30?", "is
            # bear thursday or friday?"
            return bool(self.upcoming)
        if self.booked_visit_asked():
            return True  # "what time is max tomorrow?", "is it tomorrow at 11 or 11.30?"
        if self.when.clock is not None:
            # "did I book max for 2 or 3?", "was it at 10?": the times are what is asked about
            checked = re.search(r"\bdid\s+(?:i|we)\s+(?:book|say|put)\b|\bwas\s+it\b", text)
            return (
                bool(checked)
                and bool(self.upcoming)
                and not MAKE_ONE_RE.search(
                    re.sub(r"\bdid\s+(?:i|we)\s+(?:just\s+)?book\b", " ", text)
                )
            )
        if re.search(
            # (not "can I have an appointment thursday?": one asked for)
            r"\b(?:(?:do|did)\s+(?:i|we)\s+have|have\s+(?:i|we)\s+got|(?:i|we)'ve\s+got"
            r"|(?<!\bcan\s)(?<!\bcould\s)(?<!\bmay\s)(?<!\bto\s)(?:i|we)\s+have)\s+"
            r"(?:an?\s+|any\s+)?(?:appointments?|bookings?)\b(?!\s+(?:for|to)\s+(?:book|make))",
            text,
        ) and not MAKE_ONE_RE.search(text):
            return True
        if re.search(r"\bwhat\s+(?:am|are)\s+(?:i|we)\s+(?:down|booked\s+in)\s+for\b", text):
            return True  # "what am I down for?"
        if NO_CONFIRMATION_RE.search(text):
            return True  # "I booked online but didn't get a confirmation": what is booked
        if _BOOKED_FOR_WHAT_RE.search(text) and self.upcoming:
            return True  # "what's bella's appointment for again?"
        if _WHAT_BOOKED_RE.search(text):
            return True  # "what appointments have we got with you at the moment?"
        if self.upcoming and _ON_FILE_RE.search(text):
            return True  # "what's on file for bella?"
        if _ARRIVE_RE.search(text) and self.upcoming:
            return True  # "what time should we arrive on thursday?": the booking's time
        if _WHO_WITH_RE.search(text) and not MAKE_ONE_RE.search(text):
            return True
        if _THEIR_NEXT_RE.search(text) and not MAKE_ONE_RE.search(text):
            return True
        booked = {b.subject.lower() for b in self.upcoming}
        for_pet = _NEXT_FOR_RE.search(text)
        if for_pet is not None and not MAKE_ONE_RE.search(text) and for_pet["who"] in booked:
            return True
        if not LOOKUP_RE.search(text) and not re.search(r"\btime\b.*\bmy\s+appointment", text):
            return False
        if FREE_TIMES_ASKED_RE.search(text) and not _BOOKED_IN_RE.search(text):
            # "what times have you got on saturday …? how much is it?": free times (but "what
            # time have you got us booked in for?" asks the booking's)
            return False
        return (
            bool(ABOUT_BOOKING_RE.search(text) or _BOOKED_IN_RE.search(text))
            # (a greeting first: "hi" / "max appt" / "when?", set 181)
            or len(re.sub(r"^(?:hi+|hey+|hello|hiya|heya|morning|evening)\b", "", text).split())
            <= 3
            or (self.names_booked_service(text) and not MAKE_ONE_RE.search(text))
        )

    def finish_asked(self) -> AgentDecision | None:
        """When a pet's visit ends, asked ("what time will tinker be finished on thursday? need
        to know when to pick him up", set 229): the end of its bookings that day (else its
        next day with any), from each service's length in the profile. None for any other
        message, or when the pet has no upcoming booking."""
        if self.pending is not None or not _FINISH_ASKED_RE.search(self.text):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        if not theirs or len({b.subject for b in theirs}) > 1:
            return None
        day = self.when.day or min(self.local(b.slot_start).date() for b in theirs)
        that_day = [b for b in theirs if self.local(b.slot_start).date() == day]
        if not that_day:
            return None
        start = min(self.local(b.slot_start) for b in that_day)
        end = max(
            self.local(b.slot_start)
            + timedelta(minutes=self.keyed_service(b.service).duration_minutes)
            for b in that_day
        )
        return reply_as(
            Intent.ASK_BOOKING,
            f"{that_day[0].subject}'s visit on {start:%A %-d %B} starts at {start:%H:%M} and "
            f"should be finished by about {end:%H:%M}.",
        )

    def one_after_asked(self) -> AgentDecision | None:
        """The pet's bookings after the one our last message told of ("Your appointment for
        Sable is on Wednesday 16 December at 17:00." / "and the one after?", set 225): each
        said, or that there is none. None for any other message."""
        if self.pending is not None or not _ONE_AFTER_ASKED_RE.match(self.text):
            return None
        told = self.booking_said_last()
        if told is None:
            return None
        later = [
            b
            for b in self.upcoming
            if b.subject == told.subject and as_utc(b.slot_start) > as_utc(told.slot_start)
        ]
        if not later:
            return reply_as(
                Intent.ASK_BOOKING,
                f"There's nothing booked{for_(told.subject)} after {self.say(told.slot_start)}.",
            )
        if len(later) == 1:
            return reply_as(
                Intent.ASK_BOOKING,
                f"After that, the next appointment{for_(told.subject)} is on "
                f"{self.say(later[0].slot_start)}.",
            )
        said = and_listed([self.say(b.slot_start) for b in later])
        return reply_as(Intent.ASK_BOOKING, f"After that{for_(told.subject)}: {said}.")

    def last_visit_asked(self) -> AgentDecision | None:
        """When a pet was last seen, asked ("when was max last in?", "when did we last bring
        her?"): the latest confirmed visit before now on record, of the pet named (each pet's
        when several are named or none); with the next visit when that is asked too ("when is
        max next in and when was he last seen?"). None for any other message."""
        if not _LAST_VISIT_ASKED_RE.search(self.text) or self.pending is not None:
            return None
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed" and as_utc(b.slot_start) <= self.now
        ]
        named = {s.lower() for s in self.subjects if is_name(s)}
        asked = _LAST_VISIT_ASKED_RE.search(self.text)
        who_asked = asked["who"] if asked is not None else None
        if who_asked and who_asked not in _NOT_A_PET_ASKED:
            named.add(who_asked)  # "when was luna last seen" (lower case: no capital to go by)
        pets = list(
            dict.fromkeys(b.subject for b in past if not named or b.subject.lower() in named)
        )
        parts: list[str] = []
        for pet in pets:
            last = max((b for b in past if b.subject == pet), key=lambda b: as_utc(b.slot_start))
            service = self.keyed_service(last.service).name
            who = pet if is_name(pet) else "You"
            parts.append(f"{who} was last in on {self.say(last.slot_start)} ({a_an(service)}).")
        if not parts:
            who = join(sorted(n.title() for n in named)) or "you"
            parts.append(
                f"I can't see an earlier visit for {who} in our records here; the team can "
                "check older records at the clinic."
            )
        if re.search(r"\bnext\s+(?:in|due|visit|appointment|seen)\b", self.text) and self.upcoming:
            looked_up = self.lookup()
            if looked_up.proposal is None:
                parts.append(looked_up.reply)
        return reply_as(Intent.ASK_BOOKING, " ".join(parts))

    def booked_visit_asked(self) -> bool:
        """Whether the message asks when a booked visit is, naming the pet or "it" and at most
        the visit's own day: "what time is max tomorrow?", "is max tomorrow or wednesday?",
        "what time do i need to bring max tomorrow", "is it tomorrow at 11 or 11.30?". A day on
        which the pet has no booking, or a request word ("can max come tomorrow?", "book"),
        is a time wanted, not this."""
        text = _NEED_TO_BE_THERE_RE.sub(" ", self.text)
        if not self.upcoming or not _VISIT_ASKED_RE.search(text):
            return False
        if MAKE_ONE_RE.search(text) or _FREE_OR_REQUEST_RE.search(text):
            return False
        named = [
            b for b in self.upcoming if re.search(rf"\b{re.escape(b.subject.lower())}\b", text)
        ]
        if not named and re.search(r"\b(?:it|he|she|they|we|i)\b", text):
            named = self.upcoming
        if not named:
            return False
        day = self.when.day
        return day is None or any(self.local(b.slot_start).date() == day for b in named)

    def names_booked_service(self, text: str) -> bool:
        """Whether ``text`` names a booked pet's service by its possessive ("when is ollie's
        jab", "is bella's groom this week or next"): a booking of theirs, asked about."""
        booked = {b.subject.lower() for b in self.upcoming}
        for found in _POSSESSIVE_THING_RE.finditer(text):
            # ("what time is bella's thing on friday": any word for it)
            thing = found["thing"] in {"thing", "one", "slot", "appt", "time", "do"}
            if found["who"] in booked and (thing or self.profile.find_service(found["thing"])):
                return True
        # "what time is the groom on friday?": a service of the bookings, asked about
        theirs = {b.service for b in self.upcoming}
        for found in _WHEN_IS_THE_RE.finditer(text):
            service = self.profile.find_service(found["thing"])
            if service is not None and service.key in theirs:
                return True
        return False

    def book_earlier_offer(self, offer: tuple[When, str, str | None, Channel]) -> AgentDecision:
        """The slot of ``earlier_offer`` proposed again for a yes, saying it is not booked yet
        and where it was talked about."""
        when, pets, service, channel = offer
        decision = self.book(
            when, subject=join(self.named_pets()) or pets or None, service_key=service
        )
        if decision.proposal is not None:
            where = "on the phone" if channel is Channel.VOICE and not self.voice else "earlier"
            talked = f"{self.say(decision.proposal.slot_start)}{for_(decision.proposal.subject)}"
            decision.reply = (
                f"We talked about {talked} {where}, but it isn't booked yet. {decision.reply}"
            )
        return decision

    def service_of_booking_checked(self) -> AgentDecision | None:
        """Whether the booking just made or said is for a service, asked ("is that the one with
        the nail trim?" after "Done: Biscuit is booked for Friday …", "does it include her
        jabs?"): yes with the booking when it is that service (a nail trim is a grooming in the
        profile), else what it is. None when something is pending, the message asks no such
        thing or names no one service, or no one booking was just made or said."""
        if self.pending is not None:
            return None
        found = _SERVICE_CHECKED_RE.search(self.text)
        if found is None:
            return None
        said = found["what"] or found["what2"]
        named = answers.services_named(said, self.profile)
        if len(named) != 1:
            return None
        booking = self.booking_just_done() or self.booking_just_told()
        if booking is None:
            return None
        service, its = named[0], self.keyed_service(booking.service)
        when = self.say(booking.slot_start)
        # (the customer's own words said back: normalised, "nail trim" reads "nail groom")
        written = _SERVICE_CHECKED_RE.search(self.context.message.lower())
        words = (written["what"] or written["what2"]) if written is not None else said
        what = re.sub(r"^(?:the|a|an|his|her|their|its)\s+", "", words.strip())
        if service.key == its.key:
            return reply_as(
                Intent.ASK_BOOKING,
                f"Yes: the {its.name}{for_(booking.subject)} on {when} is for {what}.",
            )
        return reply_as(
            Intent.ASK_BOOKING,
            f"No: the appointment{for_(booking.subject)} on {when} is {a_an(its.name)}. If "
            f"you'd like {a_an(service.name)} instead or as well, just say.",
        )

    def which_has_service(self) -> AgentDecision | None:
        """Which pet's booking is the service named, asked ("and which one's having the
        jab?" after Mochi's and Miso's were listed): each upcoming booking of that service
        said, with its pet, day and time. None when something is pending, the message is no
        such question or names no one service, or nothing upcoming has it."""
        if self.pending is not None or not _WHICH_HAS_RE.search(self.text):
            return None
        named = answers.services_named(self.text, self.profile)
        if len(named) != 1:
            return None
        service = named[0]
        having = [b for b in self.upcoming if b.service == service.key]
        if not having:
            return None
        said = "; ".join(f"{b.subject}'s, on {self.say(b.slot_start)}" for b in having)
        return reply_as(Intent.ASK_BOOKING, f"The {service.name} is {said}.")

    def question_about_booking(self) -> AgentDecision | None:
        """A question about a booking already made: what it costs, how long it takes, which vet
        ("how much is Rocky's appointment on thursday going to cost me?", "how long will Daisy's
        grooming take on saturday?", "will Luna see the same vet as last time?"): answered for
        that booking's service, with the booking said; nothing new is proposed. None when
        something is pending, the message asks none of these, books, moves or cancels, or
        points at no single upcoming booking (by a booked pet, or "my appointment", and the
        day and time said)."""
        text = self.text
        vet = VET_ASKED_RE.search(text) is not None
        if self.pending is not None or not (vet or answers.asks_price_or_length(text)):
            return None
        if _BOOK_MORE_RE.search(text) or asks_move(text) or CANCEL_RE.search(text):
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s)]
        if any(n.lower() not in booked for n in named):
            return None  # a pet without a booking: a new one is being priced or asked for
        targets = self.targets(named) if named else self.upcoming
        if not named and not ABOUT_BOOKING_RE.search(text):
            # "is that with the groomer or the vet?" just after "Done: …": that booking
            just = self.booking_just_done() if vet else None  # (a price: ``answer``'s)
            if just is None or not re.search(r"\b(?:that|it|this)\b", text):
                return None
            targets = [just]
        if self.when.day is not None:
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if self.when.clock is not None:
            targets = [b for b in targets if self.local(b.slot_start).time() == self.when.clock]
        if (
            len(targets) > 1
            and named
            and not answers.services_named(text, self.profile)
            and answers.asks_price(text)
        ):
            # "how much will rocco's appointment be?" with a check-up and a dental booked (set
            # 210): each booking's price, said with it
            each = [
                f"{a_an(self.keyed_service(b.service).name)} on {self.say(b.slot_start)} "
                f"({self.keyed_service(b.service).price})"
                for b in targets
            ]
            total = answers.total_price([self.keyed_service(b.service).price for b in targets])
            # ("how much will olive's visit tomorrow come to altogether?", set 229)
            summed = f" That's {total} in total." if total else ""
            return reply_as(
                Intent.ASK_BOOKING,
                f"{join(named)} has {len(targets)} appointments: {and_listed(each)}.{summed}",
            )
        if len(targets) != 1:
            return None
        booking = targets[0]
        if any(s.key != booking.service for s in answers.services_named(text, self.profile)):
            return None  # "how long does a dental clean take? … cleo might need one": the dental
        parts = [NO_VET_NAMED] if vet else []
        if answers.asks_price_or_length(text):
            said = answers.answer(text, self.profile, service=self.keyed_service(booking.service))
            if said is not None:
                parts.append(said)
        parts.append(
            f"Your appointment{for_(booking.subject)} is on {self.say(booking.slot_start)}."
        )
        return reply_as(Intent.ASK_BOOKING, " ".join(parts))

    def lookup(self) -> AgentDecision:
        """Say the upcoming bookings (the named pet's, when one is named) and any live proposal,
        flagged as not confirmed."""
        upcoming = self.targets() or self.upcoming
        every = _EVERY_BOOKING_RE.search(self.text) is not None
        if every:
            upcoming = self.upcoming
        only = re.search(r"(?<!\bnot\s)\b(?:just|only)\s+([a-z][a-z-]+)(?:'s)?\b", self.text)
        one = only[1] if only is not None else None
        if re.search(r"\bnot\s+(?:just|only)\s+[a-z]", self.text):
            # "just making sure both of them are booked and not just bean" (set 216): all
            upcoming = self.upcoming
        names = [s.lower() for s in self.subjects if is_name(s)]
        if one in {"him", "her", "his", "hers"} and names:
            one = names[0]  # "what's rocky got booked? just him, i know when daisy's is"
        if one is not None and any(b.subject.lower() == one for b in upcoming):
            # "what has bella got booked? just bella, i know when max's is"
            upcoming = [b for b in upcoming if b.subject.lower() == one]
        if self.when.day is None and not every:
            # "what have we got this week?": that week's bookings, when it holds any
            upcoming = self.in_week_said(upcoming) or upcoming
        said = {s.key for s in answers.services_named(self.text, self.profile)}
        of_service = [b for b in upcoming if b.service in said]
        pets_named = [n for n in self.subjects if is_name(n)]
        if of_service and len(of_service) < len(upcoming) and len(pets_named) <= 1 and not every:
            # "when's Bean's jab?", "when's the cat's jab again?": the bookings of that service
            # (not "… is max thursday or friday", "bailey's the groom … can't remember coco's")
            upcoming = of_service
        if len({b.subject for b in upcoming}) == 1 and _NEXT_ONE_RE.search(self.text):
            upcoming = upcoming[:1]  # "when's max next in?": the first of that pet's bookings
        nothing_then = ""
        if self.when.day is None and self.when.shift is not None and len(upcoming) == 1:
            # "and the one 3 weeks after that, is that booked too?": that day, from the booking
            self.when = self.when.shifted(self.local(upcoming[0].slot_start))
        if (
            self.when.day is not None
            and upcoming
            and not any(self.local(b.slot_start).date() == self.when.day for b in upcoming)
        ):
            # "have I got an appointment tomorrow?": not then, and what there is
            day_said = self.when.day.strftime("%A %-d %B")
            nothing_then = f"Nothing is booked on {day_said}. "
            others = [b for b in self.upcoming if self.local(b.slot_start).date() == self.when.day]
            pets = join(sorted({b.subject for b in upcoming}))
            if others and re.search(r"\b(?:only|just)\s+(?:one|1)\b", self.text):
                # "is that the only one tomorrow? I thought Sage was coming in too": the others'
                # are on it, only not the pet asked about
                there = join([f"{b.subject} at {self.local(b.slot_start):%H:%M}" for b in others])
                nothing_then = f"On {day_said} only {there} is booked, nothing for {pets}. "
            elif others:
                # "did I book Luna for thursday or friday?" (Sooty is in on Thursday)
                nothing_then = f"Nothing is booked for {pets} on {day_said}. "
        named = {s.lower() for s in self.subjects} & {b.subject.lower() for b in upcoming}
        if self.when.day is not None and len(upcoming) > 1 and len(named) > 1:
            # "what time is kiwi's jab on saturday? and is max thursday or friday": each pet
            # asked about, that day's where the pet has one on it
            upcoming = [
                b
                for b in upcoming
                if self.local(b.slot_start).date() == self.when.day
                or not any(
                    o.subject.lower() == b.subject.lower()
                    and self.local(o.slot_start).date() == self.when.day
                    for o in upcoming
                )
            ]
        elif self.when.day is not None and len(upcoming) > 1 and not every:
            # "am I still on for thurs?": that day's, when there is one on it
            on_day = [b for b in upcoming if self.local(b.slot_start).date() == self.when.day]
            upcoming = on_day or upcoming
        parts: list[str] = []
        if len(upcoming) == 1:
            b = upcoming[0]
            what = ""
            # "is bella in for her nails or a full check up?": the service said, asked
            asked = _BOOKED_FOR_WHAT_RE.search(self.text) or answers.services_named(
                self.text, self.profile
            )
            if asked:
                what = f" ({self.keyed_service(b.service).name})"
            parts.append(f"Your appointment{for_(b.subject)}{what} is on {self.say(b.slot_start)}.")
            if _PICK_UP_RE.search(self.text):
                # "… and roughly when can i pick her up after?": when the visit ends
                length = self.keyed_service(b.service).duration_minutes
                ends = self.local(b.slot_start) + timedelta(minutes=length)
                parts.append(
                    f"It takes about {length} minutes, so you can pick "
                    f"{b.subject if is_name(b.subject) else 'them'} up from about {ends:%H:%M}."
                )
        elif upcoming:
            listed = "; ".join(
                f"{b.subject if is_name(b.subject) or b.subject.startswith('your ') else 'one'}"
                f" on {self.say(b.slot_start)}"
                for b in upcoming[:5]
            )
            parts.append(f"You have {len(upcoming)} appointments coming up: {listed}.")
        booked = {b.subject.lower() for b in self.upcoming}
        unbooked = [n for n in self.subjects if is_name(n) and n.lower() not in booked]
        if parts and unbooked:
            # "can't remember if i did kiwi as well as mango": Kiwi's is not there either;
            # "does poppy have anything booked?" (only Shadow has): Poppy's answer first
            asked_of_booked = any(is_name(n) and n.lower() in booked for n in self.subjects)
            parts.insert(
                len(parts) if asked_of_booked else 0, f"Nothing is booked for {join(unbooked)}."
            )
        pending = self.pending
        if pending is not None and pending.changes:
            parts.append(f"Nothing is confirmed yet: {self.restate(pending)}")
        elif pending is not None and pending.slot_start is not None and pending.kind == "book":
            parts.append(
                f"{self.say(pending.slot_start)}{for_(pending.subject)} is not confirmed yet. "
                "Shall I confirm it?"
            )
        if not parts:
            offer = self.earlier_offer()
            if offer is not None:
                # "what time did we say on the phone?": the time talked about, not booked yet
                return self.book_earlier_offer(offer)
            parts.append("I can't find an upcoming appointment. Would you like to book one?")
        elif _BRING_ASKED_RE.search(self.text) and (bring := self.profile.policies.get("bring")):
            # "when are my appointments again? 🙈 and do i need to bring bella's vaccine book?"
            # (set 185): what to bring, said too
            parts.append(bring)
        elif _WHO_WITH_RE.search(self.text):
            parts.append(
                "Our bookings don't name a vet, so I can't say who you'll see; the team can tell "
                "you at the clinic."
            )
        return reply_as(Intent.ASK_BOOKING, nothing_then + " ".join(parts))
