"""Word lists that describe spoken English: fillers, discourse markers, small talk, action verbs.

They are general properties of how people talk into a phone, not phrases from any data set.
Everything is lower-case; callers compare against folded tokens (see ``text.fold``).
"""

from __future__ import annotations

from transcribe_svc.summarizer.profile import cue
from transcribe_svc.summarizer.text import phrase_list, word_set

STOPWORDS = word_set(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else even ever every few for from further get gets
    getting got gonna gotta had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it'd
    it'll it's its itself just let let's like maybe me might more most much must mustn't my myself
    no nor not now of off on once one only or other ought our ours ourselves out over own pretty
    quite rather really right said same say says see shall she she'd she'll she's should shouldn't
    so some still such than that that's the their theirs them themselves then there there's these
    they they'd they'll they're they've thing things think this those though through to too under
    until up upon us very was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's whether which while who who's whom why why's will with won't would
    wouldn't yeah yes yet you you'd you'll you're you've your yours yourself yourselves going go
    want wanted need needs know mean guess okay ok alright oh well kind sort lot bit way wanna
    actually basically literally honestly anyway anyways um uh uhm umm er erm ah hmm mm mhm
    """
)

# Sounds that carry no content wherever they occur.
FILLERS = phrase_list("um, umm, uh, uhh, uhm, er, erm, ah, hmm, mm, mhm, uh-huh")

# Fillers that are also real words: removed only where commas set them off (", you know,").
SOFT_FILLERS = phrase_list("you know, i mean, like, basically, literally, honestly, actually")

# Openers that link to the previous thought; trimmed so each bullet stands alone.
LEADING_MARKERS = phrase_list(
    """
    so yeah, so basically, so anyway, and then, and also, oh and, oh also, okay so, ok so,
    alright so, all right so, before i forget, by the way, one more thing, last thing,
    other than that, apart from that, on top of that, in any case, just a heads up, heads up, fyi,
    so, and, but, also, well, okay, ok, alright, all right, right, yeah, yes, yep, oh, anyway,
    anyways, now, then, plus, look, listen, um, uh, basically, honestly, actually, like,
    you know, i mean, besides, hi, hey, hello
    """
)

# Words of greeting, thanks and leave-taking; a sentence made mostly of them is small talk.
SOCIAL_WORDS = word_set(
    """
    hi hey hello morning afternoon evening night good great nice thanks thank cheers bye goodbye
    everyone everybody all team guys folks y'all hope hoping well weekend day talk soon later
    care love lovely awesome cool fine happy doing how hear speak chat catch listening hopefully
    wonderful appreciate jumping joining quick self just anyway here me it's
    """
)

# Opinion and intensity words: a sentence made of them is commentary ("It went really well"),
# so they do not count towards how much a sentence says.
EVALUATIVE_WORDS = word_set(
    """
    good great nice bad awful terrible amazing awesome cool fine okay well better worse overall
    pretty quite super honestly happy glad sad shame crazy insane weird fun interesting exciting
    excited nervous worried stressful thrilled lovely perfect solid strong tough rough definitely
    totally kinda basically probably everything anything something stuff sure
    """
)

# Words that name the note itself ("Quick recap of the call"): an opening line built on one is a
# heading, not a point.
META_WORDS = word_set(
    """
    note notes recap debrief update summary memo call meeting interview idea voice message
    recording rundown thoughts
    """
)

# Decisions, outcomes and problems: what a reader of a work note most needs to see.
SALIENT_WORDS = word_set(
    """
    decided decision agreed approved signed cancelled canceled confirmed chose rejected declined
    won lost launched shipped released deployed fixed broke broken failed failing blocked blocker
    delayed postponed priority deadline budget risk problem issue bug outage concern complaint
    worry worried worries objection pushback hesitant nervous afraid scared doubt doubts
    accepted granted passed succeeded awarded offered hired promoted diagnosed yes
    """
)

# Spelled-out quantities: as informative as digits ("forty minutes", "two hundred hours").
NUMBER_WORDS = word_set(
    """
    two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion percent half dozen
    """
)

# Named days and months are facts; "may" is left out, as it is mostly the modal.
CALENDAR_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december
    """
)

# Words that say when rather than what: left out when comparing what sentences are about.
TIME_WORDS = CALENDAR_WORDS | word_set(
    """
    today tomorrow yesterday tonight morning afternoon evening night day days week weeks weekend
    month months year years hour hours minute minutes time last next ago earlier later soon
    """
)

# Base forms that open an imperative ("Call the vet", "Send Dana the deck").
ACTION_VERBS = word_set(
    """
    add answer apply arrange ask book bring buy call cancel change check clean clear collect
    compare confirm contact create deploy double-check draft drop email file fill finalize find
    finish fix follow forward get grab hire invite look mail make merge move note order organize
    pay phone pick ping plan post prepare print push put reach read remember remind renew reply
    reschedule research review run schedule send set share sign start submit take talk tell test
    text try update upload verify write
    """
)

