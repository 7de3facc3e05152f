"""Who an appointment is for: pets named in a message ("for Max", "my dog Rex", "Nala's
appointment", "Max and Bella"), an animal ("my cat" → "your cat"), or a name the CRM already
knows, matched despite case and typos (``rapidfuzz``).

Speech recognition turns words into capitalised nonsense ("for your Cart"), so in a call
transcript a new name counts only where names go ("for Felix", "my dog Rex"), never because it is
capitalised; names the CRM knows are recognised anywhere.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from lemminflect import getAllLemmas
from rapidfuzz import fuzz, process
from stop_words import get_stop_words

from switchboard.understanding.text import (
    DAY_SHORTHAND,
    dictated_day_words,
    normalise,
    spelt_out_chat,
)
from switchboard.understanding.when import days_in_day_slots, misspelt_weekday

# The weekdays as people shorten them in messages.
_DAY_SHORTHANDS = ("mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ANIMALS = {
    "cat": "cat",
    "cats": "cats",
    "kitten": "kitten",
    "kittens": "kittens",
    "kitty": "cat",
    "dog": "dog",
    "dogs": "dogs",
    "puppy": "puppy",
    "puppies": "puppies",
    "pup": "puppy",
    "pups": "puppies",
    "doggy": "dog",
    "doggie": "dog",
    "doggo": "dog",
    "pooch": "dog",
    "pupper": "puppy",
    "moggy": "cat",
    "moggie": "cat",
    "rabbit": "rabbit",
    "rabbits": "rabbits",
    "bunny": "rabbit",
    "bunnies": "rabbits",
    "hamster": "hamster",
    "guinea": "guinea pig",
    "parrot": "parrot",
    "bird": "bird",
    "budgie": "budgie",
    "ferret": "ferret",
    "tortoise": "tortoise",
    "turtle": "turtle",
    "snake": "snake",
    "lizard": "lizard",
    "rat": "rat",
    "mouse": "mouse",
    "pet": "pet",
    "pets": "pets",
}
# Capitalised words that are not names.
_NOT_NAMES = {
    # chat shorthand and greetings typed short ("canc thurs", "appt nxt wk", "hii")
    "canc",
    "nxt",
    "wk",
    "hii",
    "heya",
    "hru",
    "kk",
    "xx",
    "yo",
    "ty",
    "resched",
    "thnx",
    "thnks",
    "plse",
    "ya",
    "yh",
    "yea",
    "yup",
    "nah",
    "msgs",
    # ways to pay ("do you take Amex?")
    "amex",
    "visa",
    "mastercard",
    "maestro",
    "paypal",
    "applepay",
    "gpay",
    # meals a time is said by ("close for lunch", "after breakfast")
    "lunch",
    "lunchtime",
    "breakfast",
    "dinner",
    "i",
    "i'm",
    "i'd",
    "i'll",
    "hi",
    "hello",
    "hey",
    "hiya",
    "good",
    "morning",
    "afternoon",
    "evening",
    "can",
    "could",
    "would",
    "will",
    "please",
    "book",
    "booking",
    "appointment",
    "yes",
    "no",
    "ok",
    "okay",
    "thanks",
    "thank",
    "sorry",
    "the",
    "a",
    "an",
    "my",
    "our",
    "is",
    "are",
    "what",
    "when",
    "whens",
    "where",
    "wheres",
    "how",
    "hows",
    "whats",
    "thats",
    "lets",
    "which",
    "who",
    "why",
    "do",
    "does",
    "did",
    "have",
    "has",
    "need",
    "want",
    "like",
    "get",
    "make",
    "move",
    "change",
    "cancel",
    "reschedule",
    "actually",
    "also",
    "and",
    "or",
    "but",
    "so",
    "then",
    "just",
    "maybe",
    "great",
    "perfect",
    "sure",
    "today",
    "tomorrow",
    "tonight",
    "next",
    "this",
    "that",
    "it",
    "we",
    "you",
    "me",
    *WEEKDAY_NAMES,
    *_DAY_SHORTHANDS,
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "am",
    "pm",
    "at",
    "for",
    "on",
    "in",
    "to",
    "of",
    "with",
    "from",
    "by",
    "dr",
    "vet",
    "doctor",
    "checkup",
    "check",
    "consultation",
    "vaccination",
    "vaccine",
    "dental",
    "grooming",
    "visit",
    "was",
    "it's",
    "there",
    "here",
    "again",
    "instead",
    "same",
    "time",
    "day",
    "week",
    "hour",
    "one",
    "two",
    "both",
    "all",
    "any",
    "some",
    "none",
    "ah",
    "oh",
    "um",
    "uh",
    "well",
    "right",
    "alright",
    "fine",
    "let",
    "let's",
    "see",
    "look",
    "thing",
    "things",
    "help",
    "hope",
    "wait",
    "bye",
    "goodbye",
    "cheers",
    "pls",
    "plz",
    "asap",
    "urgent",
    "english",
    "whatsapp",
    "human",
    "person",
    "agent",
    "someone",
    "staff",
    "team",
    "price",
    "cost",
    # letter openings and closings: "Dear Sir or Madam", "Yours faithfully"
    "dear",
    "sir",
    "madam",
    "mr",
    "mrs",
    "ms",
    "miss",
    "yours",
    "faithfully",
    "sincerely",
    "truly",
    "regards",
    "kind",
    "kindest",
    "warm",
    "best",
    "mi",
}
# Words that follow "my cat" or start a sentence without being a name.
_NOT_NAMES |= {
    "come",
    "comes",
    "came",
    "coming",
    "go",
    "goes",
    "going",
    "went",
    "needs",
    "gets",
    "got",
    "be",
    "been",
    "being",
    "seen",
    "booked",
    "checked",
    "vaccinated",
    "looked",
    "eat",
    "eats",
    "sick",
    "ill",
    "hurt",
    "limping",
    "vomiting",
    "throwing",
    "scratching",
    "sneezing",
    "coughing",
    "not",
    "still",
    "really",
    "very",
    "too",
    "now",
    "later",
    "earlier",
    "soon",
    "is",
    "has",
    "had",
    "will",
    "would",
    "should",
    "must",
    "might",
    "isn't",
    "hasn't",
    "won't",
    "can't",
    "doesn't",
    "didn't",
    "anymore",
    "any",
    "anything",
    "something",
    "quick",
    "hey",
    "wait",
    "oops",
    "yeah",
    "yep",
    "nope",
    "hmm",
    "also",
    "booking",
    "bookings",
    "up",
    "down",
    "out",
    "off",
    "over",
    "back",
    "running",
}
# What follows a verb in -ing where a name could go: "for fitting us in", "for helping me".
_VERB_OBJECT = r"\s+(?:us|me|him|her|them|it|our|my|his|their|you)\b"
# ... or a name after it ("thanks for seeing lucky"), not a day or time ("for sterling on friday")
_GERUND_OBJECT = (
    r"\s+(?!(?:on|at|in|for|to|and|tomorrow|today|tonight|next|this|mon|tues?|wed|thu|thurs?|fri|sat"
    r"|sun|\w+day|\d)\b)[a-z]"
)
# A time said beside a pet: "at 10", "10:30", "@ 2pm", "at half 3" (not "10 minutes", "3rd").
_TIME_SAID = (
    r"(?:at\s+|@\s*)?(?:half\s+(?:past\s+)?)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
    r"(?![\d:.]|\s*(?:mins?|minutes|hours?|hrs?|days?|weeks?|st|nd|rd|th)\b)"
)
# Where an item of a list of pets starts: the message, a clause, or a joining word.
# ("this time 😅 max needs his booster": an emoji ends what comes before, as a comma does)
_LIST_ITEM = (
    r"(?:^|[^\w\s'-]\s*|\b(?:bring|and|also|plus|book|get|only|just|up|next|then|lastly"
    r"|finally)\s+)"
)
# Each pet with what it needs: "bring biscuit for his booster and pepper for a nail trim", "…;
# daisy at half 3 for a check up".
_EACH_PET_NEEDS = (
    rf"{_LIST_ITEM}([a-z][a-z-]+)\s+(?:[\u2600-\u27bf\U0001f300-\U0001faff]+\s*)?(?:in\s+)?"
    rf"(?:{_TIME_SAID}\s+)?(?:for|needs)\s+"
    r"(?:(?:a|an|his|her|their|the|its)\s+)?(?:checkup|check-up|check\s+up|jabs?|vaccinations?"
    r"|vaccines?|booster|dental|teeth|grooming|groom|nail\s+trim|nails|consultation)\b"
)
# Where a pet is what the message is about, said in passing: "its about tilly", "pop in with pip
# on my break". Weaker places than "for Max": a common word there is never a name.
_ABOUT_PET = (
    r"\b(?:it's|its|it\s+is|this\s+is|message\s+is|i'm\s+messaging|writing)\s+(?:about|regarding"
    r"|re)\s+([a-z][a-z-]+)\b",
    # ... "come in on the 24th in the morning with coco", "coming in with rex"
    r"\b(?:pop|popping|come|coming|drop|dropping|swing)\s+(?:in|by|round|over)\b[^.?!,]{0,40}?"
    r"\bwith\s+([a-z][a-z-]+)\b",
    # "… under mochi but its actually yuzu who needs it" (set 230)
    r"\b(?:it's|its|it\s+is)\s+(?:actually\s+|really\s+)([a-z][a-z-]+)\s+who\s+(?:needs?|is\s+due)\b",
    # "just checking we're still on for saturday with teddy?" (set 216)
    r"\b(?:still\s+on|booked(?:\s+in)?)\b[^.?!,]{0,30}?\bwith\s+([a-z][a-z-]+)\b",
    # "thanks for seeing lucky on saturday", "you treated bella last week"
    r"\b(?:seeing|saw|treating|treated|checking|checked)\s+([a-z][a-z-]+)\b",
)
# A pet's name told: "my cat name is Kitty", "a puppy called Rolo" (the writer's own "my name
# is" is not), "… for her vaccines then? her name is Frida" (set 154): a name even when it looks
# like a day mistyped.
# Two pets named as an answer: "wednesday the 23rd at 5pm? they're tofu and miso 🐱🐱" (set
# 178); not what they are ("they're tired and hungry": ``_described_not_named``).
_THEY_ARE_NAMED = (
    r"\b(?:they're|theyre|they\s+are|their\s+names\s+are|names\s+are)\s+([a-z][a-z'-]+)\s+(?:and|&)"
    r"\s+([a-z][a-z'-]+)\s*(?=$|[.!,?\u2600-\u27bf\U0001f300-\U0001faff])"
)
_NAME_TOLD = (
    r"\b(?:cat|dog|kitten|puppy|rabbit|hamster|parrot|bird|ferret|pet)(?:'s)?\s+(?:name\s+is"
    r"|is\s+called|is\s+named|called|named)\s+([a-z][a-z'-]+)",
    r"(?:^|[.!?,]\s*|\b(?:and|oh|btw|ps)\s+)(?:her|his|its)\s+name(?:'s|\s+is)\s+([a-z][a-z'-]+)",
)
# A pet said to be unwell, heading a clause: "lucky's been sick twice", "sky has had a bit of a
# cough", "bella is limping" (a common word there is never a name: "it's been sick").
_UNWELL = (
    # (after an emoji too: "2 cats 2 problems 😅 pumpkin keeps sneezing", set 141)
    r"(?:^|[.!?,;\u2600-\u27bf\U0001f300-\U0001faff]\s*"
    r"|\b(?:and|but|because|as|so|since|hi|hiya|hello|hey|morning)\s+)"
    # ("max been scratching his ear all wk", the chat's dropped "has": set 152)
    r"([a-z][a-z-]+)(?:'s|\s+has|\s+is|\s+keeps|\s+hasn't|\s+isn't|\s+won't\s+stop|(?=\s+been\s))\s+"
    r"(?:been\s+|had\s+|got\s+|stopped\s+)?(?:(?:a\s+)?(?:bit|little|really|very|quite)\s+(?:of\s+a\s+)?)?"
    r"(?:sick|ill|unwell|poorly|limping|coughing|sneezing|scratching|vomiting|lethargic|off\s+(?:his|her"
    r"|its)\s+food|throwing\s+up|cough|cold|rash|lump|diarrh\w*|not\s+(?:eating|well|herself"
    r"|himself)|eating|eaten|drinking|being\s+sick|well|fleas|ticks?|worms|mites|an?\s+(?:ear|eye"
    r"|skin|tummy)\s+infection|an?\s+(?:cut|wound|sore|bite|abscess|limp)"
    # "maisie's been a bit off since last night", "rex is under the weather"
    r"|off(?!\s+(?:to|for|on|at|out|work|school|home|the|with|now|today|tomorrow))"
    r"|under\s+the\s+weather|out\s+of\s+sorts|off\s+colou?r|in\s+pain|not\s+right"
    r"|not\s+been\s+(?:him|her|it)self"
    # what the pet keeps doing to itself: "Buster keeps shaking his head", "monty's been
    # holding his back leg up", "nala keeps licking her front paw" (set 142)
    r"|(?<=keeps\s)[a-z]+ing\s+(?:his|her|its|their|at|the)"
    r"|(?<=been\s)(?:holding|licking|shaking|scratching|chewing|biting|dragging|favouring"
    r"|favoring|rubbing|pawing|straining|squinting|drooling|panting|wheezing|hiding)\b)\b"
)
# Pets named after their kind, or after how many there are: "my 2 dogs rex and bella", "both
# cats in, max and luna", "i have two guinea pigs, peanut and butter", "i have two, peanut and
# butter".
_PETS_OF_A_KIND = (
    r"(?:\b(?:cats|dogs|kittens|puppies|pups|rabbits|bunnies|pets|boys|girls|babies|guinea\s+pigs"
    r"|hamsters|ferrets|rats|mice|gerbils|chinchillas|birds|budgies|parrots|tortoises)\b"
    r"|\b(?:i|we)\s+(?:have|'ve\s+got|have\s+got|got)\s+(?:two|three|2|3)\b"
    # "we've just taken on two from a rescue, nugget and popcorn" (set 212)
    r"|\b(?:taken\s+on|adopted|rescued)\s+(?:two|three|2|3)\b)"
    # ("2 bunnies last week, clover and bramble", set 212)
    r"(?:\s+(?:from\s+(?:a|the)\s+(?:rescue|shelter|breeder)|last\s+week|this\s+week|recently))?"
    r"(?:\s+in)?[\s,:(-]+(?:called\s+|named\s+)?([a-z][a-z-]+)(?:,\s*([a-z][a-z-]+))?,?\s+(?:and|&|n)\s+"
    r"([a-z][a-z-]+)\b"
)
# An animal's word after "my" / "our" typed with two neighbouring letters swapped ("my dgo
# bailey", "our cta"); "act" is a word of its own.
_SWAPPED_ANIMALS = {
    swapped: animal
    for animal in ("cat", "dog", "pup", "puppy", "kitten", "rabbit", "bunny")
    for i in range(len(animal) - 1)
    if (swapped := animal[:i] + animal[i + 1] + animal[i] + animal[i + 2 :]) != animal
    and swapped != "act"
}
_SWAPPED_ANIMAL_RE = re.compile(rf"\b(my|our)\s({'|'.join(_SWAPPED_ANIMALS)})\b")
# Each pet with a time of its own: "rex at 10 and bella at 10:30", "biscuit at 10 and pepper
# 10:30". Two of them or more: one word before a time ("luna at 3") may be anything.
_EACH_PET_AT_RE = re.compile(rf"{_LIST_ITEM}([a-z][a-z-]+)\s+{_TIME_SAID}")
# Chat interjections that may stand alone as a sentence: "FFS.", "LOL!", never a name.
_INTERJECTIONS = {"ffs", "wtf", "lol", "omg", "smh", "ugh", "argh", "hmm", "fyi", "btw", "pls"}
# ... and chat shorthand anywhere, never a name: "friday's our dog btw", "my cat tbh"
_NOT_NAMES |= _INTERJECTIONS | {"lmao", "tbh", "imo", "idk", "asap", "thx", "plz", "haha", "ikr"}
# Days and times in chat shorthand and words where a name could go ("book for tmrw", "for half
# 3", "i meant noon"): never a pet.
_NOT_NAMES |= {
    # holidays named where a name could go ("open on Christmas Day?")
    "christmas",
    "xmas",
    "easter",
    "halloween",
    *DAY_SHORTHAND,
    # "she'll just come along for company"
    "company",
    "weekend",
    "weekends",
    "weekday",
    "weekdays",
    "weeknights",
    "mornings",
    "afternoons",
    "evenings",
    "half",
    "quarter",
    "noon",
    "midday",
    "midnight",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
}
# What a visit is for, where a name could go ("both come in next week for jabs"), never a name.
_NOT_NAMES |= {
    "jab",
    "jabs",
    "booster",
    "boosters",
    "vaccinations",
    "vaccine",
    "vaccines",
    "shot",
    "shots",
    "checkups",
    "check-ups",
    "injection",
    "injections",
    "nails",
    "teeth",
    "groom",
}
# What is done, never who: "do you charge for cancelling?", "thanks for rescheduling".
_NOT_NAMES |= {
    "cancelling",
    "canceling",
    "cancellation",
    "rescheduling",
    "booking",
    "moving",
    "waiting",
    "parking",
    "boarding",
    "paying",
    "payment",
    "everything",
    "nothing",
    "slot",
    "slots",
    "spot",
    "appointment",
    "appointments",
    "appt",
    "visit",
}
# The words our own replies open with ("Done: you're booked … for Rocky."), read again when a
# customer answers them: never a name.
_NOT_NAMES |= {"done", "sorry", "great", "thanks", "ok", "okay", "sure", "perfect"}
# an e-mail's header and signature labels ("Subject: Cancellation – Sushi", "Tel. …")
_NOT_NAMES |= {"subject", "cc", "bcc", "fwd", "tel", "mob", "regards", "apologies", "ages"}
# thanks in the languages our customers sign off in: "… meet her 😄 Merci, Brigitte" (set 158)
_NOT_NAMES |= {"merci", "gracias", "danke", "grazie", "obrigado", "obrigada", "bisous", "bises"}
# greetings of other languages, wherever they stand ("Bonjour and good morning", set 193)
_NOT_NAMES |= {"bonjour", "bonsoir", "buongiorno", "buenos", "hola", "hallo", "salut", "coucou"}
# A length of time, in capitals for weight: "on at me for WEEKS to get Ludo's nails done" (set
# 158)
_NOT_NAMES |= {"minutes", "hours", "days", "weeks", "months", "years", "decades"}
# How or when a booking is made, said where a name could go ("book online", "book ahead")
_NOT_NAMES |= {"online", "ahead", "early", "later", "soon", "sooner", "earlier", "appt", "appts"}
# The people who bring a pet or own it ("Nan will bring her in", "Mum's away"): never a pet
_NOT_NAMES |= {
    "mum",
    "mom",
    "mummy",
    "mommy",
    "mam",
    "dad",
    "daddy",
    "nan",
    "nana",
    "nanna",
    "nanny",
    "gran",
    "granny",
    "grandma",
    "grandmother",
    "grandad",
    "granddad",
    "grandpa",
    "grandfather",
    "husband",
    "hubby",
    "wife",
    "partner",
    "son",
    "daughter",
    "sister",
    "brother",
    "auntie",
    "aunty",
    "aunt",
    "uncle",
    "cousin",
    "neighbour",
    "neighbor",
    "boyfriend",
    "girlfriend",
}
# Words opening an aside, capitalised: "Speaking of which, Pip and Squeak …"
_NOT_NAMES |= {"speaking", "talking", "anyway", "anyhow", "meanwhile", "besides"}
# What a place is to pets, said where a name could go ("this is a dog friendly place?", "are
# you cat-friendly"): never a pet
_NOT_NAMES |= {"friendly", "proof", "safe", "welcome", "allowed"}
# Verbs of opinion opening a sentence where a name could go: "Reckon he could come Thursday?"
_NOT_NAMES |= {"reckon", "reckons", "guess", "suppose", "wonder", "wondering", "figure", "righto"}
# Body parts and everyday things said to be unwell or broken, where a pet's name could go
# ("brain not working today", "head all over the place", "phone not working", "car's in the
# garage"): never a pet.
_NOT_NAMES |= {
    *("brain", "head", "mind", "memory", "eye", "eyes", "ear", "ears", "paw", "paws", "leg"),
    *("legs", "tummy", "belly", "stomach", "skin", "nose", "tail", "tooth", "teeth", "neck"),
    *("foot", "feet", "phone", "car", "wifi", "internet", "laptop", "boiler", "battery"),
}
# Pronouns and possessives stand where names go ("for his shots", "get her in"), never a name.
_NOT_NAMES |= {
    "he",
    "she",
    "him",
    "his",
    "her",
    "hers",
    "they",
    "them",
    "their",
    "its",
    "us",
    "your",
    "yours",
    "mine",
    "ours",
    "theirs",
}
_KNOWN_MATCH = 85
# The writer's own name, not a pet's: "this is Margaret", "I'm Sarah", "Kind regards, Margaret".
# The person a message greets ("Hi Claire, Biscuit is due a check-up", "Hello Sam!"): a person
# (the customer in our messages, a receptionist in theirs), not a pet.
_GREETED_RE = re.compile(
    r"(?:^|[.!?]\s+)(?i:hi|hello|hey|hiya|dear|morning|good\s+(?:morning|afternoon|evening))"
    r"\s+([A-Z][a-z]{1,14})\s*[,!]"
)
_OWNER_RE = re.compile(
    r"\b(?i:this\s+is|it's|it\s+is|i'm|i\s+am|my\s+name\s+is|name's|regards|wishes|greetings|thanks"
    r"|thank\s+you|cheers|best|love|faithfully|sincerely|truly|yours)"
    # the thanks of a signature said warmly: "Thanks so much, Claire", "Thank you again, Tom"
    r"(?i:\s+(?:so|very)\s+much|\s+a\s+lot|\s+again|\s+all|\s+in\s+advance|\s+kindly"
    r"|(?:\s+(?:so|very)\s+much)?\s+for\s+(?:your|all\s+your)\s+help)?"
    # (a title before the name signed: "Yours faithfully, Mrs Edith Whitmore")
    r"[\s,]+(?:(?i:mr|mrs|ms|miss|dr|mme|madame|monsieur)\.?\s+)?([A-Z][a-z]{1,14})\b"
    # "it's Bella who needs to come", "it's Bella with two Ls", "it's Bella, not Bela": a
    # sentence about the pet (its name spelt out), not a signature
    r"(?!\s+(?i:who|that|needs?|has\s+to|should|with\s+(?:2|two|a|an|1|one|double)|spel+(?:t|ed))\b)"
    r"(?!\s*,?\s*(?i:not)\s+[A-Za-z])"
    # "it's Loki and Nala" (the dogs to book, after "need to book the dogs in"): a list of pets
    # (not "it's Oreo and Noodle's mum")
    r"(?!\s+(?i:and|&)\s+[A-Z][a-z]+\b(?!'s))"
    # and the surname signed with it: "Yours faithfully, Edith Marsh"
    r"(?!'s)(?:\s+([A-Z][a-z]{1,19})\b(?!'s))?"
)
# A breed said in words that are capitalised ("a 9-year-old Jack Russell", "her little dog Binky
# (a Yorkshire terrier)", "our Scottish terrier, Dougal"): never a pet's name.
_BREED_PHRASE_RE = re.compile(
    r"\b(?:(?:jack|parson)\s+russells?|king\s+charles|shih\s+tzus?|lhasa\s+apsos?"
    r"|bichon\s+fris[eé]s?|maine\s+coons?|great\s+danes?"
    r"|(?:scottish|yorkshire|irish|english|french|german|welsh|west\s+highland(?:\s+white)?"
    r"|border|british|american|siberian|norwegian|bernese|staffordshire|boston|cairn|norfolk"
    r"|norwich|airedale|tibetan|russian|turkish|italian|spanish|portuguese|australian|belgian"
    r"|dutch|japanese|chinese|egyptian|persian|birman|himalayan|old\s+english|golden|bull)\s+"
    r"(?:terriers?|setters?|spaniels?|bulldogs?|shepherds?|collies?|retrievers?|wolfhounds?"
    r"|sheepdogs?|mountain\s+dogs?|shorthairs?|longhairs?|blues?|forest\s+cats?|huskies|husky"
    r"|pointers?|folds?|mastiffs?|greyhounds?|mau|vans?|angoras?|cats?|dogs?|kittens?"
    r"|pupp(?:y|ies)|rex))\b",
    re.IGNORECASE,
)
# A name letter-cased like a signature: "Antoine & Julie Roussel", "J. R. Whitfield".
_SIGNATURE_NAME = r"(?:[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:-[A-ZÀ-ÖØ-Þ][^\W\d_]*)?\.?)"
# The message's end signed: its last line or sentence only names ("Many thanks, / Antoine &
# Julie Roussel", "… for an old lady. Geneviève Marchetti"), after a closing phrase when one
# name alone, a first name and surname otherwise.
_SIGNATURE_RE = re.compile(
    r"(?:^|\n|[.!?,:;]\s*)(?P<sig>"
    + _SIGNATURE_NAME
    + r"(?:(?:\s+|\s*&\s*|\s+and\s+)"
    + _SIGNATURE_NAME
    + r"){0,4})\s*[.!]?\s*$"
)
_SIGN_OFF_RE = re.compile(
    r"(?i:thanks|thank\s+you|regards|wishes|sincerely|faithfully|truly|cheers|love|best"
    r"|gratitude|respectfully|merci|gracias|danke|grazie|bisous|bises)(?:\s+(?:so|very)\s+much|\s+again|\s+in\s+advance"
    r"|\s+a\s+(?:million|lot|bunch))?[\s,.!]*$"
)
# The writer introduced: "I am Colonel (retd.) James Whitfield", "my name is Anne Dupont".
_INTRODUCED_RE = re.compile(
    r"\b(?i:i\s+am|my\s+name\s+is)\s+(?P<who>(?:(?:"
    + _SIGNATURE_NAME
    + r"|\([^()]{1,12}\))\s+){0,4}"
    + _SIGNATURE_NAME
    + r")(?!'s)"
)


def _people_named(message: str, *, writers_own: bool = False) -> set[str]:
    """The lower-cased words of the people the message names by who they are ("my father,
    Gérard Moreau", "Nadia, the volunteer"), never pets. ``writers_own``: of the relatives,
    only the writer's ("my", "our"; "her sister Poppy" may be a pet's)."""
    relatives = [
        m
        for m in _RELATIVE_FULL_RE.finditer(message)
        if not writers_own or m.group(0).lower().startswith(("my", "our"))
    ]
    return {
        w.lower()
        for m in (*relatives, *_PERSON_APPOSED_RE.finditer(message))
        for w in re.split(r"[\s-]+", m["who"])
    }


def people_in(message: str) -> set[str]:
    """The lower-cased words of the people ``message`` names as people: its signature and the
    writer introduced ("Respectfully, / Jeanne Moulin"), relatives and helpers ("my son
    Laurent", "our dog walker Jess", "my father, Gérard Moreau"), people described ("Nadia,
    the volunteer"). A later message naming them again is no pet ("Laurent will arrange it",
    set 136)."""
    return (
        signed_names(message)
        | _people_named(message, writers_own=True)
        | {m.group(1).lower().removesuffix("'s") for m in _RELATIVE_NAMED_RE.finditer(message)}
        | {m["who"].lower() for m in _RELATIVE_BRACKETED_RE.finditer(message)}
    )


# A signature with the family in brackets: "Sandra (and Léo, Jade and Ludo)".
_SIGNED_WITH_FAMILY_RE = re.compile(
    r"(?:^|\n|[.!?,:;]\s*)(?P<who>[A-Z][a-zà-öø-ÿ'-]+)\s*\(\s*(?:and|&|with|\+)\s+"
    r"(?P<with>[^()]{1,80})\)\s*[.!]?\s*$"
)


def signed_names(message: str) -> set[str]:
    """The lower-cased words of the names the writer signs or introduces themselves with (the
    customer, a relative, a couple), never pets (set 129). Empty when none."""
    found: set[str] = set()
    for intro in _INTRODUCED_RE.finditer(message):
        found |= {w.lower().rstrip(".") for w in re.findall(_SIGNATURE_NAME, intro["who"])}
    end = _SIGNATURE_RE.search(message.rstrip())
    if end is not None:
        words = [w.rstrip(".") for w in re.findall(_SIGNATURE_NAME, end["sig"])]
        joined = "&" in end["sig"] or re.search(r"\sand\s", end["sig"]) is not None
        signed_off = _SIGN_OFF_RE.search(message[: end.start("sig")].rstrip()) is not None
        if signed_off or (len(words) >= 2 and not joined) or (joined and len(words) >= 3):
            found |= {w.lower() for w in words if len(w) > 1}
    family = _SIGNED_WITH_FAMILY_RE.search(message.rstrip())
    if family is not None:
        # "Sandra (and Léo, Jade and Ludo)": the writer, and those signed with her that the
        # message names nowhere else (Ludo, whose nails it asks about, is the pet: set 158)
        before = message[: family.start()]
        found.add(family["who"].lower())
        found |= {
            w.lower()
            for w in re.findall(_SIGNATURE_NAME, family["with"])
            if len(w) > 1 and not re.search(rf"\b{re.escape(w)}\b", before)
        }
    return found


# A capitalised word after a word of place is where someone is, not a pet: "I'm in Singapore",
# "back from Lyon", "we're moving to Bordeaux", "visiting Rome". Its possessive ("to Max's
# appointment") is still a pet's.
_PLACE_RE = re.compile(
    # "fit in Bella", "squeeze in Max", "get in Rex": a pet fitted in, not a place
    r"(?<!\b(?i:fit)\s)(?<!\b(?i:get)\s)(?<!\b(?i:pop)\s)(?<!\b(?i:put)\s)(?<!\b(?i:squeeze)\s)"
    r"(?<!\b(?i:book)\s)(?<!\b(?i:slot)\s)(?<!\b(?i:bring)\s)(?<!\b(?i:pencil)\s)"
    r"(?<!\b(?i:drop)\s)(?<!\b(?i:check)\s)"
    r"\b(?i:in|from|to|near|around|visiting|through|via|outside|across|out\s+of|past|beyond"
    # "she lands at Orly at 3" (set 158)
    r"|(?:lands?|landing|landed|arrives?|arriving|arrived|gets\s+in|getting\s+in)\s+at)\s+"
    # and the rest of a name of several words: "in New York", "from Le Mans", "in the Bois de
    # Vincennes" (not "to Max and Bella"; "moved to Paris and haven't been" is a place)
    r"(?:the\s+)?([A-Z][a-z]{1,19})(?:\s+(?:(?:de|du|des|la|le|les|sur|en|of)\s+)?([A-Z][a-z]{1,19}))?"
    # (a third word: "through Lévriers Sans Frontières", an association's name)
    r"(?:\s+([A-Z][a-z]{1,19}))?"
    r"\b(?!'s)(?!\s+(?:and|&)\s+[A-Z])"
)
# A terse line: a name, then what the pet is or what is wrong ("nugget. dog", "clover,
# rabbit", "rolo, limping").
_TERSE_NAME_RE = re.compile(
    r"(?:^|\n)\s*([a-z][a-z'-]{1,14})\s*[.,:;-]\s*(?:(?:a|my|our|the|he's|she's|hes|shes)\s+)?"
    r"(?:cat|dog|kitten|puppy|pup|rabbit|bunny|hamster|ferret|guinea\s+pig|parrot|budgie|bird"
    r"|tortoise|limping|sick|poorly|unwell|lame|vomiting|itchy|coughing|sneezing)\s*[.!]?\s*(?=\n|$)"
)


def _lone_word_name(line: str) -> bool:
    """Whether a line of a burst, one word, may be a pet's name: no word of English (no
    lemma), not a greeting stretched ("heyy", "hiiii") nor keys pressed at random
    ("jjjjjjjjkkkkkkk")."""
    if not re.fullmatch(r"[a-z][a-z'-]{3,14}", line) or getAllLemmas(line):
        return False
    if re.search(r"(\w)\1\1", line) or not re.search(r"[aeiouy]", line):
        return False
    return not re.fullmatch(r"h+[aeiy]+y*a*|hel+o+|yo+|oi+|hiya+|heya+|hey+o+", line)


# A line of a burst about a visit: a service, a day or time, a booking word.
_VISIT_LINE_RE = re.compile(
    r"\b(?:jabs?|vacc\w*|booster|check[\s-]?up|dental|groom\w*|nails?|appt|appointment|book"
    r"|today|tmrw|tomorrow|tmr|mon|tue|tues|wed|thu|thurs|fri|sat|(?:mon|tues|wednes|thurs|fri"
    r"|satur)day|am|pm|\d)\b"
)
# A name ruled out: "I meant Jasper not Ruby", "for Max instead of Bella" ({}: the name).
_RULED_OUT_NAME = r"\b(?:not|instead\s+of|rather\s+than)\s+{}\b"
# ... and then a sentence of its own after all ({}: the name): "I said DOLLY not kobe! kobe
# still needs to come wednesday at 10.30" (set 180)
_NEEDED_AFTER_ALL = (
    r"(?:^|[.!?;,]\s*){}\s+(?:still\s+)?(?:needs?|has\s+to|must|should|is\s+(?:still\s+)?coming)\b"
)


def _ruled_out(name: str, lowered: str) -> bool:
    """Whether ``name`` (lower case) is ruled out in ``lowered`` and not asked for after."""
    ruled = re.search(_RULED_OUT_NAME.format(re.escape(name)), lowered)
    if ruled is None:
        return False
    return re.search(_NEEDED_AFTER_ALL.format(re.escape(name)), lowered[ruled.end() :]) is None


# A person named with a title ("can I see Dr Martin", "with Nurse Kelly", "Mrs Dubois said"):
# the vet, a nurse or the owner, never the pet to book.
_TITLED_RE = re.compile(
    r"\b(?:dr|doctor|mr|mrs|ms|nurse|prof|professor|madame|monsieur|mme|colonel"
    r"|reverend|rev)\.?\s+([a-z][a-z'-]+)",
    re.IGNORECASE,
)
# A name said instead of another: "STELLA not bella!!", "it's stella, not bella" (never a common
# word, capitalised or not: "? If not Saturday")
_NAME_NOT_OTHER = (
    r"(?:^|[.!?,]\s*|[\u2600-\u27bf\U0001f300-\U0001faff\u200d\u2640\u2642\ufe0f]+\s*"
    r"|\b(?:it's|its|it\s+is|make\s+(?:that|it|this)(?:\s+for)?|for)\s+)([a-z][a-z-]+)[,.!]*\s+not"
    r"\s+[a-z][a-z-]+\b"
)
# A pet of the past, told of: "Our old dog Pirate came to you for years", "our previous cat
# Minou was a patient of yours" (set 158), "my late dog Rex used to love it here".
_PAST_PET_RE = re.compile(
    r"\b(?:my|our|his|her|their)\s+(?:late|previous|former|old|last|first)\s+(?:\w+\s+){0,2}?"
    r"(?:dog|cat|rabbit|bunny|hamster|parrot|budgie|bird|ferret|pet|pup|puppy|kitten)\s+"
    r"([a-z][a-z'-]+)\s+(?:came\s+to\s+you|was\s+(?:also\s+)?(?:a\s+)?(?:patient|client|seen|treated)"
    r"|used\s+to|passed|died|lived\s+to|is\s+buried)\b"
)
# A name put right, the one before said wrong: "PICKLE. not pickles. stupid phone" (set 152).
_NAME_FIXED_RE = re.compile(r"\b([a-z][a-z-]+)[,.!]*\s+not\s+([a-z][a-z-]+)\b")
# A person named by who they are to the writer: "my friend Sophie", "our neighbour Paul", "my
# mum Anne" (never a pet: "my dog Rex" names an animal, not a relative).
_RELATIVE_NAMED_RE = re.compile(
    r"\b(?i:my|our)\s+(?i:friend|husband|wife|partner|mum|mom|mother|dad|father|sister"
    r"|brother|son|daughter|neighbou?r|boss|colleague|flatmate|housemate|aunt|uncle|nan|gran"
    r"|grandma|grandad|grandpa|grandson|granddaughter|grandchild|stepson|stepdaughter|cousin"
    # ("my other half Max is going to bring our cat Olive in", set 149)
    r"|niece|nephew|girlfriend|boyfriend|fiancee?|other\s+half|better\s+half|hubby|spouse|landlord"
    # the people paid to help with the pet: "our dog walker Jess will bring Rolo in"
    r"|landlady|(?:dog\s+|pet\s+)?walker|(?:pet\s+|dog\s+|cat\s+)?sitter|nanny|au\s+pair|carer"
    r"|childminder|cleaner)\s+([A-Za-z][a-z'-]+)"
)
# ... with a comma, accents or a surname: "for my father, Gérard Moreau", "my neighbour Georges
# Henry (3rd floor)", "my late husband Maurice" (set 132): every word of the name a person's
_RELATIVE_FULL_RE = re.compile(
    r"\b(?i:my|our|his|her)\s+(?:(?i:late|dear|elderly|old|lovely)\s+)?(?i:friend|husband|wife"
    r"|partner|mum|mom|mother|dad|father|sister|brother|son|daughter|neighbou?r|boss|colleague"
    r"|aunt|uncle|nan|gran|grandma|grandad|grandpa|grandson|granddaughter|grandchild|stepson|stepdaughter|grandmother|grandfather|cousin|niece|nephew"
    r"|landlord|landlady|carer|employer)\s*,?\s+"
    r"(?P<who>[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?(?:[ \t]+[A-Z][^\W\d_]+){0,2})"
)
# A relative's name in brackets after the word: "Dad (Henri) would like Friday" (set 164).
_RELATIVE_BRACKETED_RE = re.compile(
    r"\b(?i:(?:my|our)\s+)?(?i:dad|father|mum|mom|mother|husband|wife|partner|son|daughter"
    r"|sister|brother|grandma|grandad|grandpa|gran|nan|neighbou?r|friend|uncle|aunt)\s*\(\s*"
    r"(?P<who>[A-Z][^\W\d_]+)\s*\)"
)
# A person named, then who they are: "Nadia, the volunteer who placed him", "Claire (his
# daughter)" (set 136).
_PERSON_APPOSED_RE = re.compile(
    r"\b(?P<who>[A-Z][^\W\d_]+)\s*(?:,\s*|\(\s*)(?:the|our|my|his|her|their|a)\s+(?:volunteer"
    r"|vet|nurse|breeder|neighbou?r|(?:pet[\s-]?)?sitter|dog[\s-]?walker|walker|groomer|friend"
    r"|daughter|son|husband|wife|partner|receptionist|doctor|mother|father|mum|dad|sister"
    r"|brother|carer|colleague|boss)\b"
    # (not a clause about someone: "my little poodle Fifi, the vet told us …", set 193)
    r"(?!\s+(?:told|tells|said|says|recommended|recommends|thinks|thought|wants|wanted|asked"
    r"|suggested|suggests|has|had|was|is|will|would|gave|gives|mentioned|did|does|found"
    r"|noticed|checked|saw|sees)\b)"
)
# A family named: "the Martin family", "the Duponts' dog".
_FAMILY_NAMED_RE = re.compile(r"\bthe\s+([A-Z][a-z'-]+?)(?:s'|s)?\s+(?i:family|household|kids)\b")
# A pet's owners named: "Her owners are Claire and Paul Martin", "the owner's name is Sue".
_OWNERS_NAMED_RE = re.compile(
    r"\b(?i:her|his|their|its|the)\s+(?i:owners?)(?:'s?\s+(?i:names?))?\s+(?i:is|are)\s+"
    r"(?P<names>[A-Z][a-z'-]+(?:(?:\s+(?i:and|&)\s+|\s+|,\s*)[A-Z][a-z'-]+){0,4})"
)
# The writer saying who they are: "Hi, Daisy here", "Claire here!" (opening the message or a
# sentence, or after a greeting).
_WRITER_HERE_RE = re.compile(
    r"(?:^|[.!?]\s*|\b(?i:hi|hello|hey|hiya|morning|evening)(?:\s+(?i:again|there|all))?[,!]?\s+)"
    r"([A-Z][a-z'-]+)\s+here\b"
    # (said on its own: not "Rex here has a cough")
    r"(?=\s*(?:[,.!:;-]|$|[\u2600-\u27bf\U0001f300-\U0001faff]))"
)
# An insurer named in brackets: "bill my insurance directly (Petplan)", "my insurer (Animal
# Friends)".
_INSURER_NAMED_RE = re.compile(
    r"\b(?i:insurance|insurer|insurers|insured|cover|policy)\b[^()]{0,25}\(\s*([A-Z][A-Za-z]+)"
)
# A person said with the writer: "Sam and I will bring both dogs", "me and Jo can come at 5".
_WITH_ME_RE = re.compile(
    r"\b([A-Z][a-z'-]+)\s+(?:and|&)\s+(?:I|me|myself)\b(?!')|\b(?i:me|myself)\s+(?:and|&)\s+"
    r"([A-Z][a-z'-]+)\b"
)
# A relative's name told after them: "my daughter will bring max tomorrow, her name is Emma"
# (no animal between the two: "my son's cat, her name is luna" names the cat).
_RELATIVE_NAME_TOLD_RE = re.compile(
    r"\b(?i:my|our)\s+(?i:friend|husband|wife|partner|mum|mom|mother|dad|father|sister|brother"
    r"|son|daughter|neighbou?r|aunt|uncle|nan|gran|grandma|grandad|grandpa|grandson|granddaughter|grandchild|stepson|stepdaughter|cousin|niece|nephew"
    # (not the pet's name told: "My grandson gave me a ferret …, his name is Hercule", set 158)
    r"|girlfriend|boyfriend)\b(?![^.?!]*\b(?i:cat|dog|kitten|puppy|rabbit|pet|hamster|ferret|guinea"
    r"\s+pig|parrot|budgie|bird|tortoise|gerbil|chinchilla|rat|mouse|bunny|pup)s?\b)"
    r"[^.?!]*?\b(?i:his|her|their)\s+name(?:'s|\s+is)\s+([A-Za-z][a-z'-]+)"
)
# A pet with a title for a name, where a pet goes: "can Mr Whiskers come in", "Miss Kitty needs
# her jabs", "Mr Tibbles's booster". Not Mrs or Ms, who are owners.
_PET_TITLED_RE = re.compile(
    r"\b(?i:mr|mister|miss)\.?\s+([A-Za-z][a-z'-]+)"
    r"(?=\s+(?i:come|comes|coming|have|has|needs?|is\s+due|in\b|being\s+(?:seen|checked|looked"
    r"|booked|groomed)|be\s+(?:seen|checked|looked|booked|groomed))|'s?\s+(?i:appointment|booster|jab"
    r"|jabs|vaccination|checkup|check-up|nails|teeth|groom|grooming|dental))"
)
# ... or given as the pet's name: "ours is called Mr Biscuit", "she's named Miss Kitty".
_CALLED_TITLED_RE = re.compile(
    r"(?:(?<=\bcalled\s)|(?<=\bnamed\s)|(?<=\bname\sis\s)|(?<=\bname's\s))"
    r"(?i:mr|mister|miss|lady|sir|lord|captain|princess|prince)\.?\s+([A-Za-z][a-z'-]+)"
)
# A note in brackets on a pet just named: "bella (new)", "rex (rescue)", "pip (4yo)".
_PET_NOTE_RE = re.compile(
    r"\s*\((?=[^)]*\b(?i:new|rescue|puppy|kitten|lab|labrador|spaniel|pug|terrier|collie|tabby"
    r"|cross|mix|boy|girl|male|female|senior|old|\d{1,2}\s*(?:yo|y/o|yrs?|years?|months?|mo)))"
    r"[a-z0-9/ ,'-]{1,30}\)"
)
# ... or said as the name of the kind of pet: "it's for the cat - Mr Tibbles", "our dog, Miss
# Daisy", "a rabbit called Mr Flopsy" (the group: the whole name, title and all).
_KIND_THEN_TITLED_RE = re.compile(
    r"\b(?i:cat|dog|kitten|puppy|pup|rabbit|bunny|hamster|guinea\s+pig|ferret|parrot|tortoise"
    r"|lab|labrador|spaniel|terrier|pug|collie)\s*(?:[-,:\u2013\u2014]\s*|\s+(?i:called|named)\s+)"
    r"((?i:mr|mister|miss|mrs)\.?\s+[A-Za-z][a-z'-]+)"
)
# A pet said to be well ("Rocky's fine"): ``without_pets_said_well``.
_WELL_NAME = (
    r"\b{}(?:'s|\s+is)\s+(?:fine|ok|okay|alright|all\s+right|better(?:\s+now)?)\b"
    r"(?!\s+(?:with|for|at|on|by|to)\b)"
)


# A name heading a sentence, joining the pets already talked about: "Bella too, friday at 10".
_JOINS_TOO_RE = re.compile(
    r"(?:^|[.?!,;]\s*)(?:and\s+|also\s+|plus\s+)?([a-z][a-z-]+)\s+(?:too|as\s+well|also)\b"
)
# A place named for its clock: "3pm Paris time", "10am New York time", "UK time".
_ZONE_RE = re.compile(r"\b([A-Z][A-Za-z]{1,19})(?:\s+([A-Z][a-z]{1,19}))?\s+(?i:time)\b")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """English stop words ("anyway", "however", "otherwise"): a capital on one of them starts a
    sentence, it does not make a name."""
    return frozenset(get_stop_words("en"))


@lru_cache(maxsize=4096)
def _ly_adverb(word: str) -> bool:
    """Whether ``word`` is an adverb in -ly and nothing else a name could be ("Kindly cancel
    it", "Sadly Max is ill", "Regrettably"; not "Holly", "Lily", "Jolly"), from lemminflect's
    English dictionary."""
    lemmas = getAllLemmas(word)
    return (
        word.endswith("ly")
        and bool(lemmas.get("ADV"))
        and not any(lemmas.get(pos) for pos in ("NOUN", "PROPN"))
    )


def _plain_word(word: str) -> bool:
    """A word of plain English that a capital does not make a name: a stop word or an -ly
    adverb."""
    return word in _common_words() or _ly_adverb(word)


_DAY_WORDS = ("today", "tomorrow", "tonight", *WEEKDAY_NAMES)
# A day as written after a name: "Max wed 3", "Bella tomorrow".
_A_DAY = (
    r"(?i:today|tomorrow|tmrw|tonight|mon|tues?|wed|weds|thu|thurs?|fri|sat|sun"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
# Words that head a message before a day without being a name.
_TIME_WORDS = {
    *_DAY_SHORTHANDS,
    "tmrw",
    "tmr",
    "tomoz",
    "lunch",
    "lunchtime",
    "noon",
    "midday",
    "arvo",
    # the British day's breaks: "elevenses thursday?", "teatime tomorrow?"
    "elevenses",
    "teatime",
    "anytime",
    "sometime",
    "maybe",
    "hopefully",
    "either",
    "ideally",
    "preferably",
    "possibly",
    "perhaps",
    "early",
    "late",
    "later",
    "next",
    "this",
    "asap",
    "also",
    "same",
    "free",
    "not",
    "except",
    "or",
    "how",
    "what",
    "when",
    "is",
    "are",
    "any",
    "booked",
    "book",
    "cancel",
    "move",
    "reschedule",
    "yes",
    "no",
    "ok",
    "okay",
    "sure",
    "great",
    "perfect",
    "fine",
    "thanks",
    "cheers",
    "open",
    "closed",
    "back",
    "busy",
    "away",
    "off",
    "work",
    "working",
    "only",
    "just",
    "until",
    "till",
    "from",
    "after",
    "before",
    "every",
    "checkup",
    "check",
    "vaccination",
    "vaccine",
    "jab",
    "jabs",
    "dental",
    "grooming",
    "groom",
    "nails",
    "consult",
    "consultation",
    "appointment",
    "appt",
    "visit",
    "booking",
    "urgent",
    "emergency",
}


# A pet's name heading the message before what it needs or when: "Rocky for a checkup on the
# 11th", "max checkup tmrw@3", "Oscar, Dec 9 at 9:30?". Words that head such a message without
# being a name ("annual checkup", "Cool, friday at 10") are left out by ``_NOT_HEADING``.
_HEADING_NAME_RES = (
    re.compile(
        r"^([a-z][a-z-]+)\s+(?:(?:for|needs)\s+)?(?:(?:a|an|his|her|their|the)\s+)?"
        r"(?:checkup|check-up|check\s+up|jabs?|vaccinations?|vaccines?|booster|dental|teeth"
        r"|grooming|groom|nail\s+trim|nails|consultation|consult|appointment|appt|visit)\b"
    ),
    # ... or before what is hers, however it is spelt: "luna needs her vacation shot" (an
    # autocorrected "vaccine shot")
    # ("hiya rex needs his booster, tmrw 4pm ok?": after a greeting too)
    re.compile(
        r"^(?:(?:hi|hiya|hello|hey|morning)\s+)?([a-z][a-z-]+)\s+(?:needs|is\s+due)\s+"
        r"(?:his|her|their|its)\s+\w"
    ),
    re.compile(
        rf"^([a-z][a-z-]+)\s*,\s*(?:{_A_DAY}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct"
        r"|nov|dec)[a-z]*\.?\s*\d|the\s+\d|\d)"
    ),
)
# ... or misspelt ("wdnsday", "frdy"): any word, kept only where ``misspelt_weekday`` reads a day.
# A name given a day of its own after another's: "bella tomorrow at 9 … and then max on
# wednesday" (the first, where a pet goes before a day, is then looked for too)
_AND_PET_ON_DAY = (
    rf"\b(?:and|&)\s+(?:then\s+|also\s+)?([a-z][a-z-]+)\s+(?:on\s+|this\s+|next\s+)?{_A_DAY}"
)
_A_DAY_OR_MISSPELT = rf"(?:{_A_DAY}|(?P<misspelt>[a-z]{{4,10}})\b)"
# A pet's name where one goes just before a day ("book max tomorrow", "luna tmrw 3pm", "need to
# bring max friday", "book luna wdnsday at 10"), or opening a sentence after a question ("do you
# do nail trims? if so bella friday at 10").
_BEFORE_A_DAY_RES = (
    re.compile(
        rf"\b(?:book|booking|rebook|move|cancel|reschedule|bring|squeeze|fit)\s+([a-z][a-z-]+)"
        rf"\s+(?:in\s+)?(?:on\s+)?{_A_DAY_OR_MISSPELT}"
    ),
    re.compile(
        rf"(?:^|[.?!]\s*)(?:(?:ok|okay|so|then|if\s+so|if\s+yes|if\s+not|otherwise)\s+)?"
        rf"([a-z][a-z-]+)\s+{_A_DAY_OR_MISSPELT}"
    ),
    # "bella any morning next week", "rex next week sometime"
    re.compile(
        r"^([a-z][a-z-]+)\s+(?:any\s+(?:morning|afternoon|evening|day|time)|(?:this|next)\s+week)\b"
    ),
    # the next of a list: "book bella tomorrow 3pm and max thursday 10am"
    re.compile(rf"\b(?:and|&|plus)\s+([a-z][a-z-]+)\s+(?:on\s+)?{_A_DAY_OR_MISSPELT}"),
)
_NOT_HEADING = {
    "annual",
    "routine",
    "regular",
    "yearly",
    "usual",
    "normal",
    "flu",
    "rabies",
    "puppy",
    "kitten",
    "cool",
    "lovely",
    "brilliant",
    "fab",
    "awesome",
    "wonderful",
    "excellent",
    "nice",
    "erm",
    "sounds",
    # greetings in the languages customers mix in ("Bonjour, thursday 10am")
    "bonjour",
    "bonsoir",
    "salut",
    "coucou",
    "hola",
    "buenos",
    "ciao",
    "buongiorno",
    "hallo",
    "guten",
    "moin",
    "ola",
    "olá",
    "hej",
    "howdy",
    "yo",
    "greetings",
    "monthly",
    "weekly",
    "follow-up",
    "followup",
    "second",
    "last",
    "final",
    # chat words and superlatives that head a message before a day ("lol friday at 2", "nah
    # saturday", "earliest friday?"): never a pet's name there
    "lol",
    "haha",
    "thx",
    "thanx",
    "ty",
    "tysm",
    "nah",
    "ya",
    "yah",
    "yup",
    "righto",
    "brill",
    "super",
    "aye",
    "err",
    "kk",
    "earliest",
    "soonest",
    "latest",
}


def _may_be_listed(word: str, message: str, people: set[str], lower_case: bool) -> bool:
    """Whether ``word`` (lower case), read where a listed pet's name goes, may be one: no word
    of English, of time or of a person, and written with a capital unless the writer uses
    none (``lower_case``)."""
    if word in _NOT_NAMES or word in _NOT_HEADING or word in _TIME_WORDS or word in ANIMALS:
        return False
    if _plain_word(word) or word in people or _day_like(word):
        return False
    return (
        lower_case
        or re.search(rf"\b{word[:1].upper()}{re.escape(word[1:])}\b", message) is not None
    )


# What follows a name that heads a clause ("my cat sprinkles needs a jab", "my dog rex and
# my cat"): a verb's form there is still the name.
_PREDICATE_RE = re.compile(
    r"\s*(?:'s\b|needs?\b|has\b|had\b|is\b|was\b|will\b|won't\b|can\b|can't\b|should\b"
    r"|must\b|and\b|too\b|as\s+well\b|[,.!?;:]|$)"
)
# An object after a verb: "hurt his paw", "cut her leg", "bolted the door"
_OBJECT_RE = re.compile(r"\s+(?:his|her|its|their|the|a|an|my|our|me|us|him|them|it|itself)\b")


@lru_cache(maxsize=4096)
def _verb_form(word: str) -> tuple[bool, bool]:
    """(only a verb's inflected form: "ate", "chased", "seems", not "pebbles" or "sprinkles",
    nouns too; a verb at all), from lemminflect's English dictionary."""
    lemmas = getAllLemmas(word)
    verbs = lemmas.get("VERB", ())
    other = any(lemmas.get(pos) for pos in ("NOUN", "ADJ", "PROPN"))
    return bool(verbs) and word not in verbs and not other, bool(verbs)


def _acts(word: str, after: str) -> bool:
    """Whether ``word``, followed by ``after``, is what a pet did rather than its name: a
    verb's past or present form not heading a clause ("my dog ate chocolate"), or any verb
    with an object ("my cat hurt her paw")."""
    inflected, verb = _verb_form(word)
    if inflected and not _PREDICATE_RE.match(after):
        return True
    return verb and _OBJECT_RE.match(after) is not None


def _day_like(word: str) -> bool:
    """Whether ``word`` is a day word or a typo of one ("tomorow", "wenesday"), or a weekday
    shortened without its vowels ("thrs", "frdy": ``misspelt_weekday``)."""
    if misspelt_weekday(word) is not None:
        return True
    if len(word) < 5:
        return False
    found = process.extractOne(word, _DAY_WORDS, scorer=fuzz.ratio)
    return found is not None and found[1] >= 80


def _title(name: str) -> str:
    """``name`` capitalised, without a possessive's apostrophe after it ("waffles'" → Waffles)."""
    name = name.rstrip("'\u2019")
    return name[:1].upper() + name[1:].lower()


# Words capitalised by habit or by the keyboard, not because they are names: "I", days,
# months and holidays ("r u open on Christmas Day? if not ... for ginger's booster").
_HABIT_CAPITALS = {
    "i",
    "i'm",
    "i'll",
    "i've",
    "i'd",
    "christmas",
    "xmas",
    "easter",
    "eve",
    "day",
    "new",
    "year",
    "boxing",
    *(w.lower() for w in WEEKDAY_NAMES),
    # months, but not May: capitalised mid-sentence it is as likely a pet
    *(m.lower() for m in calendar.month_name if m and m != "May"),
    # and their short forms ("the 11th Dec at 5"), weekdays' too ("Thurs 10th")
    *(m.lower() for m in calendar.month_abbr if m and m != "May"),
    "sept",
    "mon",
    "tue",
    "tues",
    "wed",
    "weds",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
}


def _writes_in_lower_case(message: str) -> bool:
    """Whether the writer uses no capitals of their own: every capitalised word opens the
    message or a sentence, or is capitalised by habit (``_HABIT_CAPITALS``), or is a person
    named as such ("my daughter Rose named them"). Their pets' names are then in lower case
    too."""
    people = {
        found.group(1).lower().removesuffix("'s") for found in _RELATIVE_NAMED_RE.finditer(message)
    }
    # (the writer's own name signed: "… thanks!! Maya", "thank u!! Rosie x", set 158)
    people |= signed_names(message)
    # (where they are or come from: "we just moved here from Marseille. my cat falafel …", set
    # 178)
    people |= {w.lower() for found in _PLACE_RE.finditer(message) for w in found.groups() if w}
    for found in re.finditer(r"\b[A-Z][\w']*", message):
        opens = re.search(r"(?:^|[.!?]\s*)$", message[: found.start()]) is not None
        word = found.group(0).lower().removesuffix("'s")
        # (a word in capitals is emphasis, not a name: "oreo AND bandit", "NOT friday", "and
        # ROLLED in it")
        shouted = (
            found.group(0).isupper()
            and (
                word in _common_words()
                or (len(word) > 3 and bool(getAllLemmas(word)))
                # an acronym beside lower-case words: "her myxo/RHD vaccine" (set 229)
                or (
                    2 <= len(word) <= 5
                    and "/" in message[max(0, found.start() - 1) : found.end() + 1]
                )
            )
        )
        if not opens and not shouted and word not in _HABIT_CAPITALS and word not in people:
            return False
    return True


# A greeting of the day or season: "Happy Monday", "Merry Christmas", "Happy New Year"
_GREETING_RE = re.compile(
    r"\b(?:Happy|Merry|HAPPY|MERRY)\s+(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|christmas"
    r"|xmas|new\s+year|holidays|easter|birthday|hols)\b"
)
_HOLIDAY_EVE_RE = re.compile(
    r"\b(?:christmas|xmas|new\s+year'?s?)\s+eve\b"
    # ... and holidays named with a capital: "Are you open on Boxing Day?"
    r"|\b(?:boxing|christmas|new\s+year'?s?|bastille|armistice|labour|may|all\s+saints'?|ascension"
    r"|victory)\s+day\b|\b(?:easter|whit|pentecost)\s+(?:monday|sunday)\b",
    re.IGNORECASE,
)
# Breeds written with a capital ("a little Westie", "our Labrador"): what the pet is, not its
# name.
_BREEDS = {
    "westie", "labrador", "lab", "spaniel", "cocker", "poodle", "beagle", "collie", "terrier",
    "dachshund", "chihuahua", "husky", "pug", "bulldog", "frenchie", "retriever", "schnauzer",
    "corgi", "yorkie", "staffie", "dalmatian", "doberman", "rottweiler", "greyhound", "whippet",
    "shepherd", "alsatian", "maltese", "pomeranian", "sheltie", "springer", "setter", "pointer",
    "weimaraner", "vizsla", "samoyed", "akita", "shiba", "cavapoo", "cockapoo", "labradoodle",
    "goldendoodle", "siamese", "persian", "ragdoll", "bengal", "sphynx", "burmese", "abyssinian",
    "shih", "kelpie", "lop", "lurcher", "bichon", "cavalier", "boxer", "tabby", "maine", "coon",
    "shorthair", "longhair", "birman", "ragamuffin", "havanese", "mastiff", "newfoundland",
    "sprocker", "russell", "jrt", "basset", "bloodhound", "dobermann", "malinois", "ridgeback",
    "lhasa", "papillon", "pekingese", "saluki", "borzoi", "spitz", "keeshond", "moggy", "moggie",
    "mongrel", "mutt", "lionhead", "angora", "tortie", "tortoiseshell",
}  # fmt: skip
# A street address: "18 rue Saint-Maur", "4 rue Oberkampf", "12 Baker Street", "avenue de la
# République": its capitalised words are a street's, never a pet's.
_ADDRESS_RE = re.compile(
    r"\b(?:rue|avenue|av\.?|boulevard|bd|place|all[ée]e|impasse|quai|chemin|route|cours|passage"
    r"|square)\s+(?:(?:de|du|des|de\s+la|de\s+l'|d')\s*)?[A-Z][\w'-]*(?:[\s-]+[A-Z][\w'-]*){0,3}"
    r"|\b\d{1,4}\s+(?:[A-Z][\w'-]*\s+){1,3}(?:Street|St|Road|Rd|Lane|Avenue|Ave|Drive|Close"
    r"|Crescent|Way|Place|Square|Gardens)\b",
    re.IGNORECASE,
)


# "can crisps come thursday at 11?", "could pudding pop in" (a pronoun, a person or a word of
# the language is never taken; the word is no verb there, whatever the dictionary says)
_CAN_PET_COME = (
    r"^(?:(?:hi|hey|hello|morning|ok|okay)\s+)?(?:can|could|cn|cud|cld)\s+([a-z][a-z-]+)\s+(?:come"
    r"|pop)\s+(?:in\b|by\b|along\b|(?:on\s+|this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur"
    r"|sun)day|tomorrow|today|at\s+(?:\d|half\b|quarter\b))"
    # "kobe still needs to come wednesday at 10.30", heading a sentence (set 180)
    r"|(?:^|[.!?,]\s+)([a-z][a-z-]+)\s+(?:still\s+)?needs\s+to\s+(?:come|be\s+seen|pop)\b"
)


# A capitalised word opening a sentence, then a past deed: "Boots rolled in fox poo", "Pip
# swallowed a sock"
_DEED_OPENER_RE = re.compile(
    r"(?:^|[.!?]\s+)([A-Z][a-z]{1,14})\s+(?:has\s+|just\s+)?([a-z]{3,14})\b"
)
_PET_PRONOUN_RE = re.compile(r"\b(?:he|she|him|her|his)\b", re.IGNORECASE)
# What people do, not pets ("Sarah called, she wants to book Max")
_PEOPLES_DEEDS = {
    "said",
    "called",
    "rang",
    "phoned",
    "asked",
    "told",
    "wanted",
    "wondered",
    "texted",
    "messaged",
    "mentioned",
    "emailed",
    "booked",
    "thought",
    "decided",
    "suggested",
    "recommended",
    "wrote",
    "replied",
    "paid",
    "forgot",
    "remembered",
    "arranged",
    "agreed",
    "promised",
}
# ... or done to a pet, which its doer is not: "Marie dropped him off"
_ON_A_PET_RE = re.compile(r"\s+(?:him|her|them|it)\b")
# Who else may open a sentence with a deed: people, not pets ("Vet said …", "Kids let him out")
_PEOPLE_WORDS = {
    "vet",
    "vets",
    "nurse",
    "doctor",
    "kids",
    "children",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "nobody",
    "people",
    "neighbours",
    "neighbors",
    "breeder",
    "groomer",
    "sitter",
    "walker",
    "babysitter",
    "family",
    "friends",
    "guys",
    "folks",
    "police",
    "work",
    "school",
    # the writer's family, a word and no name: "Mother has the hairdresser on Thursday
    # mornings" (set 158)
    *("mother", "father", "mum", "mom", "mummy", "mommy", "dad", "daddy", "husband", "wife"),
    *("son", "daughter", "grandma", "grandad", "grandpa", "granny", "nan", "nana", "sister"),
    *("brother", "hubby", "aunt", "auntie", "uncle", "cousin", "grandson", "granddaughter"),
}
# Time words that are pets' names too ("Midnight", a black cat's): a name when written with a
# capital where a pet goes and not after a word of time ("open till Midnight?").
_TIME_PET_NAMES = {"midnight", "noon"}


def _time_named_pet(word: str, message: str, start: int) -> bool:
    """Whether ``word``, a time word at ``start`` of ``message``, is written as a pet's name."""
    if word not in _TIME_PET_NAMES or not message[start : start + 1].isupper():
        return False
    before = message[:start].lower().split()
    return not before or before[-1] not in {
        "at",
        "till",
        "til",
        "until",
        "by",
        "before",
        "after",
        "past",
        "from",
        "around",
        "about",
        "to",
        "gone",
    }


# The pet, then its visit: "can i get pepper a check up", "book bella a groom" (never a verb:
# "pepper" is no seasoning here).
_PET_THEN_VISIT = (
    r"\b(?:get|book|bring|give)\s+(?!(?:him|her|them|it|me|us|my|our|the|a|an|one)\b)"
    r"([a-z][a-z-]+)\s+(?:a|an|her|his|their|its)\s+(?:check|jab|vacc|booster|groom|nail"
    r"|dental|consult|appointment|appt|slot)"
)
# "my cat", "my dog": a pet the burst is about, its name perhaps on a line of its own.
_MY_PET_RE = re.compile(
    r"\b(?:my|our)\s+(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|guinea\s+pig|ferret|pup)\b"
)
# A line that names the pet, then how it is: "nutmeg, shes been sick", "rolo - he's limping".
_NAME_THEN_HOW_RE = re.compile(r"([a-z][a-z-]{2,14})\s*[,-]\s*(?:she|he|shes|hes|she's|he's)\b")


# The next pet of a list and its own service: "… and then bella a check up straight after",
# "and milo for his jab", "… and clyde just his booster", "could salem have a check up and jinx
# her vaccine" (a name that is also a word, all the same: set 150).
_AND_PET_SERVICE = (
    r"\b(?:and|n|&)\s+(?:then\s+)?(?!(?:then|also|maybe|just|me|us|you|him|her|them|it|a|an|the"
    r"|his|her|their|my|our|i|we|he|she|they|one|another|other|today|tomorrow|now|later|please|pls"
    r"|next|after|before|book|get|give|have|do|add|put|make|include|squeeze|fit|pop|see|want"
    r"|need|needs|maybe|possibly|perhaps|same|for|with|at|on|in)\b)([a-z][a-z-]+)\s+"
    r"(?:(?:just|only|also)\s+)?(?:for\s+)?"
    r"(?:a|an|his|her|their)\s+(?:check|jab|vacc|booster|groom|nail|dental|consult|bath|trim)"
)


# A pet said to be due its service: "misty is due her jab", "rex's overdue his booster" (a name
# that is also a word all the same).
_PET_DUE_SERVICE = (
    r"\b(?!(?:she|he|it|they|that|this|everything|everyone|payment|bill|who|which|what|one)\b)"
    r"([a-z][a-z-]+)(?:'s|\s+is)\s+(?:over)?due\s+(?:for\s+)?(?:his|her|their|a|an)\s+"
    r"(?:jab|vacc|booster|check|groom|nail|dental)"
    # "jinx must be due about now too" (set 174)
    r"|\b(?!(?:she|he|it|they|that|this|everything|everyone|payment|bill|who|which|what|one|rent"
    r"|baby|mine|yours)\b)([a-z][a-z-]+)\s+(?:must|should|will|might|may)\s+be\s+(?:over)?due\s+"
    r"(?:about\s+now|now|too|as\s+well|soon|around\s+now)\b"
)
# The pets of a kind counted, then listed: "all 3 cats need their vaccines before we go away -
# domino, ginger and pudding" (names that are also words, all the same: set 170).
_PETS_LISTED = (
    r"\b(?:all\s+|the\s+|my\s+|our\s+)?(?:\d|two|three|four|both)\s+(?:cats|dogs|kittens|puppies"
    r"|rabbits|pets|boys|girls)\b[^.?!\n]{0,80}?\s[-\u2013:]\s*([a-z][a-z-]+),\s*([a-z][a-z-]+)"
    r"(?:,?\s+(?:and|&)\s+([a-z][a-z-]+))?\b"
)
# A request written as a note, the pet first: "bramble dental wed 9am", "fig her jabs wed at 11"
# (at the start of the message or of a clause, after a comma or an emoji).
_PET_SERVICE_DAY = (
    r"(?:^|[,;:.!?\u2600-\u27bf\U0001f300-\U0001faff]\s*|\n\s*)(?:and\s+)?"
    r"(?!(?:a|an|the|my|our|his|her|their|and|then|also|just|only|pls|please|its|it's|i|we|annual"
    r"|yearly|routine|full|general|quick|usual|regular|first|second|next|last|another|puppy|kitten"
    r"|proper|normal|basic|new|book|need|needs|want|get)\b)"
    r"([a-z][a-z-]+)\s+(?:(?:his|her|their|a|an|the)\s+)?(?:dental|jabs?|boosters?|vacc\w*"
    r"|groom\w*|check[\s-]?up|nails?|nail\s+trim)\s+(?:on\s+)?(?:mon|tues?|wed|weds|thu|thurs?|fri"
    r"|sat|monday|tuesday|wednesday|thursday|friday|saturday|today|tomorrow|tmrw|next)\b"
)


def _paired_with_capital(message: str, found: re.Match[str], at: int, word: str) -> bool:
    """Whether ``word`` (group ``at`` of ``found``, a pattern's match in the lowered
    ``message``) is joined by "and" to another name of the same match that is capitalised:
    "my two cats mango and Juniper", "book ollie and Bean in" (set 176, dictated: the phone
    capitalises one name of two). Never a word of plain English."""
    if _plain_word(word) or word in _TIME_WORDS or _day_like(word):
        return False
    for other in range(1, (found.re.groups or 0) + 1):
        if other == at or found.group(other) is None:
            continue
        first, second = sorted((at, other))
        between = message[found.end(first) : found.start(second)].lower()
        partner = message[found.start(other) : found.end(other)]
        if re.fullmatch(r"\s*(?:and|&)\s*", between) and partner[:1].isupper():
            return True
    return False


def _candidate_names(message: str, *, capitals: bool = True) -> list[str]:
    """Names written in the message, in order: in the places names go ("for Felix", "my dog
    Rex", "Nala's appointment"), and with ``capitals`` any other capitalised word that is not
    a known word."""
    out: list[str] = []
    # "Christmas Eve", "New Year's Eve": a day, not a pet named Eve (the same length in lower
    # case, so positions still match)
    message = _HOLIDAY_EVE_RE.sub(lambda m: m.group(0).lower(), message)
    # "Happy Monday 😊", "Merry Christmas": a greeting, not a pet named Happy
    message = _GREETING_RE.sub(lambda m: m.group(0).lower(), message)
    # "book bella (new) for a jab": a note on the pet, blanked (same length) so the name stands
    # where names go
    message = _PET_NOTE_RE.sub(lambda m: " " * len(m.group(0)), message)
    message = _ADDRESS_RE.sub(lambda m: m.group(0).lower(), message)  # a street's words
    # "a 9-year-old Jack Russell", "our Scottish terrier, Dougal": a breed's words (set 129)
    message = _BREED_PHRASE_RE.sub(lambda m: m.group(0).lower(), message)
    shouting = message.upper() == message
    # the swaps keep every word's length, so positions still match ``message``
    lowered = _SWAPPED_ANIMAL_RE.sub(
        lambda m: f"{m.group(1)} {_SWAPPED_ANIMALS[m.group(2)]}", message.lower()
    )
    lower_writer = _writes_in_lower_case(message)
    signers = signed_names(message)
    patterns = [
        r"\bfor\s+([a-z][a-z'-]+)",
        # "my cat smudge", "our little dog rex", "my 14 year old cat smudge", "my son's hamster
        # nibbles", "a new puppy, biscuit"
        # ("I'm looking after her cat réglisse": a neighbour's, set 136)
        r"\b(?:my|mi|our|his|her|their|a|(?:my|our)\s+(?:[a-z]+'s|neighbou?rs|friends|mums|moms"
        r"|sisters|brothers|dads|girlfriends|boyfriends|wifes|husbands|partners|nans|grans"
        r"|grandmas|grandads|aunts|uncles|cousins|neighbors"
        r"|parents|daughters|sons))\s+"
        r"(?:(?:little|old|young|elderly|senior|new|other|second|older|younger|big"
        r"|\d{1,2}[\s-]+(?:year|yr|month)s?"
        r"[\s-]+old)\s+)*(?:cat|dog|kitten|puppy|pup|kitty|bunny|doggy|doggie|doggo|pooch|moggy"
        r"|rabbit|hamster|parrot|guinea\s+pig|tortoise|gerbil|chinchilla|budgie|goat|pony"
        # ("we just brought home our puppy!! 🐶 noisette, cocker spaniel", set 178)
        r"|bird|ferret|pet)(?:,|!+|:)?\s+(?:[\u2600-\u27bf\U0001f300-\U0001faff]+\s*)?"
        r"(?:called\s+|named\s+)?([a-z][a-z'-]+)",
        # ... or after its breed: "My little terrier Marmite has a bad smell in his ear" (set
        # 158; not "smudge is a shih tzu")
        r"\b(?:my|our|his|her|their)\s+(?:(?:little|old|young|elderly|senior|new|other|big)\s+)*"
        rf"(?:{'|'.join(sorted(_BREEDS))})\s+(?:called\s+|named\s+)?"
        rf"(?!(?:{'|'.join(sorted(_BREEDS))}|cat|dog|puppy|kitten|rabbit|bunny|cross|mix)\b)"
        r"([a-z][a-z'-]+)",
        # the pet named after what it is, between commas: "we've just adopted a retired racing
        # greyhound, comète, through …" (set 136)
        # (not a pet of the past: "when her previous dog, Frou-Frou, was ill", set 129)
        r"\b(?:my|our|his|her|their|a|an)\s+"
        r"(?:(?!(?:previous|late|former|last|first|childhood|beloved)\b)[a-z-]+\s+){0,3}"
        rf"(?:{'|'.join(sorted(_BREEDS))}|cat|dog|kitten|puppy|rabbit|bunny|hamster|ferret"
        r"|guinea\s+pig|parrot|budgie|bird|tortoise),\s+([a-z][a-z'-]+)\s*(?=[,(]|\s+(?:and|who)\b)",
        # "mango (our cat) has a swollen cheek", "pumpkin (my pomeranian) needs a groom"
        r"\b([a-z][a-z'-]+)\s*\(\s*(?:my|our|the)\s+[a-z][a-z ]{1,30}\)",
        # ... a longer aside: "florence (our house rabbit, a big grey lionhead, she rules the
        # flat) needs her nails clipped" (set 129)
        r"\b([a-z][a-z'-]+)\s*\(\s*(?:my|our|the)\s+(?:[a-z]+\s+){0,3}(?:cat|dog|kitten|puppy"
        r"|rabbit|bunny|hamster|ferret|guinea\s+pig|parrot|budgie|bird|tortoise)\b[^()]{0,90}\)",
        # the pet, then what it is, after a comma: "Anyway!! Percy, our rabbit (a lop), has
        # claws that are getting really long" (set 129)
        r"(?:^|[.!?]\s*)([a-z][a-z-]+),\s+(?:our|my)\s+(?:(?:little|old|young|elderly|new|house"
        r"|pet|big|lovely|beloved)\s+)*(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|ferret"
        r"|guinea\s+pig|parrot|budgie|bird|tortoise)\b",
        # ("when's simba's next appointment?")
        # ("need waffles' nails clipping", set 204: a name ending in "s", its possessive "s'")
        # (not the pets counted: "both girls' vaccinations", set 187)
        r"\b(?!(?:girls|boys|dogs|cats|kittens|puppies|pets|kids|babies|rabbits|twins|animals|lads"
        r"|ladies)'\s)([a-z][a-z-]+?(?:(?<=s)(?='\s)|(?='s)))'s?\s+(?:(?:next|last|upcoming|first"
        r"|usual|new"
        r"|latest|yearly)\s+)?"
        r"(?:appointment|booking|visit|checkup|check-up|check\s+up|vaccinations?"
        r"|jabs?|shots?|boosters?|dental|teeth|groom|grooming|nail\s+trim|nails|annual)",
        # one more pet, alone in the message: "and hazel", "+ luna?", "oh and bella too" (set
        # 205)
        r"^\s*(?:oh\s+)?(?:and|plus|\+|also)\s+([a-z][a-z-]+)(?:\s+(?:too|as\s+well|also|please"
        r"|pls))*\W*$",
        # "can u see dotty now? shes limping" (set 205)
        r"\b(?:can|could)\s+(?:you|u)\s+(?:please\s+)?(?:see|fit|squeeze)\s+([a-z][a-z-]+)\s+"
        r"(?:in\s+)?(?:now|today|tomorrow|tmrw|this\s+(?:morning|afternoon|evening)|asap|soon"
        r"|at\b|on\b|(?:mon|tues|wednes|thurs|fri|satur)day)\b",
        # "can you add fudge then please, same time" (set 216): a pet added to a visit
        r"\b(?:can|could)\s+(?:you|u)\s+(?:please\s+)?(?:just\s+)?add\s+(?!(?:a|an|the|on|it|that|this"
        r"|some|his|her|their|my|our|me|us|him|them)\b)([a-z][a-z-]+)\s+"
        r"(?:in\s+|on\s+|too\b|as\s+well\b|then\b|please\b|pls\b|to\b|at\b|for\b)",
        _UNWELL,
        # a body part's owner: "max's paw this morning, swollen", "the lump on coco's side"
        r"\b(?!(?:husband|wife|son|daughter|mum|mom|dad|partner|friend|neighbou?r|kid|child|baby"
        r"|brother|sister|boyfriend|girlfriend|it|that|what|he|she|there|who|one|vet|nurse|doctor"
        r"|owner|cat|dog|kitten|puppy)'s)([a-z][a-z-]+)'s\s+(?:(?:left|right|front|back|hind|lower"
        r"|upper)\s+)?(?:paws?|legs?|ears?|eyes?|tail|skin|side|belly|tummy|stomach|tooth|mouth"
        r"|nose|neck|lump|fur|coat|breathing|foot|feet|hips?|bum|claws?|wound|cut|rash|toes?|teeth"
        r"|nails|breath|stitches|stitch|scar|incision|wound|bandage|dressing|cone)\b",
        # ... its apostrophe left out, told how it is: "gingers ear is really bothering him"
        # (set 166)
        r"\b(?!(?:this|does|dogs|cats|pets|boys|girls|kids|mums|dads|moms|kittens|puppies|yours"
        r"|ours|theirs|hers|lots|loads|tons)\b)([a-z][a-z-]{2,})s\s+(?:(?:left|right|front|back"
        r"|hind)\s+)?(?:ears?|eyes?|paws?|legs?|tail|teeth|nails|claws|tummy|stomach|breath"
        r"|stitches|skin|fur|coat)\s+(?:is|are|has|have|was|were|looks?|seems?|keeps?|really"
        r"|still|been|getting|hurts?|bothering|red|sore|swollen|infected|bleeding)\b",
        # "how much is a consultation these days? zeus needs one thursday at 3" (set 170)
        r"(?:^|[.!?,]\s*|\b(?:and|so|but)\s+)(?!(?:everyone|someone|nobody|he|she|it|which|each|one"
        r"|who|that|this|mine|everybody|somebody)\b)([a-z][a-z-]+)\s+needs\s+one\b",
        # "trying to work out what peaches needs" (set 165)
        r"\bwhat\s+(?!(?:she|he|they|it|we|i|you|the|my|our|his|her|their|everyone|each)\b)"
        r"([a-z][a-z-]+)\s+(?:really\s+|actually\s+)?(?:needs|should\s+have)\b",
        # two pets and what they both need: "rusty and lulu both need their nails doing" (set 170)
        r"\b([a-z][a-z-]+)(?=\s+(?:and|&)\s+[a-z][a-z-]+\s+(?:both\s+)?need\s+(?:their|a|an|the)\b)",
        r"\b[a-z][a-z-]+\s+(?:and|&)\s+([a-z][a-z-]+)\s+(?:both\s+)?need\s+(?:their|a|an|the)\b",
        # a name and its time after a word of agreement: "perfect, poppy at 4 tomorrow then
        # please" (set 169)
        r"^(?:(?:perfect|great|lovely|brilliant|ok|okay|right|cool|fab|super|ah|oh)[,!.]?\s+)+"
        r"(?!(?:lunch|work|home|school|nursery|dinner|breakfast|me|us|him|her|them|it|that|this"
        r"|then|say|around|about|maybe|just|only|half|quarter|noon|midday|tomorrow|today)\b)"
        r"([a-z][a-z-]+)\s+at\s+(?=\d|half|quarter)",
        # ... had: "dexter's got grubby teeth and claws like a velociraptor"
        r"\b(?!(?:it|that|what|he|she|there|who|one|where|here)'s)([a-z][a-z-]+)'s\s+got\s+"
        r"(?:[a-z]+\s+){0,2}(?:teeth|claws|nails|fur|coat|ears?|eyes?|paws?|skin|breath|fleas"
        r"|worms|a\s+(?:cough|limp|lump|rash|cut|sore))\b",
        # the pet's things, unnamed: "clover's are getting really long" (her nails)
        r"\b(?!(?:it|that|what|he|she|there|who|one|where|here|how|let)'s)([a-z][a-z-]+)'s\s+(?:are"
        r"|were)\s+(?:getting|really|so|too|very|a\s+bit|quite|long|overgrown|curling|sore)\b",
        # ("thinking of bringing oscar in for a check up")
        r"\b(?:get|getting|bring|bringing|have|having|see|seeing|fit|fitting|squeeze|pop|popping"
        r"|need|want)\s+([a-z][a-z-]+)\s+(?:in|over|again"
        r"|checked|seen|looked|along)\b",
        # "could i bring pip too?" (set 220): another pet brought along
        r"\b(?:i|we)\s+(?:bring|brought)\s+(?!(?:him|her|them|it|my|our|the|a|an|his|their|both"
        r"|everyone|all)\b)([a-z][a-z-]+)\s+(?:too|as\s+well|along|with\b)",
        # "whats the latest you could see rocky on friday?" (set 128)
        r"\b(?:could|can|you)\s+see\s+(?!(?:him|her|them|us|me|it|you|my|our|the|a|an|what"
        r"|if|when|how|whether)\b)([a-z][a-z-]+)\s+(?:on|this|next|tomorrow|today|tmrw|at)\b",
        _CAN_PET_COME,
        # "can coco be groomed saturday", "could rex be seen today"
        r"\b(?:can|could|cn)\s+(?!(?:it|that|this|he|she|they|we|i|you|there|one)\b)([a-z][a-z-]+)"
        r"\s+(?:be|get)\s+(?:groomed|seen|checked|vaccinated|jabbed|booked|looked\s+at|clipped"
        r"|trimmed|examined)\b",
        # "any chance indy could be groomed this afternoon??" (set 159)
        r"\b(?:chance|if|whether|hoping|wondering)\s+(?!(?:it|that|this|he|she|they|we|i|you|there"
        r"|one)\b)([a-z][a-z-]+)\s+(?:could|can|might|would)\s+(?:be|get)\s+(?:groomed|seen|checked"
        r"|vaccinated|jabbed|booked|looked\s+at|clipped|trimmed|examined)\b",
        _PET_THEN_VISIT,
        # "can you do oreo and bandit tomorrow at 4": the first of two pets before their day
        r"\b(?:do|see|fit|book|bring|get)\s+(?!(?:him|her|them|it|me|us|my|our|the|a|an|one)\b)"
        r"([a-z][a-z-]+)\s+(?:and|&)\s+(?!(?:then|also|me|us|him|her|them|it|my|our|i|we)\b)"
        r"[a-z][a-z-]+\s+(?=(?:in\s+)?(?:today|tomorrow|tmrw|mon|tue|wed|thu|fri|sat|sun|this\s"
        r"|next\s|at\s+\d|on\s))",
        # "can Midnight have his booster", "could biscuit get her nails done"
        r"\b(?:can|could|cn)\s+([a-z][a-z-]+)\s+(?:have|hav|get)\s+(?:his|her|its|their|a|an)\b",
        # ... and the next pet of the list: "… n noodle get his jabs", "and rolo have her nails"
        r"\b(?:and|n|&)\s+([a-z][a-z-]+)\s+(?:have|hav|get|needs?)\s+(?:his|her|its|their)\b",
        # "… saturday at 11 and then bella a check up straight after", "and milo for his jab"
        _AND_PET_SERVICE,
        # a list of requests, each pet first: "3 things pls 🙏 bramble dental wed 9am, fig her
        # jabs wed at 11" (set 148)
        _PET_SERVICE_DAY,
        # "and while I'm at it misty is due her jab" (set 150)
        _PET_DUE_SERVICE,
        _PETS_LISTED,
        # "smudge is a shih tzu", "biscuit's a lab": the pet, then what it is
        # ("coco is our first cat", "pip's my daughter's rabbit")
        rf"(?:^|[.!?,]\s*|\b(?:and|but|so)\s+)([a-z][a-z-]+)(?:\s+is|'s)\s+(?:a|an|our|my"
        rf"|my\s+[a-z]+'s)\s+(?:[a-z]+\s+)?"
        rf"(?:{'|'.join(sorted(_BREEDS))}|cat|dog|kitten|puppy|rabbit|bunny|hamster|ferret)\b",
        # ... after a comma: "anything saturday morning for a groom? Maple, she's a cockapoo and
        # currently looks like a yeti" (set 143)
        rf"(?:^|[.!?]\s*)([a-z][a-z-]+),\s+(?:she's|he's|she\s+is|he\s+is)\s+(?:a|an|our|my)\s+"
        rf"(?:[a-z]+\s+)?(?:{'|'.join(sorted(_BREEDS))}|cat|dog|kitten|puppy|rabbit|bunny|hamster"
        r"|ferret)\b",
        # "Pip (my daughter's rabbit) has been off his food": the pet, then what it is in brackets
        # ("can I book kiwi (rabbit) for a checkup")
        # ("2) peanut (hamster) hasnt been eating": a line of a list, its number or dash first)
        # (after an emoji too: "ok so bear with me 😅 hamish (westie, 7, thinks he's a
        # rottweiler) found a dead pigeon", set 158)
        r"(?:^|[.!?,]\s*|\n\s*|[\u2600-\u27bf\U0001f300-\U0001faff]\s*"
        r"|\b(?:and|but|so|book|bring|for|see|get|pop|put|can|could|would|will)\s+)"
        r"(?:\d{1,2}[).:]\s*|[-•*]\s*)?([a-z][a-z-]+)\s*"
        # ("Fifi (toy poodle) needs a groom": a breed; "juno (husky, 2, absolute menace)": the
        # breed first, then more)
        r"\((?:[^()]{0,30}\s)?(?:cat|dog|kitten"
        rf"|puppy|rabbit|bunny|hamster|ferret|guinea\s+pig|parrot|bird|{'|'.join(sorted(_BREEDS))})"
        r"(?:\s*[,;][^()]{0,60})?\)",
        # "does rex need to see the vet for a nail trim?"
        r"\b(?:does|did|will|would|should)\s+([a-z][a-z-]+)\s+(?:need|have\s+to|still\s+need)\b",
        # a visit had with the pet: "we were in this morning with rosie for her tummy"
        r"\bwith\s+(?!(?:you|him|her|them|us|me|it|my|our)\b)([a-z][a-z-]+)\s+(?:for|about)\s+"
        r"(?:her|his|their)\b",
        # a note of a request: "checkup rex tues 10?", "jab luna tomorrow"
        r"^(?:(?:a|the)\s+)?(?:check[\s-]?up|jab|vacc\w*|booster|groom\w*|dental|nails?|consult\w*)"
        r"\s+([a-z][a-z-]+)\s+(?=(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|today\b|tomorrow\b"
        r"|tmrw\b|tmr\b|next\b)",
        # "can u put coco in on saturday", "pop rex in for his jab"
        r"\b(?:put|pop|squeeze)\s+([a-z][a-z-]+)\s+in\b",
        r"\b(?:book|bo+k|booking|move|cancel|reschedule|bring|bringing|add)\s+([a-z][a-z-]+)"
        r"\s+(?:in|for|to|on|at"
        r"|every|instead)\b",
        # a name given its own time beside another's: "max and bella at 9 and coco at quarter
        # past", "coco at 10 and max at 11"
        r"\b(?:and|&|then)\s+([a-z][a-z-]+)\s+at\s+(?:\d|half|quarter|noon|midday)",
        # ... or a day of its own: "bella tomorrow at 9 for a check up and then max on
        # wednesday"
        _AND_PET_ON_DAY,
        # ... two at one time, first: "tuesday the 15th - leo and nala at 5pm and simba at …"
        r"(?:^|[-\u2013:]\s*|[.!?]\s+)([a-z][a-z-]+)\s+(?:and|&)\s+[a-z][a-z-]+\s+at\s+"
        r"(?:\d|half|quarter)",
        # ... a list of pets in turn: "… after work? Rex at 5, then Nala, then Biscuit"
        r"(?:^|[.!?]\s+)([a-z][a-z-]+)\s+at\s+(?:\d|half|quarter)[^,.;!?]{0,12},?\s+then\s+"
        r"(?!(?:we|i|you|he|she|they|it|the|a|an|my|our)\b)[a-z]",
        r"^(?:and\s+)?([a-z][a-z-]+)\s+at\s+(?:\d|half|quarter)[^,.;!?]{0,20}\s+(?:and|&)\s+"
        r"[a-z][a-z-]+\s+at\s+(?:\d|half|quarter)",
        # a clause opened by the pet and what it needs: "saturday 10am - biscotti needs a groom
        # (she's matted again) and pudding a check up" (set 131)
        # "its hazelnut and biscotti, both need a check up" (set 156)
        r"\bit'?s\s+([a-z][a-z-]+)\s+(?:and|&)\s+([a-z][a-z-]+)(?=\s*,?\s*(?:both|they|who|that|need"
        r"|needs)\b)",
        # "its pudding who needs them doing", "it's Frankie that needs the groom" (set 161)
        r"\bit'?s\s+(?!(?:me|us|him|her|them|it|that|this|one|my|our|the|a|an|just|only|not)\b)"
        r"([a-z][a-z-]+)\s+(?:who|that)\s+(?:needs?|has\s+to|should|is\s+due)\b",
        # (after a greeting too: "hiya frodo needs a groom and sushi a check up", set 159)
        r"(?:^|[-\u2013:]\s*|[.!?,]\s*|\b(?:hi|hiya|hey|hello|morning|ok|so|right)\s+)"
        # ("coco will need a proper groom after all the family and the mud", set 166)
        # ("toffee could do with a nail trim", set 170)
        r"([a-z][a-z-]+)\s+(?:needs|will\s+need|'ll\s+need|is\s+going\s+to\s+need|could\s+do\s+with"
        r"|would\s+benefit\s+from)\s+"
        r"(?:a|an|his|her|their|its|the)\s+(?:(?:proper|good|full|quick|little|big|real)\s+)?"
        r"(?:check|jab|vacc|booster|groom|nail|dental|consult|bath|trim|wash|clip|teeth)",
        # ... or how it has been: "sprout's had an upset tummy since last night"
        r"(?:^|[.!?,]\s*|\n\s*)([a-z][a-z-]+)'s\s+(?:had|been)\s+(?:an?\s+|a\s+bit\s+)?(?:upset"
        r"|dodgy|poorly|sick|ill|off|limping|sneezing|coughing|vomiting|scratching|itchy|lethargic)",
        # "hiya, nala's due her annual", "biscuit is overdue his jabs"
        r"(?:^|[.!?,]\s*|\b(?:hi|hiya|hello|hey|so|and)\s+)([a-z][a-z-]+)(?:'s|\s+is)\s+"
        r"(?:over)?due\b",
        # "poppy's are clicking on the kitchen floor", "rex's nails need doing"
        r"(?:^|[.!?,]\s*|\b(?:and|so|but)\s+)([a-z][a-z-]+)'s\s+(?:are|nails|claws|teeth|ears|eyes"
        r"|paws?|coat|fur)\b",
        # ... its apostrophe left out: "Thumpers nails are sooo long", "need 2 get oreos nails
        # done" (the name without the "s")
        r"(?:^|[.!?,]\s*|\b(?:and|so|but|get|got|do|need|needs|to|cut|clip|trim|want|is|was"
        r"|for|when's|whens)\s+)"
        r"([a-z][a-z-]{2,}[a-rt-z])s\s+(?:nails|claws|teeth|ears|eyes|paws|coat|fur|jab|jabs"
        r"|booster|vaccinations?)\b",
        # "so pixel could come after work then", "maybe bella can come too"
        r"(?:^|[.!?,]\s*|\b(?:so|and|then|maybe|ok|okay)\s+)([a-z][a-z-]+)\s+(?:could|can|will"
        r"|would)\s+(?:come|pop\s+in|be\s+seen)\b",
        # "does poppy have anything booked this week?", "has max got anything on?", "is bella
        # booked in?"
        r"\b(?:does\s+([a-z][a-z-]+)\s+have|has\s+([a-z][a-z-]+)\s+got)\s+(?:anything|any|an?"
        r"|something)\b",
        r"\bis\s+([a-z][a-z-]+)\s+(?:still\s+)?booked\b",
        # "max has to have his allergy jabs", "bella needs to get her booster"
        r"(?:^|[.!?,]\s*|\b(?:hi|hello|hey|so|and)\s+)([a-z][a-z-]+)\s+(?:has|needs|got)\s+to\s+"
        r"(?:have|get|come|be\s+seen)\b",
        # a slot given to another pet: "give max's slot to bella", "swap his appointment for rex"
        r"\b(?:slot|spot|place|appointment|appt|booking)\s+(?:over\s+)?(?:to|for)\s+([a-z][a-z-]+)"
        r"(?=\s*(?:$|[.,!?]|on\b|please\b|pls\b|instead\b|then\b|and\b|as\b|if\b))",
        # another pet put instead: "no wait, what about bella instead"
        r"\b(?:what|how)\s+about\s+([a-z][a-z-]+)\s+instead\b",
        # "book bella" ending the message ("book bella please")
        r"\bbook\s+([a-z][a-z-]+)(?=\s*(?:$|[.!?,]|please\b|pls\b|plz\b|thanks\b))",
        # "i'd like to book in nala", "can i book in Pip for friday"
        r"\bbook(?:ing)?\s+in\s+([a-z][a-z-]+)\b",
        # "add bella to max's appointment"
        r"\b(?:add|include)\s+([a-z][a-z-]+)\s+(?:to|in|into|on)\b",
        # ... or ending its clause: "i'd like to add bella, she needs a checkup too"
        r"\b(?:add|include)\s+([a-z][a-z-]+)(?=\s*(?:[,.!?;]|$|too\b|as\s+well\b|please\b|pls\b))",
        # "can i get biscuit booked in", "have max seen on friday"
        r"\b(?:get|have|got)\s+([a-z][a-z-]+)\s+(?:booked|seen|checked|looked\s+at)\b",
        # "thinking of bringing smokey saturday at 11"
        r"\b(?:bring|bringing)\s+([a-z][a-z-]+)\s+(?=(?:today|tomorrow|on|this|next|mon|tues?|wed"
        r"|weds|thu|thurs?|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)",
        # "book max a checkup", "get luna an appointment", "need to book luna jab thurs"
        r"\b(?:book|get)\s+(?!(?:a|an|another|the|in|my|our|his|her|their|them|him|it|me|us)\b)"
        r"([a-z][a-z-]+)\s+(?:(?:a|an|her|his|their)\s+)?(?:check-?up|check\s+up|jab|vaccination"
        r"|booster|groom|grooming|appointment|consultation|dental|nail\s+trim|visit|slot)\b",
        # "could sunny have a checkup", "can Pepper come in" (not "can u come", "could anyone")
        r"\b(?:can|could|will|would|may)\s+(?!(?:u|ya|ye|y'all|yall|any|some|every)(?:one|body)?\b)"
        r"([a-z][a-z-]+)\s+(?:come|have|get|be\s+seen|pop|see|squeeze|fit|tag\s+along|join)\b",
        # "any chance pebbles could get her nails clipped", "wondering if max can come in"
        r"\b(?:chance|if|whether)\s+([a-z][a-z-]+)\s+(?:could|can|might|would|will)\s+(?:come|have"
        r"|get|be\s+seen|pop|see|squeeze|fit)\b",
        # "need to drop murphy off for a nail clip"
        r"\b(?:drop|dropping)\s+([a-z][a-z-]+)\s+(?:off|in|before|round|over|at)\b",
        # "is ginger ok to come in on thursday", "is Rex alright to be seen tomorrow"
        r"\b(?:is|are)\s+([a-z][a-z-]+)\s+(?:ok|okay|alright|all\s+right|able|fine|good)\s+to"
        r"\s+(?:come|be\s+seen|pop|get|have|bring)\b",
        *_NAME_TOLD,
        _THEY_ARE_NAMED,
        # "Max and Bella", where names go: "book Max and Bella", "both Salt and Pepper" (not
        # "'vet' in my calendar and nothing else", set 146)
        r"\b(?:book|bring|both|for|get|see|move|cancel|have|my)\s+([a-z][a-z-]+)\s+and"
        r"\s+(?!(?:no|every|any|some)(?:thing|one|body)\b)([a-z][a-z-]+)\b",
        # three or four where names go: "book rex, bella and coco", "can rex, bella and coco
        # come on saturday"
        r"\b(?:book|bring|both|for|get|see|move|cancel|have|my|can|could|all|our)\s+([a-z][a-z-]+)"
        r",\s*([a-z][a-z-]+)(?:,\s*([a-z][a-z-]+))?,?\s+(?:and|&)\s+([a-z][a-z-]+)\b",
        # "can max and bella both come wednesday at 11"
        # ("could waffles and noodle both be groomed on tuesday", set 155)
        r"\b(?:can|could|will|would|may)\s+([a-z][a-z-]+)\s+and\s+([a-z][a-z-]+)\s+(?:both\s+|also\s+)?"
        r"(?:come|have|get|be\s+(?:seen|groomed|vaccinated|jabbed|checked|looked\s+at|booked)|pop"
        r"|see)\b",
        _EACH_PET_NEEDS,
        *_ABOUT_PET,
        _PETS_OF_A_KIND,
        # The pet meant, said anew: "not oscar, it's simba who needs it", "it's luna that's due"
        r"\bit's\s+(?:actually\s+|really\s+)?([a-z][a-z-]+)\s+(?:who|that)\b",
        # ... and booked in the other's place: "can you put fig down instead" (set 145)
        r"\bput\s+([a-z][a-z-]+)\s+(?:down|in)\s+instead\b",
        # A pet's name told: "his name is rocco", "her name's luna", "he's called rocco"
        r"\b(?:his|her|its|their)\s+name(?:'s|\s+is)\s+([a-z][a-z'-]+)",
        r"\b(?:he|she|it)(?:'s|\s+is)\s+(?:called|named)\s+([a-z][a-z'-]+)",
        # ... its apostrophe left out: "hes called biscuit", "shes named luna"
        r"\b(?:hes|shes|its)\s+(?:called|named)\s+([a-z][a-z'-]+)",
        # A pet's kin: "could his sister daisy have a check up", "her brother rocky too"
        # ... or another pet's: "can i bring ruby's brother alfie along"
        # (not a person's: "my mum's sister jane")
        r"\b(?:his|her|their|its|(?<!\bmy\s)(?<!\bour\s)(?<!\byour\s)[a-z]+'s)\s+(?:little\s+|big\s+)?"
        r"(?:sister|brother|sibling|mum|mother"
        r"|son|daughter|pal|buddy|litter\s*mate)\s+([a-z][a-z-]+)",
        _NAME_NOT_OTHER,
        # A name corrected after a slip: "oops its rocky", "sorry, it's Luna", "sorry typo!!
        # it's milou 🙈 yes book it" (a yes may follow the name), "*milou"
        r"^(?:oops|whoops|sorry|soz|my\s+bad)\W+(?:(?:sorry|i\s+mean|typo|my\s+typo|autocorrect"
        r"|spelling|wrong\s+name)\W+)*(?:it's|its|it\s+is|it\s+should\s+be)\s+([a-z][a-z'-]+)"
        r"(?=\W*$|\W+(?:yes|yeah|yep|ok|okay|book|please|pls|that's|thats)\b)",
        r"^\*\s*([a-z][a-z'-]+)\W*$",
        # ... with its excuse: "*margo!! autocorrect sorry 🙄"
        r"^\*\s*(?!(?:morning|afternoon|evening|tonight|today|tomorrow|noon|midday)\b)"
        r"([a-z][a-z'-]+)(?=\W+(?:autocorrect|auto\s+correct|sorry|soz|typo|oops|whoops|lol|my\s+bad"
        r"|i\s+mean|not)\b)",
        # A name corrected: "oops i meant juniper", "sorry, I mean Rex"
        r"\b(?:i|we)\s+(?:meant|mean)\s+(?:to\s+say\s+)?([a-z][a-z'-]+)",
        # A name heading the message: "Rufus - wednesday 17:15?", "Nala: friday at 10".
        # (or a line of its own: "a couple of bookings for tomorrow" / "juniper - full groom,
        # 2pm" / "kobe - vaccine, 4.30?", set 141)
        r"(?:^|\n\s*)([a-z][a-z-]+)\s*[-:\u2013\u2014]\s",
        # ... or a sentence of its own: "Can both my cats come in? Luna and Misty".
        r"(?:^|[.?!]\s*)([a-z][a-z-]+)\s+and\s+([a-z][a-z-]+)\b",
        # ... or a clause of their own after the pets' kind: "my 2 rabbits need their vaccines,
        # thumper and flopsy. could they come…"
        r"\b(?:cats|dogs|kittens|puppies|rabbits|bunnies|guinea\s+pigs|hamsters|pets)\b[^.?!]{0,40}"
        r",\s*([a-z][a-z-]+)\s+(?:and|&)\s+([a-z][a-z-]+)\s*(?=[.?!,]|$)",
        # ... or three of them: "need to book 3 cats for vaccines. Misty, Shadow and Tiger."
        r"(?:^|[.?!:]\s*)([a-z][a-z-]+),\s*([a-z][a-z-]+),?\s+(?:and|&)\s+([a-z][a-z-]+)\b",
        # ... or after a dash: "both our cats need their boosters - tofu and miso (my daughter
        # named them)"
        r"\s[-:\u2013\u2014]\s*([a-z][a-z-]+)\s+(?:and|&)\s+([a-z][a-z-]+)\s*(?=[.?!,(]|$)",
        # ... or after an emoji: "2 dogs, both need their nails doing 🐾 rolo and fudge."
        r"[\u2600-\u27bf\U0001f300-\U0001faff]\s*([a-z][a-z-]+)\s+and\s+([a-z][a-z-]+)\s*(?:[.?!,]|$)",
    ]
    # the person and the title itself ("Nurse Kelly"): neither is a pet
    pet_titled = {
        word.lower().rstrip(".")
        for found in (*_PET_TITLED_RE.finditer(message), *_CALLED_TITLED_RE.finditer(message))
        for word in (found.group(0).split()[0], found.group(1))
    } | {
        word.lower().rstrip(".")
        for found in _KIND_THEN_TITLED_RE.finditer(message)
        for word in found.group(1).split()
    }
    people = {
        word.lower().rstrip(".").removesuffix("'s")
        for found in _TITLED_RE.finditer(message)
        for word in (found.group(0).split()[0], found.group(1))
    } - pet_titled
    # "my friend Sophie is away … her cat Minou": Sophie is a person
    # ("my son Leo's rabbit Clover": Leo, his possessive dropped)
    people |= {
        found.group(1).lower().removesuffix("'s") for found in _RELATIVE_NAMED_RE.finditer(message)
    }
    people |= {found.group(1).lower() for found in _RELATIVE_NAME_TOLD_RE.finditer(message)}
    people |= {found["who"].lower() for found in _RELATIVE_BRACKETED_RE.finditer(message)}
    # "Sam and I will bring both dogs", "me and Jo": the writer's company (a pet on record
    # said so is still known by name)
    people |= {
        (found.group(1) or found.group(2)).lower() for found in _WITH_ME_RE.finditer(message)
    }
    # "Hi, Daisy here 👋": the writer
    people |= {found.group(1).lower() for found in _WRITER_HERE_RE.finditer(message)}
    # "can you bill my insurance directly (Petplan)": the insurer named, not a pet
    people |= {found.group(1).lower() for found in _INSURER_NAMED_RE.finditer(message)}
    # "I'm pet sitting for the Martin family": a family's name, people (set 149)
    people |= {found.group(1).lower() for found in _FAMILY_NAMED_RE.finditer(message)}
    # "Her owners are Claire and Paul Martin": the owners, people
    people |= {
        word.lower()
        for found in _OWNERS_NAMED_RE.finditer(message)
        for word in re.findall(r"[A-Za-z][a-z'-]+", found.group("names"))
    }
    for pattern in patterns:
        for found in re.finditer(pattern, lowered):
            for group in found.groups():
                if group is None:  # an optional name of a list not said
                    continue
                word = group.removesuffix("'s")
                if word in _NOT_NAMES and _time_named_pet(
                    word, message, found.start(found.groups().index(group) + 1)
                ):
                    pass  # "can Midnight come in tomorrow at 3"
                elif word in _NOT_NAMES or word in ANIMALS or any(c.isdigit() for c in word):
                    continue
                if word in people:  # "for Dr Martin" is the vet asked for, not a pet
                    continue
                written = message[found.start(found.groups().index(group) + 1) :][: len(word)]
                if (
                    _plain_word(word)
                    and not written[:1].isupper()
                    and pattern
                    not in (_AND_PET_SERVICE, _PET_SERVICE_DAY, _PET_DUE_SERVICE, _PETS_LISTED)
                ):
                    continue  # "my cat as early as possible": no name ("my dog Will" is one)
                if (
                    pattern in (_EACH_PET_NEEDS, _PETS_OF_A_KIND, _UNWELL, _NAME_NOT_OTHER)
                    or pattern in _ABOUT_PET
                ) and (_plain_word(word) or word in _NOT_HEADING or word in _TIME_WORDS):
                    continue  # "only for a checkup", "emergency for his teeth"
                after = lowered[found.end(found.groups().index(group) + 1) :]
                if (
                    word.endswith("ing")
                    and _verb_form(word)[1]  # ("could pudding get his nails done": no verb)
                    and (re.match(_VERB_OBJECT, after) or re.match(_GERUND_OBJECT, after))
                ):
                    continue  # "thanks for fitting us in", "for seeing him": a verb, not a pet
                if pattern == _THEY_ARE_NAMED and any(
                    {"ADJ", "VERB", "ADV"} & set(getAllLemmas(said)) or said in _NOT_NAMES
                    for said in found.groups()
                ):
                    continue  # "they're tired and hungry": what they are
                if _day_like(word) and pattern not in _NAME_TOLD:
                    continue  # "my dog tomorow at 10": a typo'd day, not a name
                if (
                    pattern
                    not in (_CAN_PET_COME, _PET_THEN_VISIT, _AND_PET_SERVICE, _PET_SERVICE_DAY)
                    and _acts(word, after)
                    and not written[:1].isupper()
                ):
                    continue  # "my dog ate chocolate", "my cat hurt her paw": what it did
                # Lower-case text gives no capital to go by: a pattern position is enough.
                # Written text with capitals: the word must be capitalised there too.
                if not shouting and not lower_writer:
                    at = found.groups().index(group) + 1
                    written = message[found.start(at) :][: len(word)]
                    # (a pet's visit said with its name in lower case all the same: "Teddy for
                    # a check up tues 6pm, milo's jab weds 9am", set 137)
                    visit = re.match(rf"'s\s+{_VISIT_AFTER}", message[found.end(at) :].lower())
                    if (
                        written[:1].islower()
                        and (visit is None or _plain_word(word))
                        and not _paired_with_capital(message, found, at, word)
                    ):
                        continue
                if word not in out:
                    out.append(word)
    # Pets listed each with a time of its own ("rex at 10 and bella at 10:30"): in lower case
    # the list is all that says they are names
    timed = {
        found.group(1)
        for found in re.finditer(_EACH_PET_AT_RE, lowered)
        if _may_be_listed(found.group(1), message, people, lower_writer or shouting)
    }
    for found in re.finditer(_EACH_PET_AT_RE, lowered) if len(timed) > 1 else ():
        if found.group(1) in timed and found.group(1) not in out:
            out.append(found.group(1))
    # Another pet added at the head of a sentence: "Bella too, friday at 10", "and Rex as well"
    # (not "me too", "that as well": common words are never names).
    for found in re.finditer(_JOINS_TOO_RE, lowered):
        word = found.group(1)
        if word in _NOT_NAMES or word in ANIMALS or _plain_word(word) or _day_like(word):
            continue
        written = message[found.start(1) :][: len(word)]
        if not shouting and not lower_writer and written[:1].islower():
            continue
        if word not in out:
            out.append(word)
    # A terse answer naming the pet and what it is, or what is wrong, on a line of its own:
    # "nugget. dog", "fig, cat", "rolo, limping" (set 181); in a burst about a visit, a word
    # on its own line that is no word of English: "hiya" / "jab" / "mochi" / "tmrw pm"
    terse = [found.group(1) for found in _TERSE_NAME_RE.finditer(lowered)]
    lines = [line.strip(" .!") for line in lowered.split("\n") if line.strip(" .!")]
    if len(lines) > 1 and any(_VISIT_LINE_RE.search(line) for line in lines):
        terse += [line for line in lines if _lone_word_name(line)]
    for word in terse:
        if word in _NOT_NAMES or word in ANIMALS or _plain_word(word) or _day_like(word):
            continue
        if word in _TIME_WORDS or word in _NOT_HEADING or word in people:
            continue
        if word not in out:
            out.append(word)
    # Lower-case names where a pet goes before a day: "book max tomorrow at 10", "luna tmrw
    # 3pm" (a capital says nothing in text written all in lower case). Never an English stop
    # word ("maybe friday", "sure friday"), a word for time, or one like a day.
    after_and = {found.group(1) for found in re.finditer(_AND_PET_ON_DAY, lowered)}
    for before_day in _BEFORE_A_DAY_RES if not set(out) - after_and else ():
        for found in before_day.finditer(lowered):
            word = found.group(1)
            misspelt = found.groupdict().get("misspelt")
            if misspelt is not None and misspelt_weekday(misspelt) is None:
                continue  # "book luna please": no day after the word
            if word in _NOT_NAMES or word in _NOT_HEADING or word in _TIME_WORDS:
                continue
            if word in ANIMALS or _plain_word(word) or _day_like(word) or word in people:
                continue
            kinds = set(getAllLemmas(word))
            if kinds & {"VERB", "AUX"} and not kinds & {"NOUN", "PROPN", "ADJ"}:
                continue  # "oops" / "meant fri": a verb (set 181)
            written = message[found.start(1) :][: len(word)]
            if not shouting and not lower_writer and written[:1].islower():
                continue  # text with capitals: a name is written with one
            if word not in out:
                out.append(word)
    # Only when no pet is named where names go: "Bonjour, thursday 10am for Minou" is Minou's.
    for heading in _HEADING_NAME_RES if not out else ():
        for found in heading.finditer(lowered):
            word = found.group(1)
            if word in _NOT_NAMES or word in _NOT_HEADING or word in _TIME_WORDS:
                continue
            if word in ANIMALS or _plain_word(word) or _day_like(word):
                continue
            if word not in out:
                out.append(word)
    if capitals:
        # "REX. FRIDAY. 4PM. BOOK IT": a word in capitals standing alone as a sentence, not a
        # word of the language or a day, is the name it was shouted to give
        for alone in re.finditer(r"(?:^|[.!?]\s*)([A-Z][A-Z'-]{1,14})\s*[.!?]", message):
            word = alone.group(1).lower()
            if word in _NOT_NAMES or _plain_word(word) or word in _TIME_WORDS:
                continue
            if word in ANIMALS or word in _INTERJECTIONS or _day_like(word) or word in people:
                continue
            if word not in out:
                out.append(word)
    if capitals and not shouting:
        owners = {name.lower() for m in _OWNER_RE.finditer(message) for name in m.groups() if name}
        owners |= signers | _people_named(message)
        owners |= {m.group(1).lower() for m in _GREETED_RE.finditer(message)}
        places = {
            name.lower()
            for pattern in (_PLACE_RE, _ZONE_RE, _TITLED_RE)
            for m in pattern.finditer(message)
            for name in m.groups()
            if name
        } - pet_titled
        # "on Thirsty at 4": autocorrect's Thursday, not a pet; "on Choose Day": dictation's
        skip = _NOT_NAMES | _common_words() | owners | places | people | _BREEDS
        skip |= days_in_day_slots(lowered) | dictated_day_words(lowered)
        # A capitalised word opening a sentence is a name only when a verb or a possessive
        # follows ("Max needs a checkup", "Hiya!! Biscuit's teeth are looking grim").
        for first in re.finditer(
            r"(?:^|[.!?]\s+)([A-Z][a-z]{1,14})(?:'s\b|\s+(?:needs|is|has|had|was|will|won't"
            r"|can't|should|must|and|'s)\b)",
            message,
        ):
            word = first.group(1).lower()
            if (
                word not in skip
                and word not in ANIMALS
                and word not in out
                and word not in _PEOPLE_WORDS
                and not _ly_adverb(word)
            ):
                out.append(word)
        # ... or what it did, when the message goes on about "him" or "her": "Boots rolled in
        # fox poo, can he come for a bath" (not "Vet said he's fine": people are never pets)
        if _PET_PRONOUN_RE.search(message):
            for first in _DEED_OPENER_RE.finditer(message):
                word = first.group(1).lower()
                if word in skip or word in ANIMALS or word in out or word in _PEOPLE_WORDS:
                    continue
                deed = first.group(2)
                inflected, verb = _verb_form(deed)
                if (
                    _ly_adverb(word)
                    or _day_like(word)
                    or not (inflected or (verb and deed.endswith("ed")))
                ):
                    continue
                if first.group(2) in _PEOPLES_DEEDS or _ON_A_PET_RE.match(message, first.end()):
                    continue  # "Sarah called, she …", "Marie dropped him off": a person's
                out.append(word)
        # ... or a day: "Max wed 3 and Bella thurs 4", "Rocky friday at 2" (not "Maybe
        # friday", "Lunchtime tomorrow": common and time words are never names)
        for first in re.finditer(rf"(?:^|[.!?]\s+)([A-Z][a-z]{{1,14}})\s+{_A_DAY}", message):
            word = first.group(1).lower()
            if word in skip or word in ANIMALS or word in _TIME_WORDS or _day_like(word):
                continue
            if word.endswith("ed") and _verb_form(word)[1]:
                continue  # "Tired today, can she come in?": how they are, not a pet
            if _ly_adverb(word):
                continue
            if word not in out:
                out.append(word)
        # (a part of a hyphenated name is no name of its own: "it's Anne-Marie")
        for token in re.findall(
            r"(?<![.!?]\s)(?<!^)(?<!-)\b([A-Z][a-z]{1,14})\b(?!-[A-Za-z])", message
        ):
            word = token.lower()
            if _day_like(word) or _ly_adverb(word):  # "do you do Saturdays?": days, not a pet
                continue
            if word.endswith("ing") and _verb_form(word)[0]:
                continue  # "Thanking you in advance" on a line of its own: only ever a verb
            if word.endswith("s") and re.search(rf"\b(?i:the)\s+{token}\b", message):
                continue  # "pet sitting Bella for the Martins": a family, not a pet
            if word not in skip and word not in ANIMALS and word not in out:
                out.append(word)
    # A burst's line that names the pet and says how it is: "need to book my cat in" /
    # "nutmeg, shes been sick a few times"; or its last line, the name alone, as an afterthought
    # ("can u fit my dog in 2day" / … / "hes limpin a bit" / "rolo"): only beside "my cat", "my
    # dog", and never a word the chat spells short ("aftrnoon") or a word of English
    if "\n" in message and _MY_PET_RE.search(lowered):
        lines = [line.strip() for line in lowered.split("\n") if line.strip()]
        found_lines = [m.group(1) for line in lines if (m := _NAME_THEN_HOW_RE.match(line))]
        last = re.fullmatch(r"([a-z][a-z-]{2,14})[.!]?", lines[-1]) if lines else None
        if last is not None and not getAllLemmas(last.group(1)):
            found_lines.append(last.group(1))
        for word in found_lines:
            if (
                word in out
                or word in _NOT_NAMES
                or word in ANIMALS
                or word in _TIME_WORDS
                or _plain_word(word)
                or _day_like(word)
                or normalise(word) != word
            ):
                continue
            out.append(word)
    # A name corrected in the same message, the chat way: "can mango have a checkup wed at
    # 2.45 *margo!! autocorrect sorry" (a burst read as one): the starred word replaces the
    # name it is close to
    for starred in re.finditer(r"(?:^|\s)\*\s*([a-z][a-z'-]+)", lowered):
        word = starred.group(1)
        if word in out or word in _NOT_NAMES or _plain_word(word):
            continue
        close = [n for n in out if n != word and fuzz.ratio(n, word) >= _STARRED_MATCH]
        if close:
            out[out.index(close[0])] = word
    # "… / Albert and Simone Girard": who wrote, not pets
    out = [w for w in out if w not in signers]
    # in the order the message names them ("bella tomorrow … and then max on wednesday")
    return sorted(out, key=lambda word: _position(word, lowered))


# How close a starred correction is to the name it replaces ("mango" → "margo": 80)
_STARRED_MATCH = 60


def _position(word: str, text: str) -> int:
    """Where ``word`` is first written in ``text`` as a whole word; the text's length if not."""
    written = re.search(rf"\b{re.escape(word)}\b", text)
    return written.start() if written is not None else len(text)


# A lookahead, so one match does not swallow the next ("4 my dog": "4 my", then "my dog").
# ("appointment for dog tomorrow": English as a second language drops the "my")
_OWNED_RE = re.compile(
    # ("any appointments left today for a cat with a sore eye?": the visit is for a cat)
    # ("we adopted a kitten at the weekend", "just got a new puppy": the writer's own)
    r"(?=\b(?:my|our|the|both|two|three|\d|for(?=\s+[a-z]+[^s\W]\b)|for\s+an?"
    r"|(?:adopted|got|rescued|bought|collected|brought\s+home)\s+an?)\s+"
    r"(?:(?:little|old|young|new|elderly|senior|older|poor|big|baby|sweet)\s+)?([a-z]+))"
)


# A kind of animal asked about, then one of the writer's own: "do you see rabbits? could I bring
# mine in on wednesday" is the writer's rabbit.
_KIND_ASKED_RE = re.compile(
    r"\bdo\s+(?:you|u|ya)\s+(?:see|treat|take|do|look\s+after|deal\s+with)\s+(?:pet\s+)?"
    r"(?P<kind>rabbit|cat|dog|kitten|hamster|ferret|bird|parrot|tortoise|snake|turtle|budgie"
    r"|guinea\s+pig|pupp(?:y|ie))s?\b(?=.*\b(?:mine|ours)\b)"
)


# Two animals of one's own said together, none named: "my cat and my dog", "our dog and cat".
_ANIMAL_PAIR_RE = re.compile(
    r"\b(?:my|our)\s+(?:(?:little|old|young|new)\s+)?("
    + "|".join(sorted(ANIMALS, key=len, reverse=True))
    + r")\s+(?:and|&|\+)\s+(?:(?:my|our|the)\s+)?(?:(?:little|old|young|new)\s+)?("
    + "|".join(sorted(ANIMALS, key=len, reverse=True))
    + r")\b"
)


def animal_in(message: str) -> str | None:
    """The animal of "my cat", "our dog", or of "do you see rabbits? could I bring mine",
    or None."""
    lowered = message.lower()
    for found in _OWNED_RE.finditer(lowered):
        if found.group(1) in ANIMALS:
            return ANIMALS[found.group(1)]
    asked = _KIND_ASKED_RE.search(lowered)
    if asked is not None:
        kind = re.sub(r"\s+", " ", asked["kind"])
        return "puppy" if kind.startswith("pupp") else kind
    return None


def _beside_known(
    message: str, names: list[str], known: list[str], not_names: frozenset[str]
) -> list[str]:
    """New names said side by side with a pet on record, in lower case: "if i did kiwi as well
    as mango", "mango and kiwi" (Mango known). Words that cannot be a name are skipped: common
    words, days, animals, the business's services (``not_names``)."""
    mine = [n.lower() for n in names if n.lower() in {k.lower() for k in known}]
    found: list[str] = []
    lowered = message.lower()
    for pet in mine:
        said = re.escape(pet)
        for pattern in (
            rf"\b([a-z][a-z-]{{2,}})\s+(?:as\s+well\s+as|and|&|or|plus)\s+{said}\b",
            rf"\b{said}\s+(?:as\s+well\s+as|and|&|or|plus)\s+([a-z][a-z-]{{2,}})\b",
        ):
            for hit in re.finditer(pattern, lowered):
                word = hit.group(1)
                if (
                    _plain_word(word)
                    or word in _NOT_NAMES
                    or word in _NOT_HEADING
                    or word in _TIME_WORDS
                    or word in ANIMALS
                    or word in not_names
                    or _day_like(word)
                    or word in (n.lower() for n in names)
                ):
                    continue
                found.append(word)
    return found


def known_names_in(message: str, known: list[str]) -> list[str]:
    """Names the CRM knows (``known``, as stored) that the message mentions, typos allowed."""
    if not known:
        return []
    lowered = message.lower()
    # a name of several words ("Lady Grey") as written, its words not matched one by one
    out = [k for k in known if " " in k and re.search(rf"\b{re.escape(k.lower())}\b", lowered)]
    taken = {w for k in out for w in k.lower().split()}
    for word in re.findall(r"[a-z][a-z'-]{1,}", lowered):
        if word.removesuffix("'s") in taken:
            continue
        word = word.removesuffix("'s")
        if word in _NOT_NAMES or word in ANIMALS:
            continue
        found = process.extractOne(word, known, scorer=fuzz.ratio, processor=str.lower)
        if found is not None and found[0].lower() != word and word in _common_words():
            # a word of its own, not a typo of a name: "is due a check up" beside Duke
            continue
        if (found is None or found[1] < _KNOWN_MATCH) and len(word) > 3 and word.endswith("s"):
            # a possessive without its apostrophe: "whens belas groom" (Bella's)
            found = process.extractOne(word[:-1], known, scorer=fuzz.ratio, processor=str.lower)
        if found is not None and found[1] >= _KNOWN_MATCH and found[0] not in out:
            out.append(found[0])
    return out


_LINE_BREAK_RE = re.compile(r"(?<![.!?,;:])[ \t]*\n\s*")


def _folded(text: str, *, capitals: bool = False) -> str:
    """``text`` with each letter's accents taken off, one character for one ("Comète" →
    "Comete"), so that offsets still match ``text``. Without ``capitals``, a capitalised word
    that had accents is put in lower case."""
    out = []
    for ch in text:
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else ch)
    folded = "".join(out)
    if capitals:
        return folded
    # a capitalised word with accents is given no capital, so that only the places names go
    # ("can réglisse come", "zéphyr needs a check up") read it as a pet, never its capital
    # alone ("the Hôpital Saint-Antoine", a signature "Hélène")
    for word in re.finditer(r"\b[A-ZÀ-ÖØ-Þ][^\W\d_]*", text):
        if word.group(0) != folded[word.start() : word.end()]:
            folded = (
                folded[: word.start()]
                + folded[word.start() : word.end()].lower()
                + folded[word.end() :]
            )
    return folded


