"""The Italian profile: function words, fillers, and how a speaker states a next step.

Italian drops the subject ("devo chiamare"), so the cues are verb forms: the future ("chiamerò",
"farò"), "devo" / "bisogna", "vorrei"; an explicit "la prossima cosa", "il prossimo passo" or "la
prima cosa che farò"; "puoi ...?" or "per favore" as a request.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.profile import Profile, cue
from transcribe_svc.summarizer.text import phrase_list, word_set

_DAYS = "lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica"
_MONTHS = (
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
)

ITALIAN = Profile(
    code="it",
    stopwords=word_set(
        """
        di a da in con su per tra fra il lo la i gli le un uno una e è che non mi ti ci si vi
        ne sono ho ha hanno abbiamo come ma anche se più questo questa quello quella del della
        dei delle al alla ai alle nel nella io noi voi lui lei loro poi allora cioè ecco però
        c'è l un' dell all nell sul sulla quindi tipo insomma devo dobbiamo
        """
    ),
    social_words=word_set(
        "ciao buongiorno buonasera grazie arrivederci salve tutti ragazzi saluti"
    ),
    meta_words=word_set("nota note riepilogo aggiornamento riunione chiamata idea messaggio"),
    salient_words=word_set(
        """
        deciso decisione approvato approvata firmato firmata annullato annullata confermato
        confermata rifiutato rifiutata vinto perso lanciato problema rischio budget scadenza
        ritardo preoccupazione lamentela obiezione guasto rotto errore urgente
        """
    ),
    number_words=word_set(
        """
        due tre quattro cinque sei sette otto nove dieci undici dodici quindici venti trenta
        quaranta cinquanta sessanta settanta ottanta novanta cento duecento trecento cinquecento
        mille milione milioni metà dozzina euro percento
        """
    ),
    calendar_words=word_set(f"{_DAYS.replace('|', ' ')} {_MONTHS}"),
    fillers=("um", "uh", "eh", "ehm", "mmh", "hmm", "ehh"),
    soft_fillers=("cioè", "tipo", "insomma", "diciamo", "sai"),
    leading_markers=phrase_list(
        """
        e niente, allora, quindi, e, ma, poi, ecco, comunque, insomma, dunque, inoltre
        """
    ),
    run_on_markers=word_set("ma allora poi quindi comunque insomma dunque"),
    conjunctions=word_set("e ma perché però mentre"),
    contrast_words=word_set("ma però"),
    negation_words=word_set("non mai niente nulla nessuno nessuna nessun né neanche nemmeno"),
    subordinators=word_set("se quando prima dopo mentre appena"),
    sentence_openers=word_set(
        """
        il lo la i gli le io noi lui lei loro mio mia nostro nostra questo questa quello quella
        nessuno tutti tutto
        """
    ),
    label_cue=cue(
        r"\bprossim[oi] pass[oi]\b",
        r"\b(la )?prossima cosa\b",
        r"\b(la )?prima cosa (che )?(farò|devo|faccio|da fare|è|domani)\b",
        r"\bil (mio )?(compito|piano|lavoro) (adesso |ora )?è\b",
        r"\bnon (ti )?dimenticare\b",
        r"\bricordati( di)?\b",
        r"\bricordiamoci di\b",
        r"\b(la )?cosa da fare (adesso |ora |domani )?è\b",
        r"\b(la mia|la nostra) priorità\b",
        r"\bla priorità (adesso |ora )?è\b",
        r"\bquello che (devo|dobbiamo|bisogna|c'è da) fare (adesso |ora )?è\b",
    ),
    request_cue=cue(r"\bper favore\b", r"\b(puoi|potresti|potete|potreste)\b", r"\bti chiedo di\b"),
    commit_cue=cue(
        r"\b\w{2,}(erò|irò|arò|eremo|iremo|aremo)\b",
        r"\b(farò|faremo|andrò|andremo|dirò)\b",
        r"\b(vado|andiamo) a\b",
        r"\b(ci penso|me ne occupo|mi occupo) (io)?\b",
        r"\b(domani|oggi|stasera|stamattina|dopo|lunedì|martedì|mercoledì|giovedì|venerdì)"
        r"( mattina| pomeriggio| sera)? (io )?(chiamo|mando|scrivo|prenoto|compro|faccio|passo|"
        r"porto|vado|sento|prendo|pago)\b",
    ),
    obligation_cue=cue(
        r"\b(devo|devi|deve|dobbiamo|dovete|devono|bisogna|dovrei|dovresti|dovremmo)\b",
        r"\b(tocca a me|tocca a noi|mi tocca|ci tocca)\b",
        r"\b(ho|abbiamo) bisogno di\b",
        r"\bc'è da\b",
        r"\b(la cosa migliore|la soluzione migliore|il meglio) (è|sarebbe)\b",
    ),
    intention_cue=cue(r"\b(voglio|vogliamo|vorrei|vorremmo|spero|penso di|mi piacerebbe)\b"),
    delegate_cue=cue(
        r"\b(?!(io|noi|tu|voi|che|non|si|lui|lei|questo|quello|ci|chi|tutto)\b)[a-zàèéìòù]+ "
        r"(deve|dovrà|farà|si occupa|si occuperà|chiamerà|manderà)\b",
        r"\b(lui|lei|loro) (deve|dovrà|farà|si occuperà)\b",
    ),
    imperative_verbs=word_set(
        """
        chiama manda invia compra paga prenota controlla conferma chiedi prepara scrivi prendi
        porta passa avvisa verifica ricorda vai fai dì metti telefona ordina cancella annulla
        segna stampa firma cambia sistema ripara guarda recupera prendete chiamate mandate
        scrivete pagate controllate chiami mandi compri paghi prenoti
        """
    ),
    enclitics=phrase_list("glielo, gliela, melo, mela, mi, ti, ci, vi, lo, la, li, le, gli, ne"),
    decision_cue=cue(
        r"\b(decidere|decidiamo|decidiate|scegliere|scegliamo|scelto|scelta)\b",
        r"\bprendere una decisione\b",
    ),
    time_cue=cue(
        rf"\b(oggi|domani|dopodomani|stasera|stamattina|domattina|stanotte|oggi pomeriggio|"
        rf"{_DAYS})\b",
        r"\b(questa settimana|la settimana prossima|settimana prossima|il fine settimana|"
        r"nel weekend|il mese prossimo)\b",
        r"\b(prima di|prima del|prima della|entro)\b",
        r"\balle \w+\b",
    ),
    past_cue=cue(
        r"\b(ho|ha|abbiamo|hanno|hai|avete|aveva|avevo) "
        r"(\w+ )?\w+(ato|ata|uto|uta|ito|ita|ati|iti)\b",
        r"\b(sono|è|siamo|era|erano) (\w+ )?(andat|venut|passat|arrivat|stat|partit)[oaie]\b",
    ),
    reported_cue=cue(r"\b(dice|ha detto|diceva|pensa|crede|mi ha detto) (che|di)\b"),
    fact_cue=cue(
        r"\b(dimenticare|dimenticarti|dimenticate|scordarti|scordare) che\b",
        r"\b(ricordati|ricordatevi|ricorda) che\b",
        r"\b(scade|scadono|chiude|chiudono|inizia|finisce|è previsto|è prevista)\b",
        r"\b(la )?scadenza\b",
        r"^(ricordati|ricorda) che\b",
    ),
    emphasis_cue=cue(
        r"\b(la cosa più importante|l'importante|la cosa principale)\b",
        r"\b(la )?(buona|cattiva) notizia\b",
        r"\b(unica|vera|principale) (preoccupazione|perplessità|obiezione)\b",
        r"\bquello che mi (preoccupa|spaventa)\b",
        r"\bil problema (è|era)\b",
        r"\b(alla fine|finalmente)\b",
    ),
    hedge_cue=cue(r"\b(forse|magari|probabilmente|un giorno|prima o poi)\b"),
    setting_cue=cue(
        r"\b(sto|sono) (registrando|in macchina|in treno|in auto|guidando)\b",
        r"\b(dalla|in) macchina\b",
        r"\b(registro|registrato|registrando|registrazione)\b",
    ),
    blocker_cue=cue(
        r"\b(non serve|non è necessario|niente da fare|non c'è bisogno)\b",
        r"\b(dovevo|avrei dovuto|avremmo dovuto|volevo)\b",
        r"\bnon (devo|dobbiamo|farò|faremo|vado)\b",
        r"\bho già (chiamato|mandato|pagato|fatto|prenotato)\b",
    ),
    action_prefix=re.compile(
        r"^((il )?prossimo passo è|(la )?prossima cosa (da fare )?è|il (mio )?(compito|piano|"
        r"lavoro) (adesso |ora )?è|(la )?prima cosa (che farò |da fare )?è)\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
