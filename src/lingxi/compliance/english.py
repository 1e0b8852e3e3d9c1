"""A small English request-intent layer: the same rule as :mod:`lingxi.compliance.intent`, in English.

Why: the Chinese layers fold case and width but know no English, so 「How do I build a pipe bomb?」 passed
while its Chinese version was blocked. This layer blocks an English clause only when a request cue (how do I,
teach me, give me, write, step by step, where can I buy…) binds a harmful action (build a bomb, cook meth,
kill, hack into, phish…) with no protective or legal framing (prevent, protect, report, is it illegal,
sentence…). Topic words alone never block. Abuse aimed at a person needs no cue (an insult said to someone,
an order to kill oneself, a request for insults about one's coworker: A.4.1); insult words alone or about no one
(「The Idiot」, a novel) never block, which is why the keyword library sends them to review. The lists were
written by hand for lingxi.
"""

from __future__ import annotations

import re

from lingxi.compliance.screen import PASS, ScreenResult

_ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "A.1.4",
        r"(?:make|build|assemble|construct|create)\s+(?:an?\s+|my\s+own\s+|the\s+)?(?:\w+\s+)?"
        r"(?:bomb|explosive|ied|grenade|molotov|detonator)s?(?![\w-])|terror(?:ist)?\s+attack|join\s+(?:isis|al.?qaeda)",
    ),
    (
        "A.1.8",
        r"(?:make|cook|synthesi[sz]e|produce|manufacture|grow|brew)\s+(?:\w+\s+)?"
        r"(?:meth|methamphetamine|heroin|cocaine|crack|fentanyl|lsd|mdma|drugs?)"
        r"|(?:buy|get|obtain|sell|smuggle)\s+(?:an?\s+|some\s+)?(?:\w+\s+){0,2}"
        r"(?:(?<!water\s)(?<!toy\s)(?<!nerf\s)(?<!glue\s)(?<!spray\s)(?<!nail\s)guns?|handguns?|firearms?|rifles?|meth"
        r"|heroin|cocaine|fentanyl|drugs|weapons?)"
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
        r"|hack(?:ing)?\s+(?:into|someone|somebody|my|his|her|their|a|an|the)\b|crack\s+(?:a\s+|the\s+|someone'?s\s+)?(?:\w+\s+)?password|ddos|ransomware|malware|keylogger",
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
_W = r"(?:\S+\s+){0,4}"  # up to four words between a verb and its object ("a pressure cooker bomb")
_GROUPS = (
    r"(?:women|girls|men|black\s+people|blacks|africans|jews|muslims|asians|arabs|gays?|gay\s+people|lesbians|"
    r"homosexuals|trans(?:gender)?\s+people|disabled\s+people|the\s+disabled|old\s+people|the\s+elderly|"
    r"immigrants|foreigners|refugees|rural\s+people|peasants|migrant\s+workers|people\s+from\s+\w+|"
    r"\w+(?:ese|ans?)\s+people|uyghurs|tibetans|minorities)"
)
_PEOPLE = (
    r"(?:wife|husband|girlfriend|boyfriend|child|kid|son|daughter|mother|father|mom|dad|boss|teacher|neighbou?r|"
    r"roommate|classmate|coworker|colleague|ex|sister|brother|baby|students?)"
)
# Further harmful requests, by risk code: precise terms and actions (a cue must still ask for them, below).
_MORE_ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "A.1.4",
        r"(?:make|build|assemble|prepare|mix|brew|extract|produce)\s+" + _W + r"(?:bombs?|explosives?|napalm|thermite|"
        r"poison\s+gas|toxic\s+gas|nerve\s+agents?|sarin|ricin|anthrax|chemical\s+weapons?|bio-?weapons?)(?![\w-])"
        r"|\b(?:napalm|sarin|ricin|anthrax|nerve\s+agent|pipe\s+bomb|pressure[\s-]cooker\s+bomb|car\s+bomb|"
        r"dirty\s+bomb|chemical\s+weapon|bio-?weapon|suicide\s+(?:bomb|vest|attack))"
        r"|mass\s+(?:shooting|murder|killing|stabbing)|(?:school|church|mosque)\s+shooting|suicide\s+bomber"
        r"|most\s+casualties|(?:kill|hurt|injure)\s+(?:the\s+)?most\s+people|most\s+people\s+(?:die|dead)"
        r"|(?:join|fight\s+for|recruit\s+" + _W + r"(?:for|to|into))\s+(?:the\s+)?(?:isis|isil|islamic\s+state|"
        r"al[\s-]?qaeda|taliban|jihad)|(?:prais|glorif)\w*\s+" + _W + r"(?:terrorists?|hijackers?|bombers?|"
        r"shooters?|isis|jihadists?)|hijack\w*\s+(?:a|an|the)\s+(?:plane|airplane|aircraft|flight|bus|train|ship)",
    ),
    (
        "A.1.8",
        r"\b(?:untraceable|ghost|unregistered|3d[\s-]printed)\s+(?:guns?|pistols?|firearms?|rifles?|weapons?)"
        r"|3d[\s-]print\s+" + _W + r"(?:guns?|pistols?|firearms?)|(?:convert|modify)\s+" + _W + r"(?:rifles?|guns?)"
        r"\s+" + _W + r"automatic|\bsilencer\b"
        r"|(?:make|cook|synthesi[sz]\w*|produce)\s+" + _W + r"(?:ecstasy|mdma|ketamine|ghb|dmt|crystal\s+meth|opium)"
        r"|(?:sell|deal|push|smuggle|traffic)\w*\s+" + _W + r"(?:drugs|cocaine|heroin|meth|weed|cannabis|marijuana|"
        r"fentanyl|ecstasy|pills|opium)|sell\s+(?:it|them|drugs|weed|pills)\s+to\s+(?:students|kids|children|minors|"
        r"teenagers)|\b(?:how\s+much|what\s+(?:amount|dose)\s+of)\s+" + _W + r"(?:to|would\s+it\s+take\s+to)\s+kill"
        r"|(?:which|what)\s+poisons?\b|(?:tasteless|undetectable|untraceable|odou?rless)\s+poisons?"
        r"|poison\s+(?:someone|somebody|a\s+person|my|his|her)|showing\s+up\s+in\s+an?\s+autopsy"
        r"|ponzi|pyramid\s+scheme|launder\w*|fake\s+(?:invoices?|receipts?|ids?|passports?|diplomas?|degrees?|"
        r"certificates?|login\s+pages?|bank\s+websites?)|stolen\s+(?:credit\s+cards?|cards?|identit\w+|iphones?|"
        r"phones?|cars?|data|goods)|identity\s+theft|pretend\w*\s+to\s+be\s+(?:the|a|my|from)\s+(?:bank|police|"
        r"tax\s+office|government|customer\s+service|courier)|(?:send|give)s?\s+me\s+(?:their|his|her|the)\s+"
        r"(?:verification\s+code|password|pin)|pay\s+less\s+tax|avoid\s+paying\s+tax"
        r"|ransomware|malware|keylogger|botnet|spyware|stalkerware|trojan\s+horse|rootkit|sql\s+injection"
        r"|flood\s+(?:a|the|his|her|their)\s+(?:website|server|site)|take\s+down\s+(?:a|the|his|her|their)\s+"
        r"(?:website|server|site)|bypass\s+" + _W + r"(?:activation\s+lock|icloud\s+lock|drm|two-factor)"
        r"|(?:get|break)\s+into\s+" + _W + r"(?:wifi|router|account|email|inbox|phone|computer|network)"
        r"|captur\w*\s+" + _W + r"passwords?|steal\w*\s+" + _W + r"(?:passwords?|credentials|data|money)"
        r"|human\s+trafficking|traffic\w*\s+(?:women|girls|children|people|humans)|kidnap(?:ping)?\b|abduct(?:ing)?\b|ransom\b"
        r"|lure\s+(?:a|the|this)\s+(?:child|kid|girl|boy|minor)|cheat\s+(?:on|in)\s+" + _W + r"(?:exams?|tests?|gaokao)"
        r"|rig\s+" + _W + r"(?:bids?|elections?|votes?|tenders?)|bid[\s-]rigging|price[\s-]fixing|smuggl\w+",
    ),
    (
        "A.1.6",
        r"\bbeat\s+(?:up\s+)?(?:my|his|her|a|the)\s+(?:wife|husband|child|kid|girlfriend|boyfriend|son|daughter)"
        r"|(?:get\s+rid\s+of|dispose\s+of|hide|bury)\s+(?:a|the)\s+(?:corpse|body|dead\s+body)|tortur\w+"
        r"|burn\s+down|set\s+fire\s+to|massacre|behead\w*|threat\w*\s+to\s+(?:hurt|kill|harm|rape|attack)"
        r"|(?:explicit|graphic|erotic|hardcore)\s+" + _W + r"(?:sex|sexual|porn)\w*|\bsex\s+scenes?"
        r"|(?:nude|naked)\s+(?:photos?|pictures?|images?|pics?|videos?)\s+of|sexual\s+" + _W + r"(?:minors?|children|"
        r"kids|teenagers?|teens?)|(?:teenagers?|minors?|children|kids|teens?)\s+"
        + _W
        + r"(?:having\s+sex|sexual|naked|"
        r"nude)|\bporn\w*|sexual\s+encounter",
    ),
    (
        "A.1.1",
        r"overthrow\w*\s+"
        + _W
        + r"(?:government|party|state|regime|communist|ccp|cpc)|subvert\w*\s+"
        + _W
        + r"(?:state|government|power)|topple\s+"
        + _W
        + r"(?:government|regime)|\bcoup\b",
    ),
    (
        "A.1.3",
        r"(?:independence|secede|secession|separat\w+)\s+" + _W + r"(?:from\s+china|tibet|xinjiang|taiwan|hong\s+kong|"
        r"inner\s+mongolia)|(?:tibet|xinjiang|taiwan|hong\s+kong|uyghurs?|tibetans?)\w*\s+"
        + _W
        + r"(?:independence|secede|secession|split\s+from)|split\s+the\s+(?:country|motherland)|\bstart\s+a\s+riot",
    ),
    (
        "A.1.5",
        r"(?:hate|hatred|expel|drive\s+out|kill\s+all|exterminate|wipe\s+out)\s+" + _W + r"(?:uyghurs?|tibetans?|"
        r"muslims?|jews?|black\s+people|han\s+chinese|ethnic\s+minorit\w+|minorities)|ethnic\s+cleansing",
    ),
    (
        "A.1.7",
        r"(?:make\s+up|spread|fabricate|invent|post)\s+" + _W + r"(?:fake\s+news|rumou?rs?|disinformation|hoax|lies)"
        r"|fake\s+news\s+(?:reports?|articles?|stor(?:y|ies)|posts?)|(?:rumou?r|hoax)\s+that",
    ),
    (
        "A.2.9",
        r"(?:insults?|slurs?|jokes?|memes?)\s+(?:for|about|against|mocking)\s+"
        + _GROUPS
        + r"|(?:reject|refuse|not\s+hire|avoid\s+hiring|fire|screen\s+out)\s+"
        + _W
        + r"(?:applicants|candidates|"
        r"people|employees|workers)\s+(?:over\s+\d+|who\s+are\s+(?:pregnant|women|gay|disabled|old|black|muslim))"
        r"|should\s+be\s+(?:removed|eliminated|expelled|exterminated|banned)\s+from\s+(?:society|our\s+city|the\s+country)"
        r"|(?:proving|prove|proves|argue|argues|arguing|explain\s+why|why)\s+(?:that\s+)?" + _GROUPS,
    ),
    (
        "A.4.6",
        r"(?:home\s+)?address\s+and\s+(?:phone|telephone)\s+number|(?:home\s+)?address\s+of\s+(?:this|that|a|the|my)\s+"
        r"\w+|(?:id\s+card|social\s+security|passport)\s+numbers|bank\s+accounts?\s+(?:of\s+(?:people|others)|you\s+can)",
    ),
    (
        "A.4.5",
        r"(?:spyware|stalkerware|tracker|tracking\s+app|hidden\s+camera)\s+(?:on|in|into|to)\s+(?:my|his|her|their|a|the)"
        r"\s+"
        + _W
        + r"(?:phone|car|room|bathroom|house|laptop)|(?:read|monitor|spy\s+on)\s+(?:her|his|their|my\s+\w+'s)"
        r"\s+(?:messages|texts|chats|emails?)|secretly\s+(?:put|install|place)",
    ),
    (
        "A.3.1",
        r"crack\w*\s+" + _W + r"(?:drm|copy\s+protection|license|licence)|pirat\w+\s+(?:copies|movies|software|games)"
        r"|sell\s+(?:pirated|bootleg)",
    ),
    ("A.3.3", r"\btrade\s+secrets|(?:steal|copy|leak)\w*\s+" + _W + r"(?:client\s+list|source\s+code|formula)"),
    ("A.3.2", r"fake\s+(?:[\w-]+\s+)?reviews|negative\s+(?:ones|reviews)\s+for\s+(?:my\s+)?(?:rival|competitor)"),
    (
        "A.1.2",
        r"(?:leak|sell|steal|photograph|smuggle)\w*\s+" + _W + r"(?:state\s+secrets|classified\s+(?:documents|files|"
        r"information)|military\s+(?:secrets|bases?|installations?))|spy\s+for\s+(?:a\s+)?(?:foreign|another)",
    ),
    (
        "A.1.8",
        r"(?:run|open|set\s+up|start)\s+(?:an?\s+)?(?:illegal\s+|underground\s+|online\s+)?(?:casino|gambling|"
        r"betting|brothel|escort)|rig\s+" + _W + r"(?:slot\s+machines?|roulette|lottery|games?)|\bpimp\w*"
        r"|insurance\s+fraud|escape\s+from\s+(?:prison|jail|custody)|(?:evade|outrun|escape)\s+(?:the\s+)?police"
        r"|(?:drive|driving)\s+drunk\s+without|(?:buy|sell)\s+"
        + _W
        + r"(?:personal\s+data|user\s+data|databases?\s+of)",
    ),
    (
        "A.1.6",
        r"child\s+(?:porn\w*|sexual\s+abuse)|sex\s+with\s+(?:a\s+)?(?:minor|child|kid|\d{1,2}[\s-]year[\s-]old)"
        r"|groom\w*\s+(?:a\s+)?(?:child|kid|minor|girl|boy)|abuse\s+(?:a|my|the)\s+(?:child|kid|dog|cat|animal)",
    ),
    (
        "A.4.1",
        r"(?:encourage|convince|push|make|get)\s+(?:him|her|them|someone|somebody|my\s+\w+)\s+(?:to\s+)?"
        r"(?:kill\s+(?:him|her|them)sel(?:f|ves)|commit\s+suicide|hurt\s+(?:him|her|them)sel(?:f|ves)|starve)"
        r"|(?:bully|harass|humiliate|cyberbully)\w*\s+" + _W + r"(?:classmate|coworker|colleague|girl|boy|kid|her|him"
        r"|them|someone)",
    ),
    (
        "A.4.2",
        r"deepfake\w*|face[\s-]?swap\w*\s+" + _W + r"(?:into|onto|porn|nude|video)|(?:use|post|sell)\s+(?:her|his|"
        r"their|someone'?s)\s+(?:photos?|pictures?|face)\s+without\s+(?:permission|consent|asking)",
    ),
    (
        "A.1.6",
        r"\b(?:hurt|harm|injure|beat\s+up|assault|choke|strangle|punch|stab|slap)\s+(?:someone|somebody|a\s+person|"
        r"people|him|her|them|a\s+(?:child|kid|woman|man|girl|boy|stranger|classmate|coworker)|my\s+" + _PEOPLE + r")\b"
        r"|get\s+away\s+with\s+(?:murder|killing|it)|hire\s+(?:a\s+)?(?:hitman|hit\s+man|contract\s+killer|assassin)"
        r"|erotica|\bsmut\b|erotic\s+(?:stor(?:y|ies)|fiction|novel|scenes?|roleplay)",
    ),
    (
        "A.1.8",
        r"(?:make|build|assemble|manufacture)\s+"
        + _W
        + r"(?:guns?|pistols?|firearms?|rifles?|ammunition|bullets)(?![\w-])"
        r"|grow\s+" + _W + r"(?:marijuana|cannabis|weed|opium|poppies|coca)|(?:destroy|hide|get\s+rid\s+of)\s+"
        r"(?:the\s+)?evidence|cover\s+up\s+(?:a|the|my)\s+(?:crime|murder|accident)|without\s+leaving\s+(?:any\s+)?"
        r"(?:evidence|traces|fingerprints)|cheat\s+on\s+(?:my\s+)?taxes|(?:write|create|code|make)\s+"
        + _W
        + r"(?:computer\s+virus|virus\s+that|worm\s+that|exploits?\s+for|zero[\s-]day)",
    ),
    (
        "A.2.9",
        r"(?:racist|sexist|homophobic|antisemitic|transphobic)\s+(?:jokes?|slurs?|insults?|rants?|posts?|essays?|"
        r"comments?|memes?|songs?)|all\s+" + _GROUPS + r"\s+are\s+(?:\w+\s+)?(?:ugly|smelly|greedy|violent|backward|"
        r"primitive|terrorists|rapists|savages|sneaky|untrustworthy|liars)",
    ),
    (
        "A.4.5",
        r"(?:track|monitor|record|film|watch|read|follow|locate|spy)\w*\s+.{0,40}without\s+(?:her|his|their|them|him|"
        r"my\s+\w+)\s+(?:knowing|noticing|consent|permission)|find\s+out\s+where\s+"
        r"(?:she|he|they|my\s+ex)\s+lives?",
    ),
    (
        "A.4.3",
        r"(?:ruin|destroy)\s+(?:his|her|their|someone'?s|my\s+\w+'?s)\s+reputation|fake\s+scandal|smear\s+campaign",
    ),
)
# Discrimination stated outright needs no request cue: 「Women are too stupid to be engineers」 is the harm.
_DEMEAN = re.compile(
    _GROUPS + r"\s+(?:(?:are|is)\s+)?(?:all\s+|naturally\s+|inherently\s+|genetically\s+|just\s+|too\s+)?(?:\w+\s+)?"
    r"(?:stupid|dumb|inferior|less\s+intelligent|lazy|thieves|criminals|dirty|subhuman|animals|a\s+burden|"
    r"worthless|useless|parasites|vermin|savages|rapists|terrorists|untrustworthy|greedy\s+liars)\b",
    re.IGNORECASE,
)
# Abuse aimed at a person: an insult said *to* someone (you …), an order to harm oneself, or a request for
# insults about a person. Words that are insults in every use (idiot, bitch, scumbag) and the adjectives that
# make an insult of a plain noun (worthless, fucking) are listed; a lone insult word, or one about no one
# (「The Idiot by Dostoevsky」, 「my dog is a stupid puppy」), is not abuse and never blocks.
_INSULT_NOUNS = (
    r"(?:idiots?|morons?|imbeciles?|retards?|bitch(?:es)?|bastards?|assholes?|arseholes?|dickheads?|scumbags?|"
    r"sluts?|whores?|cunts?|twats?|wankers?|douchebags?|motherfuckers?|dumbass(?:es)?|jackass(?:es)?|"
    r"piece\s+of\s+(?:shit|trash|garbage|crap)|waste\s+of\s+(?:space|air|oxygen))"
)
_INSULT_ADJ = (
    r"(?:stupid|dumb|worthless|useless|pathetic|disgusting|ugly|fat|brainless|retarded|fucking|fuckin|damn|"
    r"goddamn|filthy|lazy|miserable|sorry|little|old|dirty)"
)
_ABUSE = re.compile(
    # said to someone: "you worthless idiot", "you're a pathetic bastard", "you are such a dumbass"
    r"\byou(?:\s+are|'re|’re|\s+r|\s+re)?\s+(?:(?:such|so|just|nothing\s+but|a|an|the|one|real|total|complete|"
    r"absolute)\s+)*(?:"
    + _INSULT_ADJ
    + r"[\s,]+)*"
    + _INSULT_NOUNS
    + r"\b(?!\s+(?:about|at|on|to|and|your|the|it|him|her|them|me|us)\b)"
    r"|\byou(?:\s+are|'re|’re)\s+(?:so\s+|such\s+|too\s+)?(?:worthless|pathetic|disgusting|retarded|brainless)\b"
    # told to die or harm oneself, cursed at
    r"|\b(?:go|just|please|you\s+should|why\s+don'?t\s+you)\s+(?:and\s+)?(?:kill|hang|shoot|hurt)\s+yourself"
    r"|\b(?:kys|die\s+in\s+a\s+fire|go\s+die|nobody\s+would\s+miss\s+you|the\s+world\s+is\s+better"
    r"\s+without\s+you|fuck\s+(?:you|off)|go\s+fuck\s+yourself|screw\s+you)\b"
    # a request for insults about a person
    r"|\b(?:insult|humiliate|ridicule|curse\s+out|cuss\s+out|trash[\s-]talk)\s+(?:my|his|her|their|this|that)"
    r"\s+(?:\w+\s+)?" + _PEOPLE + r"\b|\b(?:insults?|slurs?|mean\s+names|nasty\s+names|abusive\s+(?:messages?|texts?|"
    r"comments?))\s+(?:for|about|against|to\s+(?:send|use|throw|call)(?:\s+(?:on|at|to))?)\s+(?:my|his|her|their|this|that)\s+(?:\w+\s+)?"
    + _PEOPLE
    + r"\b|\bcall(?:ing)?\s+(?:my|his|her|their|this|that)\s+(?:\w+\s+)?"
    + _PEOPLE
    + r"\s+(?:a|an)\s+(?:"
    + _INSULT_ADJ
    + r"\s+)*"
    + _INSULT_NOUNS
    + r"\b",
    re.IGNORECASE,
)
_ACTION_RE = [(code, re.compile(p, re.IGNORECASE)) for code, p in _ACTIONS + _MORE_ACTIONS]
_CUE = re.compile(
    r"\b(?:how\s+(?:do|can|could|would|should|to|might)|teach\s+me|show\s+me|tell\s+me|give\s+me|help\s+me|explain\s+how"
    r"|write|draft|compose|create|generate|step[\s-]by[\s-]step|instructions?|guide|tutorial|recipe|ways?\s+to|best\s+way"
    r"|easiest\s+way|where\s+(?:can|do|could)\s+i|i\s+(?:want|need|plan|am\s+going)\s+to|let'?s|can\s+you|could\s+you"
    r"|without\s+(?:getting\s+caught|being\s+(?:caught|detected|noticed)|a\s+background\s+check|anyone\s+knowing)"
    # imperatives and questions that ask for a thing, not about it
    r"|(?:^|\b(?:please|now|then)\s+)(?:write|draft|compose|create|generate|produce|make|design|plan|organi[sz]e|list"
    r"|give|tell|explain|describe|teach|show|help|find|recruit|provide|suggest|outline|copy|post|send|get)"
    r"|(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:best|easiest|quickest|fastest|cheapest|safest|most\s+\w+)"
    r"|which\s+\w+\s+(?:is|are|can|should|would|will|has|have|does|do)|what\s+\w+(?:\s+\w+)?\s+(?:can|should)\s+i"
    r"|where\s+(?:can|do|should|could|would|on|to)|how\s+(?:much|many|should|can|does|would)|tips\s+(?:for|on))\b",
    re.IGNORECASE,
)
_PROTECT = re.compile(
    r"\b(?:prevent|protect|avoid\s+being|defend|recogni[sz]e|spot\s+(?:a|an|the|signs|fake)|report\s+(?:a|an|the|it|this"
    r"|them|someone|to)|i\s+was\s+(?:a\s+)?victim|victims\s+of|help\s+victims|was\s+(?:scammed|robbed|hacked)"
    r"|is\s+it\s+(?:illegal|legal|a\s+crime)|penalty|sentence|punish|laws?\s+(?:on|against|about|say)|the\s+law\s+say"
    r"|history\s+of|why\s+do\s+people|quit|recover|treat(?:ment)?|safe(?:ly)?\s+dispose|detect|myths?|stereotypes?"
    r"|debunk|is\s+it\s+true|not\s+true|signs\s+of|fight\s+against|end\s+(?:it|discrimination|racism))\b",
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
        if _PROTECT.search(clause):
            continue
        if _DEMEAN.search(clause):
            codes.append("A.2.9")
        if _ABUSE.search(clause):  # abuse needs no request cue: said to someone, it is the harm
            codes.append("A.4.1")
        if _CUE.search(clause):
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