def subjects_in(
    message: str,
    *,
    known: list[str],
    transcript: bool,
    not_names: frozenset[str] = frozenset(),
) -> list[str]:
    """Who the message is about, in order: known names, then new names, as they should be read
    back ("Max", "your cat"). In a call ``transcript`` a new name counts only where names go
    ("for Felix"): a capitalised word there may be a mishearing. ``not_names``: lower-case
    words never read as a new name (the words of the business's services: "my 2 dogs for nail
    trims" names no pet Nail). A name written with accents ("Comète", "Réglisse") is read as
    its letters without them and given back as written."""
    folded = _folded(message)
    if folded == message:
        return _subjects_in(message, known=known, transcript=transcript, not_names=not_names)
    names = _subjects_in(folded, known=known, transcript=transcript, not_names=not_names)
    # ... and with its capitals, only where a pet's name goes: "I'm looking after her cat
    # Réglisse", "a retired racing greyhound, Comète, through …" (set 136)
    with_capitals = _folded(message, capitals=True)
    past = {found.group(1) for found in _PAST_PET_RE.finditer(folded.lower())}
    for word in _candidate_names(with_capitals, capitals=False):
        if word in past:
            continue  # ("Our old dog Pirate came to you for years. Thank you Gérard")
        if word not in not_names and not any(n.lower() == word for n in names):
            names.append(_title(word))
    # (who signs, and the people named, are read from the words as written: "Thank you! Élise
    # & Bastien", "my father, Gérard Moreau")
    people = signed_names(message) | _people_named(message)
    signers = {_folded(s).lower() for s in people}
    names = [n for n in names if n.lower() not in signers]
    written = []
    for name in names:
        found = re.search(rf"\b{re.escape(name)}\b", folded, re.IGNORECASE)
        if found is None or name in known:
            written.append(name)
            continue
        said = message[found.start() : found.end()]
        written.append(name if said.lower() == name.lower() else _title(said))
    return written


