"""Word lists for sentiment and stance: TextBlob's pattern lexicon plus cue lists written for consultkit.

The base lexicon is ``en-sentiment.xml`` from the Pattern project (De Smedt & Daelemans, CLiPS), released
under the Public Domain Dedication and License (PDDL) and installed with TextBlob; it is read from TextBlob's
installed copy, never copied into consultkit. Everything else here was written by hand for consultkit (MIT).
"""

from __future__ import annotations

import functools
from importlib import resources
from xml.etree import ElementTree

__all__ = [
    "AGREE",
    "BOOSTERS",
    "CONDITIONALS",
    "DISAGREE",
    "EMOJI",
    "EMOTICONS",
    "GENERIC_TARGET_WORDS",
    "MODALS",
    "NEGATIONS",
    "OPPOSE",
    "SARCASM",
    "STOPWORDS",
    "SUPPORT",
    "polarity_lexicon",
]


def _words(text: str) -> list[str]:
    return text.split()


#: Words that turn the meaning of what follows in their clause around.
NEGATIONS = frozenset(
    _words(
        "not no never nor neither nobody nothing none nowhere without cannot cant dont doesnt didnt "
        "isnt arent wasnt werent wont wouldnt shouldnt couldnt mustnt neednt hasnt havent hadnt "
        "aint n't"
    )
)

#: Intensifiers (> 1) and diminishers (< 1): they scale the next opinion word.
BOOSTERS: dict[str, float] = {
    **dict.fromkeys(_words("very really so too totally truly super highly deeply such most more quite"), 1.3),
    **dict.fromkeys(
        _words("extremely incredibly absolutely completely utterly entirely insanely seriously"), 1.5
    ),
    **dict.fromkeys(_words("freaking fucking bloody damn damned effing"), 1.5),
    **dict.fromkeys(_words("slightly somewhat kinda sorta barely hardly partly rather fairly"), 0.6),
}

#: Social-media and everyday opinion words the adjective-heavy pattern lexicon lacks or underrates.
_EXTRA_WORDS: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "thank thanks thankful grateful congrats congratulations yay woohoo hooray win wins won "
            "winning enjoy enjoyed enjoying likes liked loved loving lovely brilliant fab fantastic "
            "excellent glad pleased welcome hope hoping hopeful support proud excited exciting haha "
            "hahaha lmao yum cheers bravo wow yay yas yass omg finally blessed beautiful gorgeous "
            "perfect"
        ),
        0.6,
    ),
    **dict.fromkeys(
        _words(
            "hate hated hates sucks suck sucked fail fails failed failure ugh smh wtf rip angry annoyed "
            "annoying upset sad sadly sick tired disgusted disgrace shame shameful scam hoax lies liar "
            "mess disaster waste wasted awful pathetic worse worst ruin ruined ruins broke broken crap "
            "useless cry crying died dead kill killed killing idiot idiots moron damnit dammit "
            "unfortunately fear afraid scared worried worry problem problems hurt hurts lost lose "
            "losing sorry miss missed death deaths war attack attacks terror terrorist racist racism "
            "crisis shooting disappointed disappointing boring bored hell pissed asshole joke destroy "
            "destroying destroyed destruction delayed vandals concerned failing terrible horrible"
        ),
        -0.6,
    ),
}

#: Pattern words that mostly mean something else in posts ("like" a preposition, "ill" for "I'll",
#: "game" a noun); they carry no polarity here.
_NOT_OPINION = frozenset(_words("like ill game many top right mean"))

#: Lexicon polarities weaker than this are mostly descriptive ("new", "first", "old", "black"): ignored.
_WEAK = 0.25

#: Emoticons, as typed (compared in lower case), and their polarity.
EMOTICONS: dict[str, float] = {
    **dict.fromkeys(
        _words(":) :-) :] =) :d :-d =d ;) ;-) :p :-p xd <3 ^_^ ^^ :') (: (-: :3 :o) 8) 8-)"), 0.7
    ),
    **dict.fromkeys(_words(":( :-( :[ =( :'( d: >:( :/ :-/ :\\ :| </3 ): )-: -_- >_< :@ :s"), -0.7),
}

