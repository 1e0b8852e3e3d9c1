"""A small English request-intent layer: the same rule as :mod:`lingxi.compliance.intent`, in English.

Why: the Chinese layers fold case and width but know no English, so 「How do I build a pipe bomb?」 passed
while its Chinese version was blocked. This layer blocks an English clause only when a request cue (how do I,
teach me, give me, write, step by step, where can I buy…) binds a harmful action (build a bomb, cook meth,
kill, hack into, phish…) with no protective or legal framing (prevent, protect, report, is it illegal,
sentence…). Topic words alone never block. The lists were written by hand for lingxi.
"""

from __future__ import annotations

import re

from lingxi.compliance.screen import PASS, ScreenResult

_ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "A.1.4",
        r"(?:make|build|assemble|construct|create)\s+(?:an?\s+|my\s+own\s+|the\s+)?(?:\w+\s+)?"
        r"(?:bomb|explosive|ied|grenade|molotov|detonator)s?|terror(?:ist)?\s+attack|join\s+(?:isis|al.?qaeda)",
    ),
    (
        "A.1.8",
        r"(?:make|cook|synthesi[sz]e|produce|manufacture|grow|brew)\s+(?:\w+\s+)?"
        r"(?:meth|methamphetamine|heroin|cocaine|crack|fentanyl|lsd|mdma|drugs?)"
        r"|(?:buy|get|obtain|sell|smuggle)\s+(?:an?\s+|some\s+)?(?:\w+\s+){0,2}"
        r"(?:guns?|handguns?|firearms?|rifles?|meth|heroin|cocaine|fentanyl|drugs|weapons?)"
        r"|launder(?:ing)?\s+money|money\s+laundering|counterfeit|forge\s+(?:a\s+)?(?:\w+\s+)?"
        r"(?:passport|id|document|signature|check|money)|evade\s+taxes|tax\s+evasion|bribe",
    ),
    (
        "A.1.6",
        r"\b(?:kill|murder|poison|strangle|stab|shoot|kidnap|abduct|torture)\s+(?:a\s+|my\s+|the\s+|some)?"
        r"(?:\w+\s+)?(?:person|people|someone|somebody|him|her|them|man|woman|child|kid|wife|husband|boss|neighbou?r)"
        r"|\brape\b|arson|set\s+(?:a\s+|the\s+)?(?:\w+\s+)?on\s+fire|rob\s+(?:a|the)\s+\w+|dispose\s+of\s+a\s+body"
        r"|hide\s+a\s+body|porn(?:ographic)?\s+(?:story|stories|content|images?)|sexual\s+content\s+(?:about|with)\s+minors?",
    ),
    (
        "A.1.8",
        r"\b(?:steal|shoplift|pickpocket|break\s+into|burglar(?:ize)?|hotwire)\b"
        r"|\b(?:scam|defraud|con|swindle|phish)\b|phishing\s+(?:email|site|page|message)"
        r"|hack\s+(?:into\s+)?|crack\s+(?:a\s+|the\s+|someone'?s\s+)?(?:\w+\s+)?password|ddos|ransomware|malware|keylogger",
    ),
    (
        "A.4.5",
        r"\b(?:spy\s+on|stalk|track|wiretap)\s+(?:my\s+|a\s+|an\s+|the\s+)?(?:ex|wife|husband|girlfriend|boyfriend|"
        r"someone|somebody|neighbou?r|person|coworker|him|her)|hidden\s+camera|secretly\s+(?:record|film|watch)",
    ),
    (
        "A.4.6",
        r"(?:find|get|obtain|steal|look\s+up)\s+(?:\w+\s+){0,2}(?:someone|somebody|a\s+stranger|my\s+ex|"
        r"a\s+person|his|her|their)'?s?\s+(?:home\s+)?(?:address|phone\s+number|ssn|social\s+security|password|"
        r"credit\s+card|bank\s+account|personal\s+information|id\s+number)|dox(?:x)?(?:ing)?\b",
    ),
    ("A.1.7", r"(?:write|create|spread|make\s+up)\s+(?:a\s+|some\s+)?(?:fake\s+news|rumou?rs?|disinformation|hoax)"),
    ("A.4.3", r"defame|\bslander\b|\blibel\b"),
)
_ACTION_RE = [(code, re.compile(p, re.IGNORECASE)) for code, p in _ACTIONS]
_CUE = re.compile(
    r"\b(?:how\s+(?:do|can|could|would|should|to|might)|teach\s+me|show\s+me|tell\s+me|give\s+me|help\s+me|explain\s+how"
    r"|write|draft|compose|create|generate|step[\s-]by[\s-]step|instructions?|guide|tutorial|recipe|ways?\s+to|best\s+way"
    r"|easiest\s+way|where\s+(?:can|do|could)\s+i|i\s+(?:want|need|plan|am\s+going)\s+to|let'?s|can\s+you|could\s+you"
    r"|without\s+(?:getting\s+caught|being\s+(?:caught|detected|noticed)|a\s+background\s+check|anyone\s+knowing))\b",
    re.IGNORECASE,
)
_PROTECT = re.compile(
    r"\b(?:prevent|protect|avoid\s+being|defend|recogni[sz]e|spot|report|victim|was\s+(?:scammed|robbed|hacked)"
    r"|is\s+it\s+(?:illegal|legal|a\s+crime)|penalty|sentence|punish|law|history|news|why\s+do\s+people|quit|recover"
    r"|treat(?:ment)?|safe(?:ly)?\s+dispose|detect)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[.!?;\n]+\s*")
_LATIN = re.compile(r"[A-Za-z]{3,}")


def english_intents(text: str) -> list[str]:
    """The risk codes of English clauses that ask for help doing harm (empty for mentions of a topic)."""
    if len(_LATIN.findall(text)) < 3:  # not English prose
        return []
    codes: list[str] = []
    for clause in _CLAUSE.split(text):
        if not _CUE.search(clause) or _PROTECT.search(clause):
            continue
        codes.extend(code for code, pattern in _ACTION_RE if pattern.search(clause))
    return codes


class EnglishIntentScreener:
    """The English request-intent layer as a :class:`~lingxi.compliance.screen.Screener` (``layer="english"``)."""

    layer = "english"
    lookbehind = 200

    def screen(self, text: str) -> ScreenResult:
        codes = tuple(sorted(set(english_intents(text))))
        if not codes:
            return PASS
        return ScreenResult("block", codes, {c: 1.0 for c in codes}, self.layer)