def _subjects_in(
    message: str,
    *,
    known: list[str],
    transcript: bool,
    not_names: frozenset[str] = frozenset(),
) -> list[str]:
    message = message.strip()  # a clause cut from a message starts a sentence all the same
    message = spelt_out_chat(message)  # "cn i bk bella 4 a chkup": "can i book bella for …"
    names = known_names_in(message, known)
    words_of_names = {w for n in names for w in n.lower().split()}
    for word in _candidate_names(message, capitals=not transcript):
        if word in words_of_names or word in not_names:
            continue
        word = _apostrophe_dropped(word, message)
        if not any(fuzz.ratio(word, k.lower()) >= _KNOWN_MATCH for k in names):
            names.append(_title(word))
    names = _full_names(names, message, known)
    # a name said twice over, written the same both times, is the whole name: "our rabbit, bun
    # bun" (not "any chance Chance could be moved")
    names = [f"{n} {n}" if " " not in n and _said_twice(n, message) else n for n in names]
    for word in _beside_known(message, names, known, not_names):
        if not any(fuzz.ratio(word, n.lower()) >= _KNOWN_MATCH for n in names):
            names.append(_title(word))
    for titled in (*_PET_TITLED_RE.finditer(message), *_CALLED_TITLED_RE.finditer(message)):
        # "Mr Whiskers" is the pet's whole name, said with its title
        title = titled.group(0).split()[0].rstrip(".").title()
        given = titled.group(1)
        whole = f"{title} {given[:1].upper()}{given[1:]}"
        bare = titled.group(1).lower()
        if not any(n.lower() == whole.lower() for n in names):
            at = next((i for i, n in enumerate(names) if n.lower() == bare), len(names))
            names[at : at + 1] = [whole]
    for titled in _KIND_THEN_TITLED_RE.finditer(message):
        title, given = titled.group(1).split(maxsplit=1)
        whole = f"{title.rstrip('.').title()} {given[:1].upper()}{given[1:]}"
        bare = given.lower()
        if not any(n.lower() == whole.lower() for n in names):
            at = next((i for i, n in enumerate(names) if n.lower() == bare), len(names))
            names[at : at + 1] = [whole]
    for named_like_a_date in (weekday_pet(message), month_pet(message)):
        if named_like_a_date is not None and named_like_a_date not in names:
            names.append(named_like_a_date)
    lowered = message.lower()
    for fixed in _NAME_FIXED_RE.finditer(lowered):
        right, wrong = fixed.groups()
        if right != wrong and fuzz.ratio(right, wrong) >= _STARRED_MATCH:
            names = [_title(right) if n.lower() == wrong else n for n in names]
    past = {found.group(1) for found in _PAST_PET_RE.finditer(lowered)}
    names = [
        n
        for n in names
        if not _ruled_out(n.lower(), lowered) and (n.lower() not in past or n in known)
    ]
    if names:
        return names
    if _LINE_BREAK_RE.search(message):
        # a burst read again with each message a sentence of its own ("hi" / "pixel's been
        # sneezing all weekend": not "hi pixel"); read whole first, "need to book" / "luna"
        # names Luna
        return _subjects_in(
            _LINE_BREAK_RE.sub(". ", message),
            known=known,
            transcript=transcript,
            not_names=not_names,
        )
    if _ASIDE_RE.search(message):
        # "can i book kiwi (she's a rabbit) in for …": read again with the aside apart, so
        # that the name stands where names go ("mango (our cat)" is read with it)
        apart = _subjects_in(
            _ASIDE_RE.sub(" ", message), known=known, transcript=transcript, not_names=not_names
        )
        if any(is_name(n) for n in apart):
            return apart
    pair = _ANIMAL_PAIR_RE.search(message.lower())
    if pair is not None and ANIMALS.get(pair[1]) != ANIMALS.get(pair[2]):
        # "my cat and my dog": one booking each, not one for the cat
        return [f"your {ANIMALS[pair[1]]}", f"your {ANIMALS[pair[2]]}"]
    animal = animal_in(message)
    return [f"your {animal}"] if animal else []


