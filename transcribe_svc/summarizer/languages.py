"""Profiles for languages other than English, and picking the profile for a transcript.

Each profile is deliberately small: common function words (so content words can be counted),
greetings, and the handful of modal and future forms that mark a commitment. Detection counts
function-word hits, so it needs no model; Whisper's own language code wins when given.
"""

from __future__ import annotations

from transcribe_svc.summarizer.english import ENGLISH
from transcribe_svc.summarizer.profile import GENERIC, Profile, any_of
from transcribe_svc.summarizer.text import is_mostly_cjk, word_set, words

_LATIN_FILLERS = ("um", "umm", "uh", "uhm", "hmm", "mhm", "eh", "ehm")


SPANISH = Profile(
    code="es",
    contrast_words=frozenset({"pero"}),
    meta_words=word_set("resumen nota notas reunión actualización llamada idea"),
    stopwords=word_set(
        "de la que el en y a los del se las por un para con no una su al lo como más pero sus le "
        "ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien "
        "desde todo nos durante todos uno les ni otros ese eso ante ellos e esto antes algunos "
        "qué unos yo otro otras otra él tanto esa estos mucho nada muchos cual poco ella estar "
        "estas algo nosotros mi mis tú te ti tu tus es son está están fue ser era hace pues bueno "
        "entonces vale sea lo le les"
    ),
    social_words=word_set(
        "hola gracias adiós luego saludos buenos buenas días tardes equipo todos"
    ),
    fillers=_LATIN_FILLERS,
    leading_markers=("bueno pues", "pues", "bueno", "entonces", "y", "pero", "también", "vale"),
    run_on_markers=word_set("pero entonces pues bueno también además luego"),
    conjunctions=word_set("y pero porque que aunque mientras"),
    label_cue=any_of(r"\b(próximos?|siguientes?) pasos?\b", r"\bno (te )?olvides\b"),
    commit_cue=any_of(
        r"\b(tengo|tenemos|hay) que\b",
        r"\b(voy|vamos) a\b(?! ver\b)",
        r"\b(necesito|necesitamos|debo|debemos|deberíamos)\b",
    ),
    request_cue=any_of(r"\bpor favor\b", r"\b(puedes|podrías|pueden|podrían)\b"),
    time_cue=any_of(
        r"\b(hoy|mañana|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b",
        r"\b(esta|la próxima|la siguiente) semana\b",
        r"\b(antes|después) de(l)?\b",
    ),
    blocker_cue=any_of(r"\bno (hay que|hace falta|es necesario|tenemos que|necesitamos)\b"),
)

FRENCH = Profile(
    code="fr",
    contrast_words=frozenset({"mais"}),
    meta_words=word_set("point bilan note notes résumé réunion appel idée"),
    stopwords=word_set(
        "le la les de des du un une et à au aux en dans pour par sur avec ce cette ces qui que "
        "quoi dont où il elle ils elles on nous vous je tu me te se lui leur y ne pas plus est "
        "sont était être avoir a ont fait faire comme mais ou donc car si tout tous très bien "
        "alors euh ben bon voilà son sa ses mon ma mes notre nos votre vos chez aussi l d qu n"
    ),
    social_words=word_set("bonjour salut merci revoir bonne journée soirée tous équipe bonsoir"),
    fillers=(*_LATIN_FILLERS, "euh", "bah"),
    leading_markers=("bon alors", "alors", "donc", "bon", "ben", "et", "mais", "aussi", "voilà"),
    run_on_markers=word_set("mais donc alors bon ensuite aussi puis"),
    conjunctions=word_set("et mais donc car parce que"),
    label_cue=any_of(r"\bprochaines? étapes?\b", r"\bn'oublie[zr]? pas\b", r"\bpense[zr]? à\b"),
    commit_cue=any_of(
        r"\b(je vais|on va|nous allons|il faut)\b",
        r"\b(dois|doit|devons|devez|doivent)\b",
    ),
    request_cue=any_of(
        r"\b(merci de|s'il (te|vous) plaît|pouvez-vous|peux-tu|veuillez)\b",
        r"\b(prévoyez|envoyez|appelez|vérifiez|préparez)\b",
    ),
    time_cue=any_of(
        r"\b(aujourd'hui|demain|ce soir|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
        r"\b(cette semaine|la semaine prochaine|avant)\b",
    ),
    blocker_cue=any_of(r"\b(pas besoin|rien à faire|pas nécessaire|aucune action)\b"),
)

GERMAN = Profile(
    code="de",
    contrast_words=frozenset({"aber"}),
    meta_words=word_set("notiz notizen zusammenfassung termin besprechung update"),
    capitalizes_nouns=True,
    stopwords=word_set(
        "der die das und ist in zu den von mit sich des auf für nicht ein eine als auch es an er "
        "so dass sie nach wird bei einer um am sind noch wie einem über einen zum war haben nur "
        "oder aber vor zur bis mehr durch man sein wurde sei hat ich wir ihr du mir mich uns dann "
        "ja also halt mal eben schon sehr im dem unseres unser unsere kurze kurz"
    ),
    social_words=word_set("hallo hi guten morgen tag abend danke vielen grüße tschüss team alle"),
    fillers=(*_LATIN_FILLERS, "äh", "ähm", "hm"),
    leading_markers=("also", "ja", "und", "aber", "dann", "gut", "okay"),
    run_on_markers=word_set("aber also dann außerdem"),
    conjunctions=word_set("und aber weil dass oder sondern"),
    label_cue=any_of(r"\bnächste[rn]? schritte?\b", r"\bnicht vergessen\b", r"\bdenk(t)? daran\b"),
    commit_cue=any_of(
        r"\b(ich|wir) (werde|werden|muss|müssen|sollte|sollten|will|wollen)\b",
        r"\b(muss|müssen|sollten) (ich|wir)\b",
        r"\blass(t)? uns\b",
    ),
    request_cue=any_of(r"\bbitte\b", r"\b(kannst du|könnt ihr|können sie|könntest du)\b"),
    time_cue=any_of(
        r"\b(heute|morgen|übermorgen|montag|dienstag|mittwoch|donnerstag|freitag|samstag)\b",
        r"\b(nächste|diese) woche\b",
        r"\bbis\b",
    ),
    blocker_cue=any_of(
        r"\bnicht (nötig|notwendig|erforderlich)\b", r"\bkeine weiteren\b", r"\bnichts zu tun\b"
    ),
)

