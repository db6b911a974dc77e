"""The Spanish profile: function words, fillers, and how a Spanish speaker states a next step.

Spanish drops the subject ("voy a llamar"), so the cues are the verb forms themselves: "voy a",
the first-person future ("llamaré"), "tengo que" / "hay que", "quiero"; an explicit "lo próximo
es" or "lo primero que voy a hacer"; "¿puedes ...?" as a request.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.profile import Profile, cue
from transcribe_svc.summarizer.text import phrase_list, word_set

_DAYS = "lunes|martes|miércoles|jueves|viernes|sábado|domingo"
_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"

SPANISH = Profile(
    code="es",
    stopwords=word_set(
        """
        de la que el en y a los del se las por un para con no una su al lo como más pero sus le
        ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde
        todo nos durante todos uno les ni otros ese eso ante ellos e esto antes algunos qué unos
        yo otro otras otra él tanto esa estos mucho nada muchos cual poco ella estar estas algo
        nosotros mi mis tú te ti tu tus es son está están fue ser era hace pues bueno entonces
        vale sea eh este o sea como que tipo vamos voy va ir creo tengo tenemos hay que
        """
    ),
    social_words=word_set(
        "hola gracias adiós luego saludos buenos buenas días tardes equipo todos"
    ),
    meta_words=word_set("resumen nota notas reunión actualización llamada idea audio mensaje"),
    salient_words=word_set(
        """
        decidimos decidió decidieron decisión aprobado aprobada aprobó aprobaron firmado firmó
        cancelado cancelada confirmado confirmó rechazado rechazó ganamos perdimos lanzamos
        problema riesgo presupuesto plazo retraso retrasado preocupación queja objeción fallo
        roto error urgente
        """
    ),
    number_words=word_set(
        """
        dos tres cuatro cinco seis siete ocho nueve diez once doce quince veinte treinta cuarenta
        cincuenta sesenta setenta ochenta noventa cien ciento doscientos trescientos quinientos
        mil millón millones mitad docena euros dólares
        """
    ),
    calendar_words=word_set(f"{_DAYS.replace('|', ' ')} {_MONTHS}"),
    fillers=("um", "uh", "eh", "ehm", "em", "mm", "hmm", "mmm"),
    soft_fillers=("o sea", "pues", "bueno", "sabes", "digamos", "tipo", "este"),
    leading_markers=phrase_list(
        """
        bueno pues, y nada, pues nada, pues, bueno, entonces, y, pero, también, vale, oye,
        mira, además, luego, así que, o sea
        """
    ),
    run_on_markers=word_set("pero entonces pues bueno también además luego oye mira"),
    # Not "que": mostly a relative pronoun, and a cut before it leaves a fragment.
    conjunctions=word_set("y pero porque aunque mientras así"),
    contrast_words=word_set("pero aunque"),
    negation_words=word_set("no nunca nada nadie ni ningún ninguna ninguno tampoco jamás"),
    subordinators=word_set("si cuando cuanto antes después aunque mientras"),
    sentence_openers=word_set(
        """
        el la los las yo nosotros nosotras ella él ellos ellas mi mis nuestro nuestra este esta
        estos estas eso esa ese su sus nadie todos todo
        """
    ),
    label_cue=cue(
        r"\b(próximos?|siguientes?) pasos?\b",
        r"\blo (próximo|siguiente)\b",
        r"\blo que sigue\b",
        r"\b(lo )?primero (que )?(voy a|vamos a|tengo que|hay que|es|mañana)\b",
        r"\bmi (tarea|trabajo|plan|prioridad) (ahora )?es\b",
        r"\bel plan es\b",
        r"\b(mi|nuestra) prioridad\b",
        r"\bla prioridad (ahora )?es\b",
        r"\blo que (hay|tengo|tenemos) que hacer (ahora |mañana )?es\b",
        r"\bno (te |se te |nos )?olvides?\b",
        r"\b(recuerda|acuérdate de|recordad) \w+(ar|er|ir)\b",
    ),
    request_cue=cue(
        r"\bpor favor\b", r"\b(puedes|podrías|pueden|podrían|podés)\b", r"\bnecesito que\b"
    ),
    commit_cue=cue(
        r"\b(voy|vamos) a\b(?! (ver|ser|estar)\b)",
        r"\b\w{2,}(aré|eré|iré|aremos|eremos|iremos)\b",
        r"\b(haré|haremos|pondré|tendré|saldré|vendré|diré)\b",
        r"\bme encargo\b",
        # "mañana llamo al seguro": the present tense with a time is a plan.
        r"\b(mañana|hoy|luego|esta tarde|esta noche)( por la mañana| temprano)? (llamo|mando|"
        r"escribo|reservo|compro|hago|paso|llevo|pago|hablo|pido|busco)\b",
    ),
    obligation_cue=cue(
        r"\b(tengo|tenemos|tienes|tiene|tienen|tenéis|hay) que\b",
        r"\b(me|nos|te) toca\b",
        r"\blo (mejor|más sencillo) (es|sería)\b",
        r"\b(necesito|necesitamos|necesitas|debo|debemos|debes|debe|deben|deberíamos|debería|deberías)\b",
    ),
    intention_cue=cue(r"\b(quiero|queremos|quisiera|me gustaría|pienso|espero)\b"),
    delegate_cue=cue(
        r"\b(?!(que|no|se|lo|la|esto|eso|nadie|yo|ya)\b)[a-záéíóúñ]+ (va|van) a\b"
        r"(?! (ser|estar|haber)\b)"
    ),
    imperative_verbs=word_set(
        """
        llama llame envía envíe manda mande compra compre paga pague reserva reserve revisa
        revise confirma confirme pregunta pregunte prepara prepare escribe escriba pide pida busca
        trae recoge avisa avise saca llévate llevad habla hable di diga dile ve vaya haz haga
        pon ponga quita quite mira mire cambia cambie arregla arregle cancela cancele apunta
        apunte anota anote imprime imprima sube suba baja baje compara llévalo tráeme
        """
    ),
    enclitics=phrase_list(
        "selo, sela, selos, selas, melo, mela, noslo, me, te, le, lo, la, nos, les, los, las, os"
    ),
    decision_cue=cue(
        r"\b(decidir|decidamos|decidirnos|decidirme|elegir|elijamos|escoger|escojamos)\b",
        r"\btomar una decisión\b",
    ),
    time_cue=cue(
        rf"\b(hoy|mañana|pasado mañana|esta (tarde|noche|semana)|{_DAYS})\b",
        r"\b(la semana|el mes) (que viene|próxim[oa])\b",
        r"\b(el )?próximo (lunes|martes|miércoles|jueves|viernes|mes)\b",
        r"\b(antes|después) de(l)?\b",
        r"\ba las \w+\b",
        r"\bfin de semana\b",
    ),
    past_cue=cue(
        r"\b(he|ha|hemos|han|has|había|habían) \w+(ado|ada|ido|ida|to|cho|sto)\b",
        r"\b\w{3,}(é|ó|aron|ieron)\b(?<!\bqué)(?<!\bestá)",
    ),
    reported_cue=cue(r"\b(dice|dijo|ha dicho|me ha dicho|comentó|cree|piensa) que\b"),
    fact_cue=cue(
        r"\b(olvides|olvide|olvidéis|olvidemos) (de )?que\b",
        r"\b(recuerda|acuérdate|recordad) (de )?que\b",
        r"\b(vence|vencen|caduca|caducan|cierra|cierran|empieza|termina)\b",
        r"^(recuerda|acuérdate|no olvides) (que|de que)\b",
    ),
    emphasis_cue=cue(
        r"\blo (más )?(importante|principal|gordo)\b",
        r"\b(la )?(buena|mala) noticia\b",
        r"\b(única|principal|mayor) (preocupación|duda|pega|objeción|problema)\b",
        r"\blo que me (preocupa|agobia|da miedo)\b",
        r"\bel problema (es|fue)\b",
        r"\b(al final|resulta que|por fin)\b",
    ),
    hedge_cue=cue(r"\b(quizás|quizá|tal vez|a lo mejor|puede que|no sé si|algún día)\b"),
    setting_cue=cue(
        r"\b(estoy|voy) (grabando|en el coche|en el tren|conduciendo|manejando)\b",
        r"\b(grabado|grabo|grabando)\b",
        r"\b(estoy|aquí) (sentad[oa]|en el (coche|tren|metro|autobús|uber))\b",
        r"\b(desde|en) el (coche|tren|carro|auto|aeropuerto|autobús)\b",
    ),
    blocker_cue=cue(
        r"\bno (hay que|hace falta|es necesario|tenemos que|necesitamos|tengo que)\b",
        r"\bnada (que hacer|pendiente)\b",
        r"\b(iba|íbamos) a\b",
        r"\bno (voy|vamos) a\b",
        r"\b(debería|deberíamos) haber\b",
        r"\bya (lo |la )?(hice|llamé|envié|mandé|pagué|reservé)\b",
    ),
    action_prefix=re.compile(
        r"^((el |los )?(próximos?|siguientes?) pasos? (es|son)( que)?|lo (próximo|siguiente)"
        r"( que (hay que|tengo que|tenemos que) hacer)? es|mi (tarea|plan|prioridad) (ahora )?es"
        r"|el plan es)\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