# A visit or its service right after a name: "lunas jab", "maxs appointment".
_VISIT_AFTER = (
    r"(?:appointment|appt|booking|visit|check[\s-]?up|jabs?|vaccinations?|boosters?|shots?|groom"
    r"|grooming|dental|nails|teeth|injections?)\b"
)


def _apostrophe_dropped(word: str, message: str) -> str:
    """``word`` (a candidate name, lower case) without the "s" of a possessive written without
    its apostrophe ("can u do 1pm weds for lunas jab": Luna), when the message is written in
    lower case and the word is followed by a visit; names that end in "s" themselves ("boris",
    "zeus", "bliss") are kept."""
    if (
        len(word) < 4
        or not word.endswith("s")
        or word.endswith(("ss", "is", "us"))
        or not _writes_in_lower_case(message)
        or re.search(rf"\b{re.escape(word)}\s+{_VISIT_AFTER}", message.lower()) is None
    ):
        return word
    return word[:-1]


# An aside in brackets that says what the pet is, not who: "(she's a rabbit)", "(our cat)".
_ASIDE_RE = re.compile(
    r"\s*\((?:she's|he's|it's|she\s+is|he\s+is|it\s+is|they're|a|an|our|my|the)\s[^()]{0,40}\)",
    re.IGNORECASE,
)
_CAPITAL_DAY = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A capitalised weekday where a pet goes: "book Friday in", "can Friday come in", "Friday needs".
_DAY_AS_PET_RE = re.compile(
    rf"\b(?i:book|bring|get|see|have|can|could|will|would)\s+{_CAPITAL_DAY}\s+(?:in|come"
    # (not "Would Friday be possible instead": the day asked about)
    r"|be(?!\s+(?:possible|poss|ok|okay|alright|better|good|fine|free|available|easier|convenient"
    r"|any\s+good|an\s+option|doable))"
    r"|checked|seen|looked|have|get)\b"
    # (after a greeting too: "hi May needs her booster", "Hi there, Tuesday is due …", set 172)
    rf"|(?:^|[.!?]\s+|\b(?i:hi|hello|hey|hiya|morning)(?:\s+there)?[,!]?\s+){_CAPITAL_DAY}\s+"
    r"(?:needs|is\s+due|has|'s\s+due)\b"
    rf"|\b{_CAPITAL_DAY}'s\s+(?:appointment|booking|visit|checkup|check-up|vaccination|jab"
    r"|nails|teeth)\b"
    # "book Monday (my cat) for wednesday", "Friday, our dog, needs ..."
    rf"|\b{_CAPITAL_DAY}\s*[(,]\s*(?i:my|our)\s+"
    r"(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|bird|ferret|tortoise|pet)\b"
    # "can our dog Friday come in on Wednesday", "my cat called Sunday"
    r"|\b(?i:my|our)\s+(?i:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|bird|ferret"
    rf"|tortoise|pet)\s+(?:(?i:called|named)\s+)?{_CAPITAL_DAY}\b(?!\s*(?:\d|the\b))"
    # in any case when said outright: "friday's our dog btw", "monday is my cat"
    r"|(?i:\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s|\s+is)\s+(?:our|my)"
    r"\s+(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|bird|ferret|tortoise|pet)\b)"
    # "our cat is called tuesday (long story)"
    r"|(?i:\b(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|bird|ferret|tortoise|pet)(?:'s|\s+is)"
    r"\s+(?:called|named)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
)


