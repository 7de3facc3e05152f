"""The local agent of the embedded default stack: deterministic rules over everyday language.

No model, no network. ``switchboard.understanding`` reads the message (shorthand and emoji,
days and times, pets, questions about the business, other languages); the business profile and
the calendar in the context decide what can be offered (``switchboard.availability``); replies are
one or two short sentences because on a call they are spoken. Every time is read and said in
``context.timezone``, relative to ``context.now`` (UTC), never the machine clock, so the same
context always gives the same decision.

Like any ``Agent`` it only decides. Changes are proposals (book, move, cancel) that the customer
workflow commits on a confirmation carrying the pending action's ID, re-checking the calendar
(docs/architecture.md, "Confirm before acting").

Layout: ``agent`` holds ``RuleBasedAgent``; a turn is one ``turn.Turn``, built as a chain of
layers over ``base.TurnBase`` (the turn's state), each in its own module and using only the
layers below it: ``saying`` → ``booking`` → ``proposals`` → ``targets`` → ``lookup`` →
``reading`` → ``chat`` → ``cancelling`` → ``confirming`` → ``several`` → ``offers`` →
``moving`` → ``turn`` (``Turn.read_message`` and ``Turn.decide``, the order below).
``patterns`` holds the phrases more than one layer reads and ``helpers`` the small functions
they share; a phrase only one layer reads lives in that layer's module.

A message of several lines (messages typed one after the other, read as one: docs/
architecture.md, "Turn order") whose later line corrects or adds to the ones before it ("tuesday
at 6?" / "sorry wednesday!! not tuesday", "*Dusty", "oh and salt too") is first read in steps
(``steps``): the later lines as the answer to the proposal the first ones would get; the message
is read whole, as below, when the first lines propose nothing or the rest changes nothing.

A window said instead of a time ("after school, she finishes at 3:30 and we're 5 mins away",
"my break is 12 till 1:30", "out by 9:15", "late afternoon", "i work 9-5") proposes its first
free start that fits, the service over by the window's end, and lists the window's others
(``switchboard.understanding.windows``, ``Booking.in_window_said``).

Order of reading, first match wins:
1. A message in a language the business does not serve → a short answer in that language.
2. A pet in danger (bleeding, poisoned, collapsed…) → ``HANDOFF`` with the numbers to call;
   urgency denied ("nothing urgent, just her yearly checkup") is none.
3. A whole-message yes or no (👍, "go ahead", "ya", "nope") → the pending action's answer; a
   question about the business with the yes ("how much is it? ok book it", "is that 45 euros?
   yes book it") → answered, then yes. A yes to our "did you mean Monday 4 January?" (a far day
   of the month on a call) → the request before it, on that day. A yes behind an apology
   ("sorry was driving!! yes that's fine") or typed with two letters swapped ("yse") is a yes;
   a yes with nothing pending right after our message proposing one slot → that slot proposed
   afresh (a lapsed offer books nothing). "What did I say was wrong with him?" → the
   customer's earlier words, quoted. The proposal asked for in booking words ("book him in for
   that") is a yes; thanks alone (🙏) to a proposal, or a question about it, is answered and the
   proposal put again.
4. A person asked for (a complaint too) → ``HANDOFF``; stop / start messages (a STOP or START
   in capitals inside a sentence too) → ``OPT_OUT`` / ``OPT_IN``; a proposal called off without
   a plain no ("never mind, I'll call later") → ``DECLINE``; a message sent here by mistake
   ("sorry wrong chat", "sent that too early") → a short polite reply, never the menu; late
   for a named pet's booking on another day → that booking's day said ("…, not today").
5. Cancel or move an existing booking → ``PROPOSE_CANCEL`` / ``PROPOSE_RESCHEDULE``; "cancel
   both", "move both to Friday", "move Max to Friday and cancel Bella's" → ``PROPOSE_CHANGES``,
   every change confirmed by one yes. A new day while a cancel waits → that booking moved. "My
   next one" / "our next appointment" of several → the first to come. A pet with no booking
   ("could Bella come at 11 the same day?") is a new booking, never a move. Of several
   bookings, the one on a day the message names ("move the one on the 11th to saturday") is
   the one moved; "both" answering "Which appointment should I move…?" moves each. The cost of
   cancelling asked ("if I have to cancel do I get charged?") → the policy, nothing cancelled.
   A move said in the passive ("could friday's be moved?") is a move; the customer's own move
   ("we're moving to Lyon, cancel everything") is not; "everything" is every booking. Another
   booking a step from one made ("also book Rex the same time the week after") → a new booking
   at that booking's time of day, never a move. A move and another pet's new booking in one
   message, with "and book…" or without ("rufus to thursday same time; daisy at half 3 for a
   check up") → both in one ``PROPOSE_CHANGES``: the move at the time of its own clauses, the
   newcomer at the time said beside it, or when the moved visit ends ("straight after him");
   a pet only talked about ("his sister daisy had her jab last week") is not booked. A
   cancellation beside another change ("put Luna's jab right after Oscar's groom … and cancel
   the tuesday one") → its cancelling clauses and the rest each decided as a message of their
   own, proposed together; "which one should I cancel?" when only that is unclear, the answer
   keeping the other change.
6. One of the times we just offered, picked by its place ("the second one", "the later one")
   or a part of the day answering our "What time on…?" → that time proposed, or those times
   offered. A pet's name answering our "Which appointment should I move…?" / "Which one should I
   change…?" / "Which of your pets is that for…?" → the request of the message before, for that
   pet; a time picked after
   "For Bella: Sorry, … I can offer …" → the earlier request again, with the new time for Bella
   only. A new day or time while a proposal is pending → the proposal, corrected (of several
   changes, the one of the pet named: "no, Bella at 12"); "can you do earlier?" with no time →
   the free times on that side of the proposed one; another pet "too" → both booked. With
   nothing pending, "could Max's appointment be a bit earlier?" → the move of that booking to
   the nearest free time on that side, with the others listed. The times we offered turned down
   for later or earlier ones ("none of those work, anything later?") → that day's free times on
   that side (for the service of the request we answered, not the default one); a bare hour
   ("11 maybe") or "first thing" answering our offer or our "What time on…?" → that time on
   that day; "but 11" / "make it 3" correcting a proposal → that time. Another pet named
   while a booking waits for a yes ("not Max, it's Bella", "make that Luna instead, Rocky's
   fine") → the same slot for that pet.
7. A follow-up to the business question we just answered ("and on saturday?", "how long does
   that take?") → ``ANSWER`` in that question's terms; a question about the customer's
   bookings → ``ASK_BOOKING``.
8. A day and/or time meant as a booking → a proposal if the calendar has room, else the nearest
   free times; a missing day or time is asked for, with what is free. A question about the
   business asked with it ("…and how much will that be?") is answered first. Several named
   pets get a booking each, in one ``PROPOSE_CHANGES`` ("Max and Bella on Friday at 10", "Rex
   at 10 and Bella at 10:30", in lower case too), if the calendar has room for all of them,
   each service of its own read back with its pet; several services for one pet an
   appointment each, back to back ("a vaccination and a nail trim for Max"). "The
   usual" / "same as last time" is the last visit's pet and service; "next week" without a
   day is that week's first day with room, its times offered; "the cat" when the CRM
   knows two pets or more (and no species) is asked which. Words of the business's name are
   never a pet's. A booking about to be read back for no pet named is asked which of the pets
   on record it is for when there are several ("both" books each listed, "my mum's dog" that
   animal, "another one" is asked its name; "we just got a puppy" is not asked); a pet already
   booked at that time is told so, nothing proposed; "the next available" is the first free
   time, proposed; on a call, the one pet on record is read back,
   and with none the caller is asked whom it is for (a name lost on the line is not booked
   "for you"). A time that contradicts itself ("13 in the morning") is asked, not guessed; on a
   call a time read from a transcript looping on one number is none. A holiday or a closed
   day asked about beside another day ("open on Christmas Day? if not, sat at 11", "are you
   open sunday? otherwise saturday at 10") is answered and the other day proposed; after a
   question about the business, the service the request names is the one booked ("how much is
   a dental? ok then a checkup for shadow"); an hours question is answered beside our
   question for the time ("what time do you close today? can I bring luna in before then");
   "bella any morning next week" asks the time on that week's first free day; a what-if about
   a visit ("what happens if we're late on thursday?") books nothing. Of a message of several
   sentences, the one that asks ("… so Wednesday is out I'm afraid. Could we do Friday
   instead?", "can we make it 11? I've got the plumber coming at 10") says the day and time
   when the others name other ones; the others fill in what it leaves unsaid.
9. A question about the business → ``ANSWER`` from the profile ("are you open now?": now).
10. Greeting, thanks, goodbye; anything else → a short question about what they need, or our
   own open question again (once more after "Sorry, I didn't catch that. <question>"). On
   WhatsApp thanks alone ("thank you so much 😊") is answered without closing the conversation;
   only words of farewell ("thanks, bye") say goodbye; thanks asking nothing ("so sorry we were
   late, thanks for fitting us in") is welcomed, never the menu. A goodbye while a proposal
   waits puts it once more ("Before you go, shall I book …?").

Then the decision is completed (``Turn.decide``): when it leaves out a pet the message asks
something for in an ask of its own, or puts a pet on a day its own clause does not say, each
pet's ask is decided alone and all are proposed together ("… can you change that? and can
fudge's check-up move to thursday at 12 too"; one of them turned down is said "For <pet>:" so
that the time given next completes the whole request); "and the same for Felix" makes its one
change (or the one waiting for a yes) for that pet too.
"""

from switchboard.providers.rules_agent.agent import RuleBasedAgent
from switchboard.providers.rules_agent.patterns import UNCLEAR

__all__ = ["UNCLEAR", "RuleBasedAgent"]