#: Common emoji and their polarity (a hand-written table, not a trained one).
EMOJI: dict[str, float] = {
    **dict.fromkeys(
        "😀😃😄😁😆😊🙂😍🥰😘😗😙😚😋😎🤩🥳😇🤗👍👏🙌🎉🎊✨💯💪🙏😻💕💖💗💓💞💘💝❤♥💙💚💛🧡💜🌟⭐✅🌈☺🏆🥇",
        0.7,
    ),
    **dict.fromkeys("😂🤣😅😉😜😝😛", 0.3),
    **dict.fromkeys(
        "😢😭😞😔😟😕🙁☹😣😖😫😩😠😡🤬👎💔😤😒🙄😑😐🤮🤢😷😱😨😰😥😓🤦💩🖕❌⚠😬😪😿",
        -0.7,
    ),
}

#: Markers that a post means the opposite of what it says (cheap, high-precision ones only).
SARCASM = frozenset({"#sarcasm", "#not", "/s", "#irony", "#sarcastic"})

#: Cue words for taking a side on a target, with their weight (negation flips them).
SUPPORT: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "support supports supported supporting supporter supporters back backs backing endorse "
            "endorses endorsed agree agrees agreed favour favor favours favors approve approves "
            "approved welcome welcomes welcomed yes champion champions defend defends defending proud "
            "vote voting voted votes stand standing want needed need needs ready love loves adore"
        ),
        1.0,
    ),
}
OPPOSE: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "oppose opposes opposed opposing opposition against hate hates reject rejects rejected stop "
            "stopping ban banned scrap scrapped abolish abolished cancel boycott protest protesting "
            "object objects objection resist fight fighting disagree disagrees dump drop ditch hoax "
            "myth scam lie lies fake nonsense ridiculous waste disaster"
        ),
        1.0,
    ),
}

#: Modal verbs and phrases that recommend what follows ("should", "must", "need to", "time to").
MODALS = frozenset(_words("should must shall ought gotta needs let's lets time"))

#: Words that make a clause hypothetical; its cues count for less.
CONDITIONALS = frozenset(_words("if unless whether suppose supposing assuming"))

#: Replies that take the side of, or against, the post they answer.
AGREE = frozenset(
    _words(
        "agree agreed exactly true yes yep yeah absolutely indeed correct right this +1 amen preach "
        "precisely spot well-said"
    )
)
DISAGREE = frozenset(
    _words(
        "disagree wrong nonsense rubbish false nope no untrue bs bullshit ridiculous incorrect lies "
        "lie misleading"
    )
)

#: Words too common in targets to say on their own that a post is about the target.
GENERIC_TARGET_WORDS = frozenset(
    _words(
        "real concern concerns issue issues idea ideas plan plans proposal proposals policy "
        "policies new change changes movement movements good bad big great important people public "
        "government council scheme project option options question local national rights right law "
        "laws make making"
    )
)

#: Function words ignored when reading a target.
STOPWORDS = frozenset(
    _words(
        "a an the of to in on for and or but is are was were be been being it its this that these "
        "those with by at from as we our us you your they their them he she his her i me my should "
        "would could will shall must do does did have has had not no yes about into over under than "
        "then there here what which who whom whose how why when where all any some more most other "
        "such only own same so too very can just"
    )
)


@functools.lru_cache(maxsize=1)
def polarity_lexicon() -> dict[str, float]:
    """Polarity in [-1, 1] of each single word known to the pattern lexicon or the lists above.

    Pattern's polarities are averaged over a word's senses and parts of speech, as TextBlob does; the
    hand-written social-media words fill in what it lacks.
    """
    path = resources.files("textblob").joinpath("en").joinpath("en-sentiment.xml")
    senses: dict[str, list[float]] = {}
    with path.open("rb") as handle:
        for word in ElementTree.parse(handle).getroot().iter("word"):
            form = word.get("form", "")
            if form and " " not in form:
                senses.setdefault(form.lower(), []).append(float(word.get("polarity", "0")))
    lexicon = {form: sum(values) / len(values) for form, values in senses.items()}
    lexicon = {
        form: value for form, value in lexicon.items() if abs(value) >= _WEAK and form not in _NOT_OPINION
    }
    for form, value in _EXTRA_WORDS.items():
        lexicon.setdefault(form, value)
    return lexicon