_CAPITAL_MONTH = (
    "(January|February|March|April|May|June|July|August|September|October|November|December)"
)
_PET_WORD = r"(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|bird|ferret|tortoise|pet)"
# A capitalised month where only a pet goes: "can May have her jab", "May needs a checkup",
# "May's appointment", "my cat June", "April (my dog)". Not "for May", "in May", "May 3rd".
_MONTH_AS_PET_RE = re.compile(
    rf"\b(?i:book|bring|get|see|have|can|could|will|would)\s+{_CAPITAL_MONTH}\s+(?:in|come"
    # (not "Would Friday be possible instead": the day asked about)
    r"|be(?!\s+(?:possible|poss|ok|okay|alright|better|good|fine|free|available|easier|convenient"
    r"|any\s+good|an\s+option|doable))"
    r"|checked|seen|looked|have|get|needs)\b"
    # (after a greeting too: "hi May needs her booster", "Hi there, Tuesday is due …", set 172)
    rf"|(?:^|[.!?]\s+|\b(?i:hi|hello|hey|hiya|morning)(?:\s+there)?[,!]?\s+){_CAPITAL_MONTH}\s+"
    r"(?:needs|is\s+due|has|'s\s+due)\b"
    rf"|\b{_CAPITAL_MONTH}'s\s+(?:appointment|booking|visit|checkup|check-up|vaccination|jab"
    r"|nails|teeth)\b"
    rf"|\b(?i:my|our)\s+{_PET_WORD}\s+(?:(?i:called|named)\s+)?{_CAPITAL_MONTH}\b(?!\s*\d)"
    rf"|\b{_CAPITAL_MONTH}\s*[(,]\s*(?i:my|our)\s+{_PET_WORD}\b"
)