# Words that may come before an imperative's verb in any of the six languages without making
# it a statement: the listener named ("you call them", "tu chiama", "vai tu"), a connective
# ("and then send", "e poi manda", "und dann ruf"). Times are told by each profile's time cue.
IMPERATIVE_LEAD_INS = word_set(
    """
    you and then so now also please tu tú vos du ihr y luego entonces ahora también et puis
    alors maintenant aussi e poi allora adesso ora anche und dann jetzt auch bitte mal então
    depois agora também
    """
)

# Copulas of the six languages that complete a pseudo-cleft ("what I'll do, is call them", "ce
# qu'on va faire, c'est ...", "lo que voy a hacer es ...", "was ich mache, ist ...").
COPULAS = word_set("is was c'est c'était es era será é foi será è sarà ist war wird")

# Words that open a clause of purpose, reason or an indirect question in the six languages ("to
# see whether", "pra saber se", "parce que", "um zu", "per capire"): it depends on another one.
PURPOSE_OPENERS = word_set(
    "to whether because pra para porque pour afin parce per perché um damit ob dass che que pa"
)

# A speaker correcting themselves in the six languages ("..., actually no, let's call them",
# "en fait non", "mejor dicho", "nein, warte", "anzi", "ou melhor"): what came before it is
# superseded by what follows.
SELF_CORRECTION = cue(
    r"\b(actually|wait|or rather|no no)\b,? (no|not)\b",
    r"\b(no wait|scratch that|i mean|or rather|sorry)\b(?! (for|about|to)\b)",
    r"\b(en fait non|non attends|pardon|ou plutôt|plutôt non)\b",
    r"\b(mejor dicho|perdón|bueno no|no espera|o mejor)\b",
    r"\b(nein warte|ich meine|besser gesagt|oder besser|äh nein|nee warte)\b",
    r"\b(anzi|no aspetta|cioè no|o meglio|scusa)\b",
    r"\b(quer dizer|aliás|ou melhor|desculpa|não espera)\b",
)

# Clause openers that depend on what follows ("If they sign, ..."): kept with the next step.
SUBORDINATORS = word_set(
    "if when once after before unless until as while because since although though whether"
)

# Words that can open a sentence: a clause starting with one can stand alone as a bullet.
SENTENCE_OPENERS = word_set(
    """
    i i'm i'll i've i'd we we're we'll we've we'd they they're they'll they've he he's she she's
    it it's there there's that's this these those the my our their his her its nobody everyone
    everybody someone somebody people
    """
)

# Subject pronouns: in unpunctuated speech a new clause usually starts with one.
SUBJECT_PRONOUNS = word_set(
    """
    i i'm i'll i've i'd we we're we'll we've we'd they they're they'll they've they'd he he's he'll
    she she's she'll it's there's that's nobody everyone everybody someone somebody
    """
)

# Words after which a subject pronoun continues the same sentence ("I think we ...").
CLAUSE_CONTINUERS = word_set(
    """
    the a an that which who whom whose if when where why how what whether because since so and or
    but nor as than then to of for from with about in on at by think thought know knew guess said
    say says mean means hope hoped feel felt sure told tell ask asked wish believe realized realize
    saw see heard hear until unless while once after before though although can could would should
    will did do does let let's make made is was are were be been yes no yeah okay ok
    """
)

# Words that usually open a new sentence in unpunctuated speech.
RUN_ON_MARKERS = word_set(
    "so anyway anyways okay ok alright also but oh then um uh plus yeah besides"
)

# Where no punctuation survives, these usually end a clause; a determiner after them starts one
# ("... this afternoon the log volume filled up").
CLAUSE_FINAL_WORDS = word_set(
    """
    today tomorrow yesterday tonight week weekend month morning afternoon evening again already
    though too anyway
    """
)
DETERMINERS = word_set("the a an my our their his her this these those")

# Conjunctions that open a clause: where a long sentence may be split or cut.
CONJUNCTIONS = word_set(
    "and but so because which while although though since whereas otherwise or then"
)
CONTRAST_WORDS = word_set("but however though although")

# Negations, with the apostrophe-less spellings lower-case ASR text gives ("cant", "wont").
NEGATION_WORDS = word_set(
    """
    not no never nothing nobody none nor neither can't cannot won't don't doesn't didn't isn't
    aren't wasn't weren't haven't hasn't hadn't wouldn't couldn't shouldn't cant wont dont doesnt
    didnt isnt arent wasnt werent havent hasnt couldnt wouldnt shouldnt
    """
)
