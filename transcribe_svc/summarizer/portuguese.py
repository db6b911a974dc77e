"""The Portuguese profile: function words, fillers, and how a speaker states a next step.

Portuguese drops the subject ("vou ligar"), so the cues are verb forms: "vou" / "vamos", the
future ("ligarei"), "tenho que" / "preciso", "quero"; an explicit "o próximo passo" or "a
primeira coisa que vou fazer"; "você pode ...?" or "por favor" as a request.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.profile import Profile, cue
from transcribe_svc.summarizer.text import phrase_list, word_set

_DAYS = (
    r"segunda(-feira)?|terça(-feira)?|quarta(-feira)?|quinta(-feira)?|sexta(-feira)?|sábado|domingo"
)
_MONTHS = "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"

PORTUGUESE = Profile(
    code="pt",
    stopwords=word_set(
        """
        de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao
        ele das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso
        ela entre era depois sem mesmo aos ter seus quem nas me esse eles estão você essa num
        nem meu minha isto aquilo então né tipo aí bom acha acho tá to tô vou vai vamos gente
        """
    ),
    social_words=word_set("oi olá pessoal obrigado obrigada valeu abraço abraços tchau galera"),
    meta_words=word_set("atualização resumo nota notas reunião ligação ideia áudio mensagem"),
    salient_words=word_set(
        """
        decidimos decidiu decidiram decisão aprovado aprovada aprovou aprovaram assinado assinou
        cancelado cancelada confirmado confirmou recusado recusou ganhamos perdemos lançamos
        problema risco orçamento prazo atraso atrasado preocupação reclamação objeção falha
        quebrado erro urgente
        """
    ),
    number_words=word_set(
        """
        dois duas três quatro cinco seis sete oito nove dez onze doze quinze vinte trinta quarenta
        cinquenta sessenta setenta oitenta noventa cem cento duzentos trezentos quinhentos mil
        milhão milhões metade dúzia reais euros
        """
    ),
    calendar_words=word_set(f"{_DAYS.replace('|', ' ').replace('(-feira)?', '')} {_MONTHS}"),
    fillers=("um", "uh", "eh", "ehm", "hum", "hmm", "ã", "éé"),
    soft_fillers=("tipo", "sabe", "né", "assim", "bom"),
    leading_markers=phrase_list("e aí, então, bom, e, mas, também, aí, olha, enfim, daí, depois"),
    run_on_markers=word_set("mas então bom também depois aí olha enfim daí"),
    conjunctions=word_set("e mas porque embora enquanto"),
    contrast_words=word_set("mas porém"),
    negation_words=word_set("não nunca nada ninguém nenhum nenhuma nem jamais"),
    subordinators=word_set("se quando antes depois embora enquanto"),
    sentence_openers=word_set(
        """
        o a os as eu nós ele ela eles elas meu minha nosso nossa este esta isso essa esse seu
        sua ninguém todos tudo
        """
    ),
    label_cue=cue(
        r"\bpróximos? passos?\b",
        r"\ba próxima (coisa|etapa)\b",
        r"\b(a )?primeira coisa (que )?(vou|vamos|tenho que|preciso|a fazer|é|amanhã)\b",
        r"\b(meu|o meu) (trabalho|plano|foco) (agora )?é\b",
        r"\bo plano é\b",
        r"\b(minha|nossa) prioridade\b",
        r"\ba prioridade (agora )?é\b",
        r"\bo que (eu )?(vou|vamos|tenho que|tenho de|preciso) fazer( agora| amanhã)?:",
        r"\bo melhor é o seguinte\b",
        r"\bnão (se )?esque(ça|cer|ce)\b",
        r"\blembr(a|e)(-se)? de\b",
    ),
    request_cue=cue(
        r"\bpor favor\b",
        r"\b(você pode|vocês podem|poderia|pode)\b(?! ser\b)",
        r"\bpreciso que (você|vocês)\b",
    ),
    commit_cue=cue(
        r"\b(vou|vamos)\b(?! (ver|ser|estar)\b)",
        r"\b\w{2,}(arei|erei|irei|aremos|eremos|iremos)\b",
        r"\b(farei|faremos|direi)\b",
        r"\b(eu )?fico de\b",
        r"\b(amanhã|hoje|depois|logo)( de manhã| cedo| à tarde)? (eu )?(ligo|mando|escrevo|"
        r"reservo|compro|faço|passo|levo|pago|falo|marco)\b",
    ),
    obligation_cue=cue(
        r"\b(tenho|temos|tens|tem|têm) (que|de)\b",
        r"\bo (melhor|mais simples) (é|seria)\b",
        r"\b(preciso|precisamos|precisas|precisa|devo|devemos|deves|deve|deveria|deveríamos)\b",
    ),
    intention_cue=cue(r"\b(quero|queremos|gostaria|espero|pretendo|pretendemos|penso em)\b"),
    delegate_cue=cue(
        r"\b(?!(eu|nós|você|isso|que|não|se|ele|ela|tudo|aí|a gente)\b)[a-zãâáàçéêíóôõú]+ vai\b"
        r"(?! (ser|estar|bem)\b)",
        r"\b(ele|ela|eles|elas) (vai|vão)\b(?! (ser|estar|gostar)\b)",
    ),
    imperative_verbs=word_set(
        """
        liga ligue manda mande envia envie compra compre paga pague reserva reserve confirma
        confirme pergunta pergunte prepara prepare escreva escreve traga pega pegue marca marque
        avisa avise verifica verifique leva leve faz faça fala fale vai vá tira tire põe ponha
        diz diga pede peça cancela cancele marca anota anote imprime imprima assina assine
        troca troque arranja arranje compra busca busque vê veja telefona telefone
        """
    ),
    enclitics=phrase_list("-me, -te, -lhe, -nos, -lhes, -lo, -la, -los, -las, -o, -a, -os, -as"),
    decision_cue=cue(
        r"\b(decidir|decidirmos|decidamos|escolher|escolhermos|escolhamos|escolhido)\b",
        r"\btomar uma decisão\b",
    ),
    time_cue=cue(
        rf"\b(hoje|amanhã|depois de amanhã|hoje à noite|{_DAYS})\b",
        r"\b(semana que vem|próxima semana|esta semana|essa semana|fim de semana|mês que vem)\b",
        r"\b(antes de|antes do|antes da|até)\b",
        r"\bàs \w+\b",
    ),
    past_cue=cue(
        r"\b(?!(estou|sou|vou|dou)\b)\w{3,}(ei|ou|aram|eram|iram)\b",
        r"\b(tinha|tinham|foi|foram|estava|estavam)\b",
    ),
    reported_cue=cue(r"\b(disse|diz|falou|acha|achou|contou|explicou) (que|pra)\b"),
    fact_cue=cue(
        r"\b(esqueças|esqueça|esquecer|esqueçam) (de )?que\b",
        r"\b(lembra|lembre|lembrem)(-te|-se)? (de )?que\b",
        r"\b(vence|vencem|expira|fecha|começa|termina)\b",
        r"^(lembra|lembre|não esqueça) (que|de que)\b",
    ),
    emphasis_cue=cue(
        r"\bo (mais )?(importante|principal)\b",
        r"\b(a )?(boa|má) notícia\b",
        r"\b(única|maior|principal) (preocupação|dúvida|objeção)\b",
        r"\bo que me (preocupa|incomoda)\b",
        r"\bo problema (é|foi)\b",
        r"\b(no fim|afinal|finalmente)\b",
    ),
    hedge_cue=cue(r"\b(talvez|quem sabe|provavelmente|um dia|algum dia)\b"),
    setting_cue=cue(
        r"\b(estou|tô|to) (gravando|no carro|no trem|no ônibus|dirigindo)\b",
        r"\b(gravando|gravado|gravo)\b",
        r"\b(estou|tô) (sentad[oa]|no carro|no trem|no metrô|no uber)\b",
    ),
    blocker_cue=cue(
        r"\bnão (precisa|precisamos|preciso|é necessário|tem que)\b",
        r"\bnada a fazer\b",
        r"\bnão (vou|vamos)\b",
        r"\b(eu )?(ia|íamos) \w+(ar|er|ir)\b",
        r"\bdeveria ter\b",
        r"\bjá (liguei|mandei|paguei|fiz|enviei|marquei)\b",
    ),
    action_prefix=re.compile(
        r"^((o )?próximo passo é|a próxima coisa (a fazer )?é|o plano é|(o )?meu (trabalho|plano|"
        r"foco) (agora )?é)\s*[:,]?\s+",
        re.IGNORECASE,
    ),
)
