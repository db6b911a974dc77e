"""The French profile: function words, fillers, and how a French speaker states a next step.

Cues: "je vais" / "on va", the first-person future ("j'appellerai"), "il faut que" / "je dois",
"je voudrais"; an explicit "la prochaine étape" or "la première chose à faire"; "tu peux ...?"
or "merci de ..." as a request.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.profile import Profile, cue
from transcribe_svc.summarizer.text import phrase_list, word_set

_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"

FRENCH = Profile(
    code="fr",
    stopwords=word_set(
        """
        le la les de des du un une et à au aux en dans pour par sur avec ce cette ces qui que
        quoi dont où il elle ils elles on nous vous je tu me te se lui leur y ne pas plus est
        sont était être avoir a ont fait faire comme mais ou donc car si tout tous très bien
        alors euh ben bon voilà son sa ses mon ma mes notre nos votre vos chez aussi l d qu n
        c'est j'ai c ça s j m t quand va vais faut
        """
    ),
    social_words=word_set("bonjour salut merci revoir bonne journée soirée tous équipe bonsoir"),
    meta_words=word_set("point bilan note notes résumé réunion appel idée message"),
    salient_words=word_set(
        """
        décidé décision approuvé approuvée validé validée signé signée annulé annulée confirmé
        confirmée refusé refusée gagné perdu lancé problème risque budget retard retardé
        inquiétude souci objection panne bug urgent accepté acceptée
        """
    ),
    number_words=word_set(
        """
        deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente quarante
        cinquante soixante cent cents mille million millions moitié douzaine euros pourcent
        """
    ),
    calendar_words=word_set(f"{_DAYS.replace('|', ' ')} {_MONTHS}"),
    fillers=("um", "uh", "euh", "bah", "hum", "heu", "mmh", "hmm"),
    soft_fillers=("en fait", "genre", "tu vois", "quoi", "bon", "ben", "voilà"),
    leading_markers=phrase_list(
        """
        bon alors, bon ben, et puis, alors, donc, bon, ben, et, mais, aussi, voilà, bref,
        sinon, ensuite, puis, en fait, du coup
        """
    ),
    run_on_markers=word_set("mais donc alors bon ensuite aussi puis bref sinon"),
    conjunctions=word_set("et mais donc car parce puisque"),
    contrast_words=word_set("mais pourtant"),
    negation_words=word_set("pas jamais rien personne aucun aucune ni plus non"),
    subordinators=word_set("si quand lorsque avant après dès puisque comme"),
    sentence_openers=word_set(
        """
        le la les je j'ai on nous il elle ils elles ce c'est cette ces mon ma mes notre nos
        leur leurs personne tout
        """
    ),
    label_cue=cue(
        r"\bprochaines? étapes?\b",
        r"\bla prochaine (chose|étape)\b",
        r"\b(la )?première chose (à faire|que je vais faire|que je dois faire|c'est|demain)\b",
        r"\bmon (travail|boulot|job|plan|objectif|rôle) (maintenant )?c'est\b",
        r"\ble plan c'est\b",
        r"\b(ma|notre) (grande )?priorité\b",
        r"\bla (priorité|tâche|mission),? (maintenant |demain )?(c'est|ce sera)\b",
        r"\b(la )?chose à faire,? c'est\b",
        r"\bce qu'(il|on) (faut|faudrait|doit|va) faire,? c'est\b",
        r"\bn'oublie[zr]? pas\b",
        r"\bpense[zr]? à\b",
        r"\brappelle-(toi|moi) de\b",
    ),
    request_cue=cue(
        r"\b(merci de|s'il (te|vous) pla[iî]t|pouvez-vous|peux-tu|pourrais-tu|pourriez-vous|"
        r"veuillez|tu peux|vous pouvez|tu pourrais|vous pourriez)\b"
    ),
    commit_cue=cue(
        r"\b(je vais|on va|nous allons|j'vais)\b(?! (voir|être|bien)\b)",
        r"\b(je |j'|nous |on )(?!(verr|ser|aur|fer)a)\w+(rai|rons|ra)\b",
        r"\bje m'en occupe\b",
        r"\b(demain|ce soir|tout à l'heure|lundi|mardi|mercredi|jeudi|vendredi)\b,? (je |j')"
        r"(appelle|envoie|écris|passe|réserve|m'occupe)\b",
        r"\b(je |j')(appelle|envoie|écris|passe|réserve|m'occupe)\b(?=.*\b(demain|ce soir|"
        r"lundi|mardi|mercredi|jeudi|vendredi)\b)",
    ),
    obligation_cue=cue(
        r"\b(il faut|il faudra|il faudrait|faut|faudrait|faudra|je dois|tu dois|"
        r"on doit|nous devons|vous devez|je devrais|tu devrais|"
        r"on devrait|j'ai besoin de|on a besoin de)\b",
        r"\ble (mieux|plus simple),? (c'est|ce serait|serait) d(e\b|')",
    ),
    intention_cue=cue(
        r"\b(je veux|on veut|je voudrais|j'aimerais|j'espère|on aimerait|j'ai envie de)\b"
    ),
    delegate_cue=cue(
        r"\b(?!(je|on|nous|vous|tu|il|elle|ce|ça|qui|que|ne|ça)\b)[a-zàâçéèêëîïôûùüÿœ]+ va\b"
        r"(?! (bien|mieux|être)\b)",
        r"\b(il|elle|ils|elles) (va|vont)\b(?! (bien|mieux|être|falloir)\b)",
        # Someone else's obligation: "Marta doit prévenir le labo", "elles doivent".
        r"\b(?!(je|on|nous|vous|tu|ce|ça|qui|que|ne)\b)[a-zàâçéèêëîïôûùüÿœ]+ (doit|doivent)\b",
    ),
    imperative_verbs=word_set(
        """
        appelle appelez envoie envoyez vérifie vérifiez prépare préparez achète achetez réserve
        réservez paie payez confirme confirmez demande demandez écris écrivez prends prenez
        contacte contactez passe passez prévoyez prévois relance relancez rappelle rappelez
        va allez fais faites mets mettez dis dites commande commandez préviens prévenez
        achète annule annulez note notez imprime imprimez apporte apportez récupère récupérez
        vérifiez regarde regardez change changez répare réparez signe signez
        """
    ),
    decision_cue=cue(
        r"\b(décider|décide|décidions|choisir|choisi|choisisse|choisissions|trancher|tranche)\b",
        r"\bprendre une décision\b",
    ),
    time_cue=cue(
        rf"\b(aujourd'hui|demain|ce soir|ce matin|cet après-midi|{_DAYS})\b",
        r"\b(cette semaine|la semaine prochaine|ce week-end|le mois prochain|avant|d'ici)\b",
        r"\bà \d+ ?h",
    ),
    past_cue=cue(
        r"\b(j'ai|on a|il a|elle a|nous avons|ils ont|elles ont|tu as|vous avez|j'avais|avait) "
        r"(\w+ )?\w+(é|ée|és|i|u|is|it)\b",
        r"\b(je suis|il est|elle est|on est) (\w+ )?(allée?|venue?|passée?|partie?|rentrée?)\b",
    ),
    reported_cue=cue(r"\b(dit|a dit|disait|m'a dit|pense|trouve|explique) (que|qu')"),
    fact_cue=cue(
        r"\boubli(e|ez|ons) pas qu(e\b|')",
        r"\b(rappelle-toi|souviens-toi|rappelez-vous|souvenez-vous) qu(e\b|')",
        r"\b(est|sont|était) (dûe?s?|prévue?s?|fermée?s?)\b",
        r"\b(échéance|date limite|expire|ferme|commence|se termine)\b",
        r"^(n'oublie pas|rappelle-toi|souviens-toi) que\b",
    ),
    emphasis_cue=cue(
        r"\b(le plus important|l'essentiel|le principal|le gros point)\b",
        r"\b(la )?(bonne|mauvaise) nouvelle\b",
        r"\b(seul|vrai|gros|principal) (souci|problème|bémol|point)\b",
        r"\bce qui m'(inquiète|embête|fait peur)\b",
        r"\ble problème (c'est|était)\b",
        r"\b(finalement|au final|enfin)\b",
    ),
    hedge_cue=cue(r"\b(peut-être|éventuellement|probablement|un jour|si on a le temps)\b"),
    setting_cue=cue(
        r"\bje (suis|m'enregistre) (dans|en) (la voiture|le train|le bus|voiture|train)\b",
        r"\bj'enregistre\b",
        r"\b(enregistré|enregistre|enregistrement)\b",
        r"\ben (voiture|train)\b",
    ),
    blocker_cue=cue(
        r"\b(pas besoin|rien à faire|pas nécessaire|aucune action)\b",
        r"\b(je devais|j'allais|on allait|aurais dû|aurait dû)\b",
        r"\bj'ai déjà\b",
        r"\bje (ne )?vais pas\b",
    ),
    action_prefix=re.compile(
        r"^((la )?(prochaine|première) (étape|chose)( à faire)?,? (c'est|est)( de)?|le plan "
        r"c'est( de)?|mon (travail|boulot|plan|objectif) (maintenant )?c'est( de)?)\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