PORTUGUESE = Profile(
    code="pt",
    contrast_words=frozenset({"mas"}),
    meta_words=word_set("atualização resumo nota notas reunião ligação ideia"),
    stopwords=word_set(
        "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao "
        "ele das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso "
        "ela entre era depois sem mesmo aos ter seus quem nas me esse eles estão você essa num "
        "nem meu minha isto aquilo então né tipo aí bom acha"
    ),
    social_words=word_set("oi olá pessoal obrigado obrigada valeu abraço abraços tchau galera"),
    fillers=_LATIN_FILLERS,
    leading_markers=("então", "bom", "e", "mas", "também", "aí"),
    run_on_markers=word_set("mas então bom também depois aí"),
    conjunctions=word_set("e mas porque que"),
    label_cue=any_of(r"\bpróximos? passos?\b", r"\bnão (se )?esque(ça|cer)\b"),
    commit_cue=any_of(
        r"\b(vou|vamos|preciso|precisamos|devo|devemos|deveríamos)\b",
        r"\b(tenho|temos) que\b",
    ),
    request_cue=any_of(r"\bpor favor\b", r"\b(você pode|vocês podem|poderia)\b"),
    time_cue=any_of(
        r"\b(hoje|amanhã|segunda|terça|quarta|quinta|sexta|sábado|domingo)\b",
        r"\b(semana que vem|próxima semana|esta semana|antes de|até)\b",
    ),
    blocker_cue=any_of(r"\bnão (precisa|precisamos|é necessário)\b", r"\bnada a fazer\b"),
)

ITALIAN = Profile(
    code="it",
    contrast_words=frozenset({"ma"}),
    meta_words=word_set("nota note riepilogo aggiornamento riunione chiamata idea"),
    stopwords=word_set(
        "di a da in con su per tra fra il lo la i gli le un uno una e è che non mi ti ci si vi "
        "ne sono ho ha hanno abbiamo come ma anche se più questo questa quello quella del della "
        "dei delle al alla ai alle nel nella io noi voi lui lei loro poi allora cioè ecco però"
    ),
    social_words=word_set(
        "ciao buongiorno buonasera grazie arrivederci salve tutti ragazzi saluti"
    ),
    fillers=_LATIN_FILLERS,
    leading_markers=("allora", "quindi", "e", "ma", "poi", "ecco"),
    run_on_markers=word_set("ma allora poi quindi"),
    conjunctions=word_set("e ma perché che"),
    label_cue=any_of(r"\bprossim[oi] pass[oi]\b", r"\bnon dimenticare\b", r"\bricordati\b"),
    commit_cue=any_of(r"\b(devo|dobbiamo|bisogna|farò|faremo)\b", r"\bho bisogno di\b"),
    request_cue=any_of(r"\bper favore\b", r"\b(puoi|potresti|potete)\b"),
    time_cue=any_of(r"\b(oggi|domani|stasera|lunedì|martedì|mercoledì|giovedì|venerdì)\b"),
    blocker_cue=any_of(r"\b(non serve|non è necessario|niente da fare)\b"),
)

# Chinese and Japanese text share it (both are split into character pairs); its cues are Chinese.
CHINESE = Profile(
    code="zh",
    label_cue=any_of("下一步", "待办", "别忘了", "记得"),
    commit_cue=any_of("我会", "我们会", "我要", "我们要", "需要", "必须", "打算"),
    request_cue=any_of("请", "麻烦"),
    time_cue=any_of("今天", "明天", "后天", "下周", "本周", "周[一二三四五六日]", "星期."),
)

_DETECTION_WORDS = 400
_ASCII_SHARE = 0.95
PROFILES = {p.code: p for p in (ENGLISH, SPANISH, FRENCH, GERMAN, PORTUGUESE, ITALIAN, CHINESE)}


def choose_profile(text: str, language: str | None) -> Profile:
    """The profile for ``language`` (e.g. "en", "en-US", "es"), or detected from the text."""
    if language:
        return PROFILES.get(language.strip().lower()[:2], GENERIC)
    if is_mostly_cjk(text):
        return CHINESE
    # Function words make up a large share of any text, so the best-covered list names the
    # language. The first few hundred words are plenty.
    tokens = words(text.lower())[:_DETECTION_WORDS]
    best, best_hits = GENERIC, 0
    for profile in PROFILES.values():
        hits = sum(token in profile.stopwords for token in tokens)
        if hits > best_hits:
            best, best_hits = profile, hits
    if best_hits >= max(2, len(tokens) // 10):
        return best
    # Too short to tell ("Buy milk."): plain Latin letters are most likely English.
    letters = [c for c in text if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / len(letters) if letters else 0.0
    return ENGLISH if ascii_share >= _ASCII_SHARE else GENERIC
