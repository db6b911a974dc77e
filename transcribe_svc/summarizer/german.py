"""The German profile: function words, fillers, and how a German speaker states a next step.

Cues: "ich werde" / "wir werden", "lass uns", "ich muss" / "wir sollten", "ich möchte"; an
explicit "als Nächstes", "der nächste Schritt" or "das Erste, was ich mache"; "kannst du ...?" or
"bitte" as a request. German capitalizes every noun, so capitals say nothing about names.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.profile import Profile, cue
from transcribe_svc.summarizer.text import phrase_list, word_set

_DAYS = "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
_MONTHS = "januar februar märz april mai juni juli august september oktober november dezember"

GERMAN = Profile(
    code="de",
    capitalizes_nouns=True,
    stopwords=word_set(
        """
        der die das und ist in zu den von mit sich des auf für nicht ein eine als auch es an er
        so dass sie nach wird bei einer um am sind noch wie einem über einen zum war haben nur
        oder aber vor zur bis mehr durch man sein wurde sei hat ich wir ihr du mir mich uns dann
        ja also halt mal eben schon sehr im dem unseres unser unsere kurze kurz äh ähm na gut
        habe muss müssen werde werden soll sollten wollte eigentlich irgendwie
        """
    ),
    social_words=word_set("hallo hi guten morgen tag abend danke vielen grüße tschüss team alle"),
    meta_words=word_set("notiz notizen zusammenfassung termin besprechung update nachricht"),
    salient_words=word_set(
        """
        entschieden entscheidung genehmigt bewilligt unterschrieben abgesagt bestätigt abgelehnt
        gewonnen verloren gestartet problem risiko budget frist verzögerung verspätet sorge
        bedenken beschwerde einwand fehler kaputt ausgefallen dringend zugesagt
        """
    ),
    number_words=word_set(
        """
        zwei drei vier fünf sechs sieben acht neun zehn elf zwölf fünfzehn zwanzig dreißig
        vierzig fünfzig hundert tausend million millionen prozent hälfte dutzend euro
        """
    ),
    calendar_words=word_set(f"{_DAYS.replace('|', ' ')} {_MONTHS}"),
    fillers=("um", "uh", "äh", "ähm", "hm", "hmm", "öhm", "eh"),
    soft_fillers=("halt", "irgendwie", "sozusagen", "weißt du"),
    leading_markers=phrase_list(
        """
        also gut, na ja, also, ja, und, aber, dann, gut, okay, naja, jedenfalls, übrigens,
        außerdem
        """
    ),
    run_on_markers=word_set("aber also dann außerdem jedenfalls übrigens"),
    conjunctions=word_set("und aber weil dass oder sondern denn"),
    contrast_words=word_set("aber allerdings"),
    negation_words=word_set("nicht kein keine keinen keinem keiner nie niemals niemand nichts"),
    subordinators=word_set("wenn falls sobald bevor nachdem weil"),
    sentence_openers=word_set(
        """
        der die das ich wir er sie es man unser unsere mein meine dieser diese dieses niemand
        alle
        """
    ),
    label_cue=cue(
        r"\bnächste[rn]? schritte?\b",
        r"\bals nächstes\b",
        r"\b(das )?erste,? was (ich|wir) (mache|machen|tue|tun)\b",
        r"\bzuerst (muss|werde|mache|rufe)\b",
        r"\bmeine aufgabe (jetzt )?ist\b",
        r"\bder plan ist\b",
        r"\b(meine|unsere) priorität\b",
        r"\bdie priorität (jetzt )?ist\b",
        r"\bwas (ich|wir) (jetzt|als erstes) (tun|machen) (muss|müssen)\b",
        r"\bnicht vergessen\b",
        r"\bvergiss (nicht|bloß nicht)\b",
        r"\bdenk(t)? (bitte )?dran\b|\bdenk(t)? (bitte )?daran\b",
    ),
    request_cue=cue(
        r"\bbitte\b", r"\b(kannst du|könnt ihr|können sie|könntest du|könnten sie|würdest du)\b"
    ),
    commit_cue=cue(
        r"\b(ich|wir) (werde|werden)\b(?! (wohl|nie|nicht)\b)",
        r"\b(werde|werden) (ich|wir)\b",
        r"\blass(t)? uns\b",
        r"\b(ich|wir) (kümmere|kümmern) (mich|uns)\b",
        r"\b(ich|wir) (rufe|rufen|schicke|schicken|schreibe|buche|buchen|kaufe|melde|bringe|frage"
        r"|kläre|bestelle|zahle|überweise|fahre|gehe)\b(?=.*\b(morgen|heute|gleich|nachher|"
        r"später|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b)",
    ),
    obligation_cue=cue(
        r"\b(ich|wir|du|ihr|sie|er) "
        r"(muss|müssen|musst|müsst|sollte|sollten|solltest|soll|sollen|sollst)\b",
        r"\b(muss|müssen|musst|müsst|sollte|sollten|solltest) (ich|wir|du|ihr)\b",
        r"\bman (muss|sollte)\b",
        r"\b(am besten|das beste ist)\b",
    ),
    intention_cue=cue(
        r"\b(ich|wir) (will|wollen|möchte|möchten|würde gern|würden gern|hoffe|hoffen|plane)\b",
        r"\b(möchte|will) ich\b",
    ),
    delegate_cue=cue(
        r"\b(?!(ich|wir|du|ihr|es|das|man|er|sie|was|wer|der|die|dies|und|aber)\b)[a-zäöüß]+ "
        r"(wird|muss|soll|kümmert sich)\b(?! (wohl|sein|nicht)\b)",
        r"\b(er|sie) (wird|kümmert sich)\b(?! (wohl|sein|nicht)\b)",
    ),
    imperative_verbs=word_set(
        """
        ruf rufe ruft schick schicke schickt bring bringt buch buche bucht kauf kaufe kauft zahl
        bezahl überweise frag frage fragt melde meldet schreib schreibe schreibt prüf prüfe prüft
        bestell bestelle bestellt sag sagt gib nimm mach macht geh fahr hol holt leg schau
        kümmere kümmert ändere ändert storniere storniert druck drucke unterschreib unterschreibe
        besorg besorge erinnere erinnert
        """
    ),
    decision_cue=cue(
        r"\b(entscheiden|entschieden|auswählen|aussuchen|festlegen|wählen)\b",
        r"\beine entscheidung (treffen|fällen)\b",
    ),
    time_cue=cue(
        rf"\b(heute|morgen|übermorgen|heute abend|gleich|nachher|{_DAYS})\b",
        r"\b(nächste|diese|kommende) woche\b",
        r"\b(am|übers) wochenende\b",
        r"\bbis (zum|zur|ende|morgen|\w+tag)\b",
        r"\bvor (dem|der)\b",
        r"\bum \d+ uhr\b",
    ),
    past_cue=cue(
        r"\b(hab|habe|hat|haben|hatte|hatten|bin|ist|sind|war|waren)\b"
        r".*\b(an|auf|ab|aus|ein|mit|zu|vor|nach)?ge\w{2,}(t|en)\b",
        r"\b(war|waren|hatte|hatten)\b",
    ),
    reported_cue=cue(r"\b(sagt|sagte|hat gesagt|meint|meinte|findet|glaubt),? (dass|das)\b"),
    fact_cue=cue(
        r"\b(vergiss|vergesst|vergessen sie) (bitte )?(nicht|nie),? dass\b",
        r"\b(denk|denkt) (bitte )?(daran|dran),? dass\b",
        r"\b(ist|sind|war) (fällig|geschlossen|zu|am|bis)\b",
        r"\b(läuft ab|frist|deadline|endet|beginnt|schließt)\b",
        r"^(denk daran|vergiss nicht|nicht vergessen),? (dass|die|der|das)\b",
    ),
    emphasis_cue=cue(
        r"\b(das wichtigste|hauptsache|das entscheidende|das große ergebnis)\b",
        r"\b(die )?(gute|schlechte) nachricht\b",
        r"\b(einzige|größte|eigentliche) (sorge|bedenken|problem|haken|frage)\b",
        r"\bwas mich (stört|beunruhigt|ärgert)\b",
        r"\bdas problem (ist|war)\b",
        r"\b(endlich|letztendlich|am ende)\b",
    ),
    hedge_cue=cue(r"\b(vielleicht|eventuell|wahrscheinlich|irgendwann|mal sehen)\b"),
    setting_cue=cue(
        r"\b(sitze|bin|stehe) (gerade )?(im auto|im zug|im bus|am bahnhof|im stau)\b",
        r"\b(nehme|spreche) (das|dies|die)\b.{0,30}\bauf\b",
        r"\bauf dem (weg|heimweg)\b",
        r"\b(aufgenommen|aufnahme|nehme (das|dies|ich das) .{0,20}auf)\b",
    ),
    blocker_cue=cue(
        r"\bnicht (nötig|notwendig|erforderlich)\b",
        r"\bkeine weiteren\b",
        r"\bnichts zu tun\b",
        r"\bkein(en)? (bedarf|handlungsbedarf)\b",
        r"\b(wollte|wollten|sollte|sollten) (ich|wir)? ?eigentlich\b",
        r"\bhätte[n]?\b.{0,40}\b(sollen|müssen)\b",
        r"\b(ich|wir) (habe|haben) (schon|bereits)\b",
        r"\b(ich|wir) (werde|werden|muss|müssen) (nicht|nichts)\b",
    ),
    action_prefix=re.compile(
        # "Als Nächstes rufe ich ... an" keeps its label: without it the verb would come first.
        r"^((der )?nächste schritt( ist)?|der plan ist|meine aufgabe (jetzt )?ist)"
        r"\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
