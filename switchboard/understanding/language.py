"""Messages in a language the business does not serve get a short answer in that language
saying so (and the team can follow up), rather than a menu in English they may not read.

Detection is ``lingua`` (models shipped inside the package, no download), limited to the
languages customers of a European business most often write in; short messages ("ok", "tmrw
3pm?") are too short to tell, so only messages of two or more words with at most one English
cue word are considered (and fewer cues than other words: "sí yes" and "danke, yes" are English
with a foreign courtesy), and only a confident result that leaves English unlikely counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_CANDIDATES = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr",
    Language.SPANISH: "es",
    Language.GERMAN: "de",
    Language.ITALIAN: "it",
    Language.PORTUGUESE: "pt",
    Language.DUTCH: "nl",
}
_MIN_CONFIDENCE = 0.6
_MAX_ENGLISH = 0.2
_ENGLISH_CUES = re.compile(
    r"\b(?:the|and|my|you|your|is|are|book|appointment|please|thanks|thank|can|could|would"
    r"|what|when|where|how|hi|hello|yes|yeah|ok|okay|tomorrow|today|at|for|to|in|on|i|i'm|i'd|it"
    r"|of|do|like|his|her|she|we|have|get|need|just|if|will|this|that|not|with|there|pm|am)\b"
    # a clock time written the English way: "4pm", "10.30am"
    r"|\d(?:am|pm)\b"
)
# A short answer opened in English: "yes perfetto, grazie!", "ok merci".
_ENGLISH_ANSWER_RE = re.compile(r"^\W*(?:yes|yeah|yep|no|nope|ok|okay|thanks|thank\s+you)\b")
# A short answer made only of yes, ok and thanks words, in English or another language: "sì
# perfetto, grazie", "oui yes, merci beaucoup", "tak, yes 👍" (set 177: customers writing in
# a second language answer our read-back in their first). An answer, not a request we cannot
# read: the agent takes it as the yes or thanks it is.
_ANSWER_WORDS = frozenset({
    "yes", "yeah", "yep", "ok", "okay", "sure", "please", "thanks", "thank", "you", "perfect",
    "great", "fine", "good", "lovely", "oui", "ouais", "si", "sì", "sí", "ja", "jawohl", "sim",
    "tak", "da", "claro", "certo", "perfetto", "perfecto", "parfait", "perfeito", "perfekt",
    "grazie", "gracias", "merci", "danke", "obrigado", "obrigada", "dziękuję", "dziekuje",
    "dzięki", "dzieki", "mille", "beaucoup", "muchas", "tante", "vielen", "dank", "bene", "va",
    "bien", "bitte", "schön", "genau", "d'accord",
})  # fmt: skip
# What the customer reads: "our team serves English only for now; could you write in English?"
NOT_SERVED = {
    "fr": (
        "Bonjour ! Désolés, notre équipe ne répond qu'en anglais pour le moment. "
        "Pourriez-vous nous écrire en anglais ? Merci !"
    ),
    "es": (
        "¡Hola! Lo sentimos, por ahora nuestro equipo solo atiende en inglés. "
        "¿Podría escribirnos en inglés? ¡Gracias!"
    ),
    "de": (
        "Hallo! Leider kann unser Team derzeit nur auf Englisch antworten. "
        "Könnten Sie uns bitte auf Englisch schreiben? Danke!"
    ),
    "it": (
        "Ciao! Purtroppo al momento il nostro team risponde solo in inglese. "
        "Potrebbe scriverci in inglese? Grazie!"
    ),
    "pt": (
        "Olá! Desculpe, de momento a nossa equipa só responde em inglês. "
        "Poderia escrever-nos em inglês? Obrigado!"
    ),
    "nl": (
        "Hallo! Helaas kan ons team op dit moment alleen in het Engels antwoorden. "
        "Kunt u ons in het Engels schrijven? Dank u!"
    ),
    # told by their script (``_SCRIPTS``); the English said too, for whoever reads it
    "ja": (
        "申し訳ありませんが、現在は英語でのみ対応しております。英語でご連絡いただけますか？ "
        "(Sorry, our team serves English only for now: could you write to us in English?)"
    ),
    "zh": (
        "抱歉，我们的团队目前只能用英语回复。请用英语给我们留言好吗？ "
        "(Sorry, our team serves English only for now: could you write to us in English?)"
    ),
    "ko": (
        "죄송합니다. 현재 저희 팀은 영어로만 답변드릴 수 있습니다. 영어로 보내 주시겠어요? "
        "(Sorry, our team serves English only for now: could you write to us in English?)"
    ),
    "ru": (
        "Здравствуйте! К сожалению, сейчас наша команда отвечает только на английском. "
        "Не могли бы вы написать нам по-английски? "
        "(Sorry, our team serves English only for now: could you write to us in English?)"
    ),
    "ar": (
        "مرحبًا! نعتذر، فريقنا يرد حاليًا باللغة الإنجليزية فقط. هل يمكنك مراسلتنا بالإنجليزية؟ "
        "(Sorry, our team serves English only for now: could you write to us in English?)"
    ),
}


# Languages told by their script alone, which the detector's European models cannot: the
# letters of the message, most of them in one of these (Unicode blocks).
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # hiragana, katakana: Japanese, whatever its kanji
    ("zh", re.compile(r"[\u4e00-\u9fff]")),  # CJK ideographs without kana
    ("ko", re.compile(r"[\uac00-\ud7af]")),  # hangul
    ("ru", re.compile(r"[\u0400-\u04ff]")),  # Cyrillic (read as Russian, the most written)
    ("ar", re.compile(r"[\u0600-\u06ff]")),  # Arabic
)


def _script_language(message: str) -> str | None:
    """The language a message mostly written in a non-Latin script is in (``_SCRIPTS``), else
    None."""
    letters = [c for c in message if c.isalpha()]
    if len(letters) < 4:
        return None
    for code, pattern in _SCRIPTS:
        if code == "zh" and _SCRIPTS[0][1].search(message):
            continue  # kana: Japanese
        if len(pattern.findall(message)) * 2 >= len(letters):
            return code
    return None


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).build()


def warm() -> None:
    """Load the detector's models now, by detecting one sentence: loading them took 3.3 s of
    CPU on the benchmark machine (about 20 s under load), and done lazily it would stall the
    first foreign-looking turn — and, in the media process, every call's event loop with it.
    A detection then takes about a millisecond. (Lingua's ``with_preloaded_language_models``
    loads every n-gram order, ~90 MB more per process, for the same speed here.)"""
    _detector().compute_language_confidence_values("je voudrais un rendez-vous demain matin")


def foreign_language(message: str) -> str | None:
    """The ISO 639-1 code of ``message``'s language when it is confidently not English, else
    None (English, too short to tell, or unsure)."""
    script = _script_language(message)
    if script is not None:
        return script
    lowered = message.lower()
    count = len(re.findall(r"\w+", lowered))
    cues = len(_ENGLISH_CUES.findall(lowered))
    if count < 2 or cues >= 2 or 2 * cues >= count:
        return None
    if count <= 4 and _ENGLISH_ANSWER_RE.match(lowered):
        return None  # "yes perfetto, grazie!": an English yes with a foreign word of thanks
    said = re.findall(r"[\w']+", lowered)
    if len(said) <= 6 and all(word in _ANSWER_WORDS for word in said):
        return None  # "sì perfetto, grazie": an answer to our English question
    values = {v.language: v.value for v in _detector().compute_language_confidence_values(message)}
    if not values:
        return None
    top = max(values, key=lambda language: values[language])
    code = _CANDIDATES.get(top)
    if code in (None, "en") or values[top] < _MIN_CONFIDENCE:
        return None
    return code if values.get(Language.ENGLISH, 0.0) < _MAX_ENGLISH else None


def not_served_reply(code: str) -> str | None:
    """The answer in language ``code`` saying the team serves English; None if we have none."""
    return NOT_SERVED.get(code)
