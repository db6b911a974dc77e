"""The English profile: the word lists of ``lexicon`` plus the patterns of spoken English.

The next-step cues describe how people commit to or ask for an action ("I'll", "we need to",
"can you", "let's", "don't forget"); the blockers describe plans that are not actions (negated,
hypothetical or in the past). None of them is taken from a particular transcript.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer import lexicon
from transcribe_svc.summarizer.profile import Profile, any_of, cue

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
# Verbs of being and knowing: "she'll know where to look" is no plan.
_STATIVE = "be|know|have|like|love|need|want|think|probably|maybe|see|understand|remember"
_SMALL_NUMBERS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"

ENGLISH = Profile(
    code="en",
    stopwords=lexicon.STOPWORDS,
    social_words=lexicon.SOCIAL_WORDS,
    social_patterns=cue(
        r"\b(talk|speak|chat|catch up|see)( to| with)? (you|ya|y'all|everyone|you all)\b",
        r"\bhave a (good|great|nice|lovely|good one|great one)\b",
        r"^(that's|that is) (it|all|everything|where we are)\b",
        r"\blet me know if (you have )?(any )?(questions|thoughts|concerns)\b",
        r"\b(thanks|thank you) (for|everyone|all|so much|again)\b",
        r"^(bye|goodbye|cheers|take care|love you|signing off|over and out)\b",
        r"^(hi|hey|hello|good morning|morning)\b[^.?!]{0,30}$",
        r"^(it's|this is) (me|just me)\b",
    ),
    evaluative_words=lexicon.EVALUATIVE_WORDS,
    meta_words=lexicon.META_WORDS,
    # "(I) just got off the call with ...": the occasion for the note, said before its points.
    occasion_opener=cue(
        r"^(i |i've |i was |i'm )?(just )?(got off|came out|left|met with|hung up|walked out|"
        r"spoke with|talked to|looked at|was thinking|been thinking|thinking about|been looking)\b"
    ),
    salient_words=lexicon.SALIENT_WORDS,
    number_words=lexicon.NUMBER_WORDS,
    calendar_words=lexicon.CALENDAR_WORDS,
    time_words=lexicon.TIME_WORDS,
    fillers=lexicon.FILLERS,
    soft_fillers=lexicon.SOFT_FILLERS,
    leading_markers=lexicon.LEADING_MARKERS,
    greeting=any_of(
        r"^(hi|hey|hello|hiya|good (morning|afternoon|evening)|morning|afternoon|evening)"
        r"(\s+(there|team|all|everyone|everybody|guys|folks|y'all|[A-Z][\w'-]*))?"
        r"\s*[,!.:;\u2014-]\s*"
    ),
    # Short asides set off by commas; deleting them leaves the sentence's claim intact.
    parentheticals=any_of(
        r",\s*((i|we|they|he|she|you) (said|say|think|thought|guess|mean|know|believe|suppose|"
        r"told me|told us)|finally|honestly|basically|completely|obviously|apparently|actually|"
        r"really|though|of course|i'm afraid|by the way|for example|for now|so far|as usual|again|"
        r"on the other hand|in the meantime|at least|at first|you know|i mean)\s*(,|(?=[.;!?]|$))"
    ),
    # ", which is great": commentary on what was just said.
    comment_clauses=any_of(r",\s*which\b[^,;.!?]*(,|(?=[.;!?]|$))"),
    fixes_lowercase_i=True,
    run_on_markers=lexicon.RUN_ON_MARKERS,
    subject_pronouns=lexicon.SUBJECT_PRONOUNS,
    clause_continuers=lexicon.CLAUSE_CONTINUERS,
    clause_final_words=lexicon.CLAUSE_FINAL_WORDS,
    determiners=lexicon.DETERMINERS,
    conjunctions=lexicon.CONJUNCTIONS,
    contrast_words=lexicon.CONTRAST_WORDS,
    negation_words=lexicon.NEGATION_WORDS,
    subordinators=lexicon.SUBORDINATORS,
    sentence_openers=lexicon.SENTENCE_OPENERS,
    label_cue=cue(
        r"\bnext steps?\b",
        r"\bnext (thing|up)\b",
        r"\baction items?\b",
        r"\bto-?dos?\b",
        r"\bfollow(ing)?[- ]?up\b",
        r"\bgoing forward\b",
        r"\b(the|our|my) (plan|priority|job|task|focus|homework)( now| for \w+)? (is|will be)\b",
        r"\b(my|our) (top |main |first |number one )?priority\b",
        r"\bfirst thing (i'll|i will|i'm going to|i need to|i have to|we'll|we need to|to do|is|"
        r"tomorrow|in the morning|on monday|monday)\b",
        r"\b(main|only|one) thing (i'll|i will|i need to|i have to|we need to|to do|left to do)\b",
        r"\bwhat (i|we) (need|have|want|got) to do (next|now|is|first|tomorrow)\b",
        r"\bwhat (i|we) need (next|now|from you|you to do) is\b",
        r"\bremind (me|us)\b",
        r"^(quick |just a )?reminder\b",
        r"\breminder (to|that|for)\b",
        r"\b(don't|do not) forget\b",
        r"\bremember to\b",
        r"\bmake sure\b",
    ),
    request_cue=cue(
        r"\b(can|could|would|will) (you|someone|somebody|anyone|y'all)\b",
        r"\bplease\b",
        r"\byou('ll)? (need|have|got) to\b",
        r"\byou (should|must)\b",
        r"\bneed (you|someone|somebody) to\b",
        r"\bi('d| would) (like|love) (you|someone) to\b",
        r"\blet me know\b",
    ),
    commit_cue=cue(
        rf"\b(i|we) ?('ll|will|shall)\b(?! ({_STATIVE}|say|see|never|not)\b)",
        r"\b(i|we) ?('m|am|'re|are) (going to|gonna|planning to|planning on)\b(?! be\b)",
        r"\b(i|we) ?(plan|intend) to\b",
        # "I'm meeting them on Friday", "Today we're pairing on it": a dated plan.
        r"\b(i|we) ?('m|am|'re|are) (?!recording|sitting|driving|walking|standing|waiting)\w+ing "
        r"(?=.*\b(today|tonight|tomorrow|this|next|on)\b)",
        r"\b(today|tonight|tomorrow)\b,? (i|we) ?('m|am|'re|are) \w+ing\b",
        r"\blet'?s\b(?! (say|see|hope|just say|be honest)\b)",
        r"\blet me\b(?! (know|tell|say|see|think|be)\b)",
    ),
    obligation_cue=cue(
        r"\b(i|we) ?(\w+ly |just |still |also |really |definitely )?"
        r"('ve got|'ve|have got|need|needs|have|got|gotta) to\b",
        r"\b(i|we) ?(\w+ly |really |still |also )?(must|should|gotta|ought to)\b",
        r"^(need|have|got|gotta) to\b",
        r"\b(i|we) (\w+ly |really |still |also )?need (a|an|the|some|more|another|new|to)\b",
        r"\b(it|this|that) (needs|has) to be\b",
        r"\byou (\w+ly |really |still |also )?(have to|need to|must|should)\b",
        r"\bthe (best|simplest|easiest) (thing|option|plan|way)? ?(is|would be) to\b",
    ),
    intention_cue=cue(
        r"\b(i|we) ?(\w+ly |really |still |also |just )?('d like|would like|want|wanna|hope|"
        r"might|may|could|'d love|would love) (to )?\w",
        r"\b(i'm|we're|i am|we are) (thinking|hoping) (of|about|to)\b",
    ),
    delegate_cue=cue(
        r"\b(?!(i|we|you|it|that|this|there|which|what|who|he|she|they)\b)[a-z]+('ll| will| is "
        r"going to| are going to| is gonna| needs to| has to| is supposed to| said (she|he)'ll|"
        r"'s going to|'s gonna)\b(?! (be|not|never)\b)",
        r"\b(he|she|they) ?('ll|will|is going to|are going to|'s going to|'re going to)\b"
        rf"(?! ({_STATIVE})\b)",
    ),
    imperative_verbs=lexicon.ACTION_VERBS,
    decision_cue=cue(
        r"\b(decide|choose|chosen|pick(?! up)|settle on|figure out (whether|which|if))\b",
        r"\bmake (up (my|our|your) minds?|a (decision|call))\b",
    ),
    time_cue=cue(
        r"\b(today|tonight|tomorrow|asap|eod|eow)\b",
        rf"\b({_WEEKDAYS}|{_MONTHS})\b",
        # "may" is mostly the modal ("I may ask"): the month only after a preposition.
        r"\b(in|on|by|of|early|late|mid|next|this|until|since|before|after) may\b",
        r"\b(this|next|by|before|until|on) "
        r"(morning|afternoon|evening|week|weekend|month|quarter)\b",
        r"\b(by|before|until) (the )?(end|start|beginning|close)\b",
        r"\bend of (the )?(day|week|month|quarter)\b",
        r"\bfirst thing\b",
        r"\b(in|within) (a|an|one|two|three|four|five|a few|a couple of|\d+) "
        r"(minutes?|hours?|days?|weeks?|months?)\b",
        rf"\b(at|by|before|after|until) (noon|midnight|\d{{1,2}}(:\d\d)?|{_SMALL_NUMBERS})\b",
        r"\b\d{1,2}(:\d\d)? ?(a\.?m\.?|p\.?m\.?)",
    ),
    past_cue=cue(
        r"\b(i|we|he|she|they|it|you) (just |already |also )?(\w+ed|was|were|had|did|went|got|"
        r"said|told|made|came|took|saw|sent|spoke|thought|found|left|gave|bought|paid|heard)\b",
    ),
    reported_cue=cue(
        r"\b(said|says|told (me|us|him|her|them)|mentioned|explained|reckons|thinks) (that )?",
    ),
    fact_cue=cue(
        # "don't forget that the rent is due": a fact to keep in mind, not an action.
        r"\b(don't|do not|never) forget that\b",
        r"\bremember that\b",
        r"\b(is|are|was|were|'s|'re) (due|overdue|expiring|closed|booked|scheduled|set for|on)\b",
        r"\b(expires?|deadline|closes|opens|starts|begins|ends) (on|at|in|by|is|this|next)\b",
        r"^(remember|don't forget|do not forget|reminder),? (that )?(the|our|my|it|it's|their|"
        r"his|her)\b",
    ),
    emphasis_cue=cue(
        r"\b(the )?(main|big|key|important|biggest|real) (thing|news|one|point|issue|problem)\b",
        r"\b(most importantly|headline|bottom line|the upshot|in short|long story short)\b",
        r"\b(good|bad|great) news\b",
        r"\b(only|main|biggest|real) (worry|concern|objection|problem|issue|question|risk)\b",
        r"\bwhat (worries|bothers|scares) me\b",
        r"\b(the )?(problem|catch|sticking point|downside|upside) (is|was)\b",
        r"\b(finally|officially|turned out|it turns out)\b",
    ),
    hedge_cue=cue(
        r"\b(maybe|perhaps|possibly|probably|not sure|i guess|i suppose|if we have time|"
        r"at some point|someday|one day|eventually|might)\b",
        r"\b(i|we) (may|might|could)\b",
    ),
    setting_cue=cue(
        r"\b(i'm|i am|we're|just) (recording|sitting|driving|walking|parked|stuck)\b",
        r"\brecording (this|a|from|on|in|while)\b",
        r"\b(from|in) the (car|train|bus|plane|airport|kitchen|office|parking lot)\b",
        r"\bon (my|the) way (home|back|to|in)\b",
    ),
    blocker_cue=cue(
        r"\b(don't|do not|doesn't|does not|won't|will not|no) (need|have) to\b",
        r"\bno (need|next steps?|action items?|further action|action needed)\b",
        r"\bnothing (else )?(to do|needed|required|to follow up)\b",
        r"\bnot (needed|necessary|required)\b",
        r"\b(was|were) (going|supposed|planning|meant) to\b",
        r"\b(i|we) (already|just) (did|sent|called|booked|paid|emailed|fixed|ordered|finished)\b",
        r"\b(could|should|would|might|must)( not|n't)? have (been|done|gone|known|seen|told|"
        r"made|taken|got|gotten|caught|\w+ed)\b",
    ),
    action_prefix=re.compile(
        r"^(so )?(((the|our|my) )?(next steps?|action items?|to-?dos?|plan|reminder|priority|"
        r"job|task|focus)( now)?( for (me|us|you|today|tomorrow|now))?"
        r"( is| are| for| will be)?( to| that)?"
        r"|(here's |so )?what (i|we) (need|have|want|got) to do( next| now| first)?( is)?"
        r"|(the )?(first|main|only) thing (i'll do |i will do |i need to do |to do |i have to "
        r"do )?(tomorrow |in the morning )?is( to)?)\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