_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
# Where only a pet goes, in any case: "could april have her teeth cleaned", "can tuesday have
# her jab" (a day or a month has no teeth)
_LOWER_PET = (
    r"\b(?:can|could|will|would)\s+({words})\s+(?:have|get|come|be)\s+(?:her|his|its|their|in"
    r"|seen|checked)\b"
)
_LOWER_MONTH_PET_RE = re.compile(
    _LOWER_PET.format(words=_MONTH_WORDS)
    # "june's booster is due in the new year": a month has no booster
    + rf"|\b({_MONTH_WORDS})'s\s+(?:booster|jabs?|vaccinations?|check\s*-?\s*ups?|teeth|nails"
    r"|dental|groom(?:ing)?)\b",
    re.IGNORECASE,
)
_LOWER_DAY_PET_RE = re.compile(
    _LOWER_PET.format(words="|".join(WEEKDAY_NAMES))
    # "can sunday (our cat lol) get her nails done"
    + rf"|\b({'|'.join(WEEKDAY_NAMES)})\s*[(,]\s*(?:my|our|the)\s+{_PET_WORD}\b"
    # "my dog sunday has a limp": the pet, then what it has or does
    + rf"|\b(?:my|our)\s+{_PET_WORD}\s+({'|'.join(WEEKDAY_NAMES)})\s+(?:has|is|needs|was|had"
    r"|keeps|won't|can't|isn't|hasn't|'s)\b"
    # "monday needs his jabs, any chance of wednesday at half 2?" (set 197): opening the
    # message, the pet and what it needs
     + rf"|^\W*({'|'.join(WEEKDAY_NAMES)})\s+(?:needs|is\s+due|'s\s+due|has\s+to\s+have)\s+"
    r"(?:his|her|their|its|a|an)\b",
    re.IGNORECASE,
)
# A pet the customer has, called by a weekday's name, where its booking is said: "cancel
# monday's jab" ({}: the weekday)
_KNOWN_DAY_PET = (
    r"\b{0}'s\s+(?:appointment|appt|booking|visit|check\s*-?\s*ups?|vaccinations?|jabs?|booster"
    r"|nails|teeth|groom(?:ing)?|dental)\b"
)


def month_pet(message: str) -> str | None:
    """A pet called by a month's name ("can May have her jab on friday", "could april have
    her teeth cleaned"): that month, capitalised, where only a pet goes (never "in May", "May
    3rd"). None otherwise."""
    found = _MONTH_AS_PET_RE.search(message) or _LOWER_MONTH_PET_RE.search(message)
    return None if found is None else next(g for g in found.groups() if g).capitalize()


def weekday_pet(message: str, known: Iterable[str] = ()) -> str | None:
    """A pet called by a weekday's name ("can I book Friday in for thursday at 11am"):
    that weekday, capitalised where a pet goes, when the message names another weekday too
    (else the word is read as the day, as most people mean it); or one of the ``known`` pets
    (booked, with no other pet's booking on that weekday: the caller's to say) where its
    booking is said ("cancel monday's jab"). None otherwise."""
    lowered = message.lower()
    for name in known:
        day = name.lower()
        if day in WEEKDAY_NAMES and re.search(_KNOWN_DAY_PET.format(day), lowered):
            return name.capitalize()
    found = _DAY_AS_PET_RE.search(message) or _LOWER_DAY_PET_RE.search(message)
    if found is None:
        return None
    name = next(g for g in found.groups() if g).capitalize()
    if found.re is _DAY_AS_PET_RE and any(found.groups()[-2:]):
        return name  # said outright: "friday's our dog", "our cat is called tuesday"
    others = {d for d in re.findall(r"[a-z]+day", lowered) if d in WEEKDAY_NAMES} - {name.lower()}
    # ("… can he come thurs 9.30": a weekday shortened)
    others |= {
        short
        for short in re.findall(r"\b(?:mon|tues?|weds?|thu|thurs?|fri)\b", lowered)
        if not name.lower().startswith(short)
    }
    dated = re.search(r"\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,2}/\d{1,2}\b|\btomorrow\b", lowered)
    return name if others or dated else None


def _full_names(names: list[str], message: str, known: list[str]) -> list[str]:
    """``names`` with two new names written capitalised side by side ("Max Power", "Mr
    Whiskers") made one pet's name: with no "and" or comma between them they are one name."""
    merged: list[str] = []
    known_lower = {k.lower() for k in known}
    for name in names:
        if merged and not {merged[-1].lower(), name.lower()} & known_lower:
            pair = rf"(?<![\w'])(?:{re.escape(merged[-1])})\s+(?:{re.escape(name)})(?![\w'])"
            if " " not in name + merged[-1] and re.search(pair, message):
                merged[-1] = f"{merged[-1]} {name}"
                continue
        merged.append(name)
    return merged


def _said_twice(name: str, message: str) -> bool:
    """Whether ``message`` says ``name`` twice in a row, written alike ("bun bun")."""
    return any(
        found.group(1) == found.group(2)
        for found in re.finditer(
            rf"\b({re.escape(name)})\s+({re.escape(name)})\b", message, re.IGNORECASE
        )
    )


def without_pets_said_well(subjects: list[str], message: str) -> list[str]:
    """``subjects`` without the pets ``message`` says are well ("make that Luna instead, Rocky's
    fine" → Luna), unless that would leave none."""
    lowered = message.lower()
    unwell = [
        s for s in subjects if not re.search(_WELL_NAME.format(re.escape(s.lower())), lowered)
    ]
    return unwell or subjects


# A pet said not to need the visit: "domino had his done last week, it's fudge who needs it"
# (set 214), "lady doesn't need one".
_NO_NEED_NAME = (
    r"\b{}\s+(?:had|has\s+had|already\s+had)\s+(?:his|hers|her|its|their)(?:\s+[a-z]+)?\s+done\b"
    r"|\b{}\s+(?:doesn't|does\s+not|doesnt|don't|dont)\s+need\s+(?:it|one|to\s+come|them|that)\b"
)


def needs_no_visit(name: str, message: str) -> bool:
    """Whether ``message`` says pet ``name`` needs no visit ("domino had his done last week",
    "lady doesn't need one")."""
    said = re.escape(name.lower())
    return re.search(_NO_NEED_NAME.format(said, said), message.lower()) is not None


def without_pets_not_needing(subjects: list[str], message: str) -> list[str]:
    """``subjects`` without the pets ``message`` says need no visit ("domino had his done last
    week, it's fudge who needs it" → Fudge), unless that would leave none."""
    return [s for s in subjects if not needs_no_visit(s, message)] or subjects


def is_name(subject: str) -> bool:
    """A pet's name (not "your cat", "cat", "you")."""
    lowered = subject.lower()
    return bool(subject) and not lowered.startswith("your ") and lowered not in {"you", *ANIMALS}


def join(subjects: list[str]) -> str:
    """ "Max", "Max and Bella", "Max, Bella and Rex"."""
    if len(subjects) <= 1:
        return subjects[0] if subjects else ""
    return f"{', '.join(subjects[:-1])} and {subjects[-1]}"


# What people say around a name given as an answer: "It's Rex.", "His name is Rex", "Rex, my
# dog", "Oh sorry, Rex."
_NAME_ANSWER_RE = re.compile(
    r"^\W*(?:(?:yes|yeah|sorry|oh|um+|uh+|er+m?|well|ok(?:ay)?|sure|right)\W+)*"
    r"(?:(?:it's|its|it\s+is|that's|that\s+is|(?:his|her|their|the|my\s+\w+'s)\s+name(?:'s|\s+is)"
    r"|(?:he's|she's|he\s+is|she\s+is|it's|they're)\s+called|called|name's)\s+)?"
    r"(?P<name>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)"
    r"(?:\W+(?:my|our|the)\s+(?:cat|dog|kitten|puppy|rabbit|bunny|hamster|parrot|pet))?\W*$",
    re.IGNORECASE,
)


def name_answer(message: str) -> str | None:
    """The pet's name when ``message`` is nothing but a name given as an answer ("Rex.",
    "It's Rex", "his name is Mr Whiskers", "Rex, my dog"), as it should be read back; None
    when it is anything else (a request, a yes, a day, an animal, a common word)."""
    found = _NAME_ANSWER_RE.match(message.strip())
    if found is None:
        return None
    words = found["name"].lower().split()
    if any(w in _NOT_NAMES or w in ANIMALS or _plain_word(w) or _day_like(w) for w in words):
        return None
    if any(re.search(r"(\w)(?:-\1){3,}", w) for w in words):
        return None  # Whisper looping on a line it could not make out: "P-A-A-A-A-A-A-A-"
    return " ".join(_title(w) for w in words)


# A booked pet said to stay as it is beside a change for another ("can bella's be 3 instead? max
# stays at 2", "simba can stay at 4", "keep max at 2", "leave rocky where he is", "max is still
# coming"): the clause,
# to its end (punctuation, "and", "but", "so").
_KEPT_CLAUSE = (
    r"(?:\b{name}(?:'s)?{booking}\s+(?:all\s+|both\s+)?"
    r"(?:(?:can|will|should|could|is\s+going\s+to|is\s+happy\s+to|'ll)\s+)?"
    # (not where the pet is: "mochi is staying at my sister's this week")
    r"(?:stays?|staying|remains?|stay\s+put)\b"
    r"(?!\s+(?:at|with|in)\s+(?:my|our|a|home|work|[a-z]+'s)\b|\s+(?:over|away)\b)"
    # "peanut's the little one, she stays as she is" (set 197): the pet, then "she stays"
    r"|\b{name}(?:'s|\s+is)\s+[^,.;!?]{{0,25}},\s+(?:she|he|it|they)(?:'ll|\s+can|\s+will)?\s+"
    r"(?:stays?|staying|stay\s+put)\b"
    # "pebble still needs the check up though": that booking is still wanted
    r"|\b{name}\s+still\s+(?:needs|wants|has)\s+(?:the|his|her|their|its)\b"
    # "Leo still needs to come though": his visit is still wanted (not "Max still needs to come
    # but 3 o'clock is difficult": changed)
    r"|\b{name}\s+(?:still\s+)?(?:needs|has|wants)\s+to\s+(?:come(?:\s+in)?|be\s+seen|go)"
    r"(?=\s+(?:though|tho|as\s+planned|as\s+booked|anyway)\b)"
    # ... "bruno still needs to come in, it's daisy's we can't make"
    r"|\b{name}\s+still\s+(?:needs|has|wants)\s+to\s+come\s+in(?=\s*(?:[,.;!?]|$))"
    # "Brownie's coming wednesday as planned"
    r"|\b{name}(?:'s|\s+is)\s+(?:still\s+)?coming\b[^,.;!?]{{0,30}}?\bas\s+(?:planned|booked|normal|usual)\b"
    # "max is still coming", "max can still come", "max's is still on"
    r"|\b{name}(?:'s)?{booking}\s+(?:is|'s|can|will)\s+still\s+(?:coming|come|going|go|on|booked|needed)\b"
    # "angels still coming tomorrow": "angel's", its apostrophe left out (dictation, phones);
    # "clover's still coming"
    # (not "oscar's still on antibiotics till friday": his treatment, not his booking)
    r"|\b{name}(?:'s|s)\s+still\s+(?:coming|going|on(?!\s+(?:antibiotics|medication|meds"
    r"|tablets|pills|steroids|painkillers|insulin|treatment|his|her|their|its)\b)|booked|needed)\b"
    # "cancel lemon's / cosmo still coming" (set 208), not asked ("is cosmo still coming?")
    r"|(?<!\bis\s)\b{name}\s+still\s+coming\b(?![^.!?\n]*\?)"
    # "he'll still bring Ziggy for his jab as planned", "we'll still bring bella": kept
    r"|\b(?:still|just|only)\s+(?:bring|bringing|take|taking)\s+{name}\b"
    r"|\b(?:bring|bringing|take|taking)\s+{name}\b[^,.;!?]{{0,30}}?\bas\s+(?:planned|booked|normal"
    r"|usual)\b"
    # "rusty still at 11", "rusty's still on thursday": where it is booked, unchanged
    r"|\b{name}(?:'s|\s+is)?\s+still\s+(?:at|on)\s+(?=\d|half|quarter|noon|midday|the\b|\w+day\b)"
    # "Felix still tomorrow", "Cachou still thursday" (set 164)
    r"|\b{name}(?:'s|\s+is)?\s+still\s+(?:tomorrow|today|tmrw|(?:mon|tues|wednes|thurs|fri"
    r"|satur)day)\b"
    # "Nieve she still come" (English as a second language): the pet, then who is still coming
    r"|\b{name}\s+(?:she|he|they|it)\s+(?:still|will\s+still|is\s+still)\s+(?:come|comes|coming"
    r"|go|goes|going)\b"
    # "I'll get the vet to have a quick look at him while Oreo's in": Oreo's visit stays
    r"|\bwhile\s+{name}(?:'s|\s+is)\s+(?:in|there|here|being\s+seen)\b"
    # "misty's still fine on friday" (not "max is fine now, cancel it": "still" says it stays)
    r"|\b{name}(?:'s|\s+is)\s+still\s+(?:fine|ok|okay|good)\b(?!\s*\?)"
    # "the older one's fine at 4.30" (set 148): fine where her booking is
    r"|\b{name}(?:'s|\s+is)\s+(?:fine|ok|okay|good)\s+(?:at|on|for)\s+"
    r"(?=\d|half|quarter|noon|midday|the\b|\w+day\b))"
    r"{rest}"
)
# What may stand between the name and "stays" / "is still on": the booking said by a word, its
# service or its day ("bean's groom on friday is still on", "max's one on tuesday stays").
# Pets said to stay as they are, in a list: "buster, luna and oscar are all fine as they are",
# "max is fine where he is".
_KEPT_LIST_RE = re.compile(
    r"(?P<names>(?:\b[A-Za-z][a-z-]+\s*,\s*)*\b[A-Za-z][a-z-]+(?:\s+(?:and|&)\s+[A-Za-z][a-z-]+)?)"
    # ("smudge's one is fine where it is", set 209)
    r"(?:'s(?:\s+(?:1|one|appointment|appt|booking))?)?\s+(?:are|is|'re|'s)\s+(?:all\s+|both\s+)?"
    r"(?:fine|ok|okay|good|staying)\s+(?:as|where)\s+"
    r"(?:they|he|she|it)\s+(?:are|is)\b",
    re.IGNORECASE,
)
# Two or more pets said to be still on: "bramble and thistle still fine for tomorrow", "max and
# bella are both still on" (one pet "still on" may be asked about: "is Bella still on for
# friday?")
_KEPT_PAIR_RE = re.compile(
    r"(?P<names>(?:\b[A-Za-z][a-z-]+\s*,\s*)*\b[A-Za-z][a-z-]+\s+(?:and|&)\s+[A-Za-z][a-z-]+)"
    r"\s+(?:(?:are|'re)\s+)?(?:both\s+|all\s+)?still\s+(?:fine|ok|okay|good|on|coming|booked)\b",
    re.IGNORECASE,
)
_KEPT_BOOKING = (
    r"(?:\s+(?:one|appointment|appt|booking|slot|time|[a-z]+(?:ing|s)?))?"
    r"(?:\s+(?:on|at|for)\s+(?:the\s+same\s+(?:time|day)|[a-z0-9:.]+))?"
)
# "keep max at 2", "leave rocky where he is": kept only beside another pet named, as "keep Rex
# on thursday but make it the afternoon" keeps Rex's day and changes his time.
# ... its apostrophe perhaps left out ("keep chutneys jab tho").
_KEEP_CLAUSE = r"\b(?:keep|leave)\s+{name}(?:'s|s)?\b{rest}"
# A pet kept after another thing kept: "keep his jab next week and Sage's on thursday though"
# (the list says it is kept, whoever else is named).
_KEEP_TOO_CLAUSE = r"\b(?:keep|leave)\s+[^,.;!?]{{1,40}}?\s+(?:and|&)\s+{name}(?:'s|s)?\b{rest}"
# (a dash between words ends a clause too: "Tilly will still come for hers – does she need …")
_CLAUSE_REST = r"(?:(?![,.;!?]|\s+(?:and|but|so)\s|\s+[–—-]+\s).)*"


def pets_still_fine(message: str, names: list[str]) -> list[str]:
    """Of ``names``, those ``message`` lists as staying as they are ("bramble and thistle still
    fine for tomorrow", "buster, luna and oscar are all fine as they are"): never pets to change,
    even when no other pet is named."""
    listed = {w for _, words in _kept_lists(message) for w in words}
    return [n for n in names if n.lower() in listed]


def _kept_lists(message: str) -> list[tuple[re.Match[str], set[str]]]:
    """Each list of pets ``message`` says stay as they are (``_KEPT_LIST_RE``,
    ``_KEPT_PAIR_RE``), with its words in lower case."""
    return [
        (found, {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", found["names"])})
        for found in [*_KEPT_LIST_RE.finditer(message), *_KEPT_PAIR_RE.finditer(message)]
    ]


def without_pets_kept(
    message: str, names: list[str], *, whole: bool = True, known: bool = False
) -> tuple[str, list[str]]:
    """(``message`` without its clauses saying one of ``names`` stays as it is, those names):
    "oh wait can bella's be 3 instead? max stays at 2" → ("oh wait can bella's be 3 instead? ",
    ["Max"]). The clause's day and time are the kept booking's, not a new one. ``message`` whole
    and no names when it is nothing but such a clause (unless not ``whole``: a sentence of a
    message that says more). ``known``: ``names`` are already known to be kept (read from the
    whole message), so "keep max" needs no other pet named beside it."""
    kept: list[str] = []
    rest = message
    for listed, listed_names in _kept_lists(message):
        # "buster, luna and oscar are all fine as they are": each of them kept
        kept += [
            n
            for n in names
            # ("angels still coming": "angel's", its apostrophe left out)
            if (n.lower() in listed_names or f"{n.lower()}s" in listed_names) and n not in kept
        ]
        rest = rest.replace(listed.group(0), " ")
    for name in names:
        if name in kept:
            continue
        said = re.escape(name.lower())
        cut = re.sub(
            _KEPT_CLAUSE.format(name=said, booking=_KEPT_BOOKING, rest=_CLAUSE_REST),
            " ",
            rest,
            flags=re.IGNORECASE,
        )
        if cut == rest:
            cut = re.sub(
                _KEEP_TOO_CLAUSE.format(name=said, rest=_CLAUSE_REST),
                " ",
                rest,
                flags=re.IGNORECASE,
            )
        if cut == rest:
            kept_too = re.sub(
                _KEEP_CLAUSE.format(name=said, rest=_CLAUSE_REST), " ", rest, flags=re.IGNORECASE
            )
            others = [n for n in names if n != name]
            if known or any(
                re.search(rf"\b{re.escape(o)}\b", kept_too, re.IGNORECASE) for o in others
            ):
                cut = kept_too
        if cut != rest:
            kept.append(name)
            rest = cut
    if not kept or (whole and not re.search(r"[a-z0-9]", rest, re.IGNORECASE)):
        return message, []
    return rest, kept


# Another pet's visit given as the model for this one: "can milo have the same as bella (had last
# week)?", "what bella had", "the same thing as bella's", "like bella got".
_MODEL_PET = (
    r"\b(?:the\s+)?same(?:\s+(?:thing|service|treatment|one))?\s+as\s+{name}\b"
    r"|\b(?:what|like)\s+{name}(?:'s\b|\s+(?:had|got|has|did|gets|is\s+having|is\s+getting)\b)"
)


def pets_copied(message: str, names: list[str]) -> list[str]:
    """The ones of ``names`` whose visit ``message`` gives as the model for another pet's ("can
    milo have the same as bella had last week?" → ["Bella"]): no pet to book themselves."""
    lowered = message.lower()
    return [
        name
        for name in names
        if re.search(_MODEL_PET.format(name=re.escape(name.lower())), lowered)
    ]


# A pet named that needs nothing ("Rex doesn't need anything, he's all up to date", "nothing
# for Bella this time") or is no more ("our old cat Oscar … we lost him in October", "Oscar
# passed away"): {name} is the name, in lower case.
_NEEDS_NOTHING = (
    r"\b{name}\s+(?:doesn't|does\s+not|don't|won't|will\s+not)\s+need\s+(?:anything|a\s+thing"
    r"|one|it|to\s+come|to\s+be\s+seen)\b"
    r"|\b{name}(?:'s|\s+is)\s+(?:all\s+|fully\s+|already\s+)?up\s+to\s+date\b"
    r"|\bnothing\s+for\s+{name}\b"
    r"|\b(?:our|my)\s+(?:late|beloved|dear\s+old)\s+(?:(?:cat|dog|kitten|puppy|rabbit|boy|girl)\s+)?"
    r"{name}\b"
    r"|\b{name}\s+(?:passed\s+away|died|was\s+put\s+to\s+sleep|crossed\s+the\s+rainbow\s+bridge)\b"
    r"|\b(?:lost|losing)\s+{name}\b"
)
# A loss told: "passed away", "we lost him", "put to sleep".
_LOSS_RE = re.compile(
    r"\b(?:passed\s+away|passed|died|lost\s+(?:him|her)|put\s+to\s+sleep|rainbow\s+bridge|rip)\b"
)
# ... or said of a pet just named by a pronoun: "… Oscar, he was with you for years. We lost him
# in October"
_GONE_PRONOUN_RE = re.compile(
    r"\b(?:lost|losing)\s+(?:him|her)\b|\b(?:he|she)\s+(?:passed\s+away|died|was\s+put\s+to\s+sleep)"
    r"\b",
    re.IGNORECASE,
)


def pets_not_coming(message: str, names: list[str]) -> list[str]:
    """Of ``names``, those ``message`` says need nothing or are no more (``_NEEDS_NOTHING``, a
    loss said of the pet named just before with "him"/"her"): no pets to book."""
    lowered = message.lower()
    out = [n for n in names if re.search(_NEEDS_NOTHING.format(name=re.escape(n.lower())), lowered)]
    if _LOSS_RE.search(lowered):
        # "our old cat Oscar … we lost him": old, and gone (not "our old cat Whiskers hasn't had
        # a check-up in ages", who is coming)
        out += [
            n
            for n in names
            if n not in out
            and re.search(
                rf"\b(?:our|my)\s+old\s+(?:(?:cat|dog|kitten|puppy|rabbit|boy|girl)\s+)?"
                rf"{re.escape(n.lower())}\b",
                lowered,
            )
        ]
    for gone in _GONE_PRONOUN_RE.finditer(message):
        before = [(lowered.rfind(n.lower(), 0, gone.start()), n) for n in names]
        said = [(at, n) for at, n in before if at >= 0]
        if said and (last := max(said)[1]) not in out:
            out.append(last)
    return out
