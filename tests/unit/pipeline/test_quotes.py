"""The quotes stage: quotations and reported speech, their speakers, cues and exact offsets."""

from __future__ import annotations

import pytest

from service.model import EnrichOptions, EnrichResult, Quote
from service.pipeline.article import Article
from service.pipeline.chain import Pipeline, prepare_input
from service.pipeline.text.quotes import Quotation, quotation_spans


def enrich(pipeline: Pipeline, text: str, max_quotes: int = 20) -> EnrichResult:
    """Run a text through the whole chain, as the API does."""
    prepared = prepare_input(text, None, 200_000)
    article = Article(
        id="t", text=prepared.text, title=prepared.title, options=EnrichOptions(max_quotes=max_quotes)
    )
    pipeline.admit(article)
    result = pipeline.enrich_many([article])[0]
    assert isinstance(result, EnrichResult)
    return result


def described(result: EnrichResult) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, text, speaker's entity name or source words, cue) of each quote, offsets checked."""
    out = []
    for quote in result.quotes:
        assert result.body[quote.start : quote.end] == quote.text
        speaker = None
        if quote.speaker is not None:
            entity = quote.speaker.entity
            speaker = quote.speaker.name if entity is None else result.entities[entity].name
            if entity is not None:
                assert result.entities[entity].name == quote.speaker.name
        out.append((quote.kind, quote.text, speaker, quote.cue))
    return out


def test_inverted_incise_after_a_quote(pipeline: Pipeline) -> None:
    """« … », a déclaré X: the inverted subject after the cue is the speaker."""
    text = (
        "Le port de Brest rouvre.\n\n« Les bateaux pourront repartir dès lundi », a déclaré Yannick Le Bras."
    )
    assert [
        ("direct", "Les bateaux pourront repartir dès lundi", "Yannick Le Bras", "a déclaré")
    ] == described(enrich(pipeline, text))


def test_incise_inside_the_marks_stays_in_the_text(pipeline: Pipeline) -> None:
    """« …, a-t-elle ajouté. … »: the incise stays in the quote and names the speaker through its pronoun."""
    text = (
        "Soutien aux éleveurs\n\n"
        "La préfète Amélie Rousseau a visité la ferme de Plouha mardi. "
        "« Nous serons présents, a-t-elle ajouté. Aucune exploitation ne sera abandonnée. »"
    )
    assert [
        (
            "direct",
            "Nous serons présents, a-t-elle ajouté. Aucune exploitation ne sera abandonnée.",
            "Amélie Rousseau",
            "a-t-elle ajouté",
        )
    ] == described(enrich(pipeline, text))


def test_pronoun_speaker_resolves_to_the_person_named_before(pipeline: Pipeline) -> None:
    """« … », a-t-il expliqué: the pronoun is the man named in the sentence before."""
    text = (
        "Le boulanger Marc Vasseur a ouvert une seconde boutique à Caen. "
        "« Le quartier manquait d'un commerce de proximité », a-t-il expliqué."
    )
    assert [
        ("direct", "Le quartier manquait d'un commerce de proximité", "Marc Vasseur", "a-t-il expliqué")
    ] == described(enrich(pipeline, text))


def test_quotation_over_two_paragraphs_gives_one_entry_each_with_one_speaker(pipeline: Pipeline) -> None:
    """A quotation reopened with « in the next paragraph, closed only there, keeps its speaker."""
    text = (
        "La skipper Julie Morvan a raconté sa course :\n\n"
        "« La nuit du troisième jour, le vent a tourné d'un coup. J'ai dû affaler seule.\n\n"
        "« Au matin, le bateau était intact. J'ai pleuré de soulagement. »"
    )
    result = enrich(pipeline, text)
    assert [
        (
            "direct",
            "La nuit du troisième jour, le vent a tourné d'un coup. J'ai dû affaler seule.",
            "Julie Morvan",
            "a raconté",
        ),
        ("direct", "Au matin, le bateau était intact. J'ai pleuré de soulagement.", "Julie Morvan", None),
    ] == described(result)


def test_nested_quote_stays_inside(pipeline: Pipeline) -> None:
    """“ ” inside « » belongs to the outer quotation, which is one entry."""
    text = (
        "Conflit à l'usine de Dole.\n\n"
        "« Le directeur nous a dit “ça ne vous regarde pas”, c'est inacceptable », dénonce Karine Petit."
    )
    assert [
        (
            "direct",
            "Le directeur nous a dit “ça ne vous regarde pas”, c'est inacceptable",
            "Karine Petit",
            "dénonce",
        )
    ] == described(enrich(pipeline, text))


def test_unclosed_mark_runs_to_the_end_of_its_paragraph(pipeline: Pipeline) -> None:
    """An opening mark never closed gives a quotation up to the paragraph's end, not beyond."""
    text = (
        "Inondations dans l'Aude.\n\n"
        "Le maire Paul Ferrand a lancé un appel : « Restez chez vous et suivez les consignes.\n\n"
        "La décrue est attendue jeudi."
    )
    assert [
        ("direct", "Restez chez vous et suivez les consignes.", "Paul Ferrand", "a lancé"),
    ] == described(enrich(pipeline, text))


def test_selon_attributes_the_clause(pipeline: Pipeline) -> None:
    """Selon X, …: the rest of the sentence is reported speech of X."""
    text = (
        "Rentrée scolaire.\n\nSelon le ministère de l'Éducation nationale, "
        "12 000 classes auront un nouvel effectif."
    )
    result = enrich(pipeline, text)
    assert [
        (
            "indirect",
            "12 000 classes auront un nouvel effectif",
            "ministère de l'Éducation nationale",
            "selon",
        )
    ] == described(result)


def test_unnamed_source_keeps_its_words_without_entity(pipeline: Pipeline) -> None:
    """An unnamed source is kept as its words, with no entity."""
    text = "Sommet de Genève.\n\nD'après une source diplomatique, la déclaration finale sera signée dimanche."
    result = enrich(pipeline, text)
    assert [
        ("indirect", "la déclaration finale sera signée dimanche", "une source diplomatique", "d'après")
    ] == (described(result))
    assert result.quotes[0].speaker is not None
    assert result.quotes[0].speaker.entity is None


def test_reported_that_clause_with_named_subject(pipeline: Pipeline) -> None:
    """X a affirmé que …: the clause after "que" is the quote, X its speaker."""
    text = (
        "Transports.\n\nLa présidente de région Carole Delga a affirmé que "
        "les trains régionaux seraient gratuits en août."
    )
    assert [
        ("indirect", "les trains régionaux seraient gratuits en août", "Carole Delga", "a affirmé"),
    ] == described(enrich(pipeline, text))


def test_feminine_pronoun_skips_the_nearer_man(pipeline: Pipeline) -> None:
    """« … », a-t-elle lancé: the woman named by her role, not the man named after her."""
    text = (
        "Procès à Rennes\n\n"
        "Son avocate, Me Sylvie Garnier, a plaidé mardi pour Thomas Brunet. "
        "« Mon client n'a jamais quitté son domicile ce soir-là », a-t-elle lancé aux jurés."
    )
    assert [
        (
            "direct",
            "Mon client n'a jamais quitté son domicile ce soir-là",
            "Sylvie Garnier",
            "a-t-elle lancé",
        )
    ] == described(enrich(pipeline, text))


def test_gendered_role_resolves_to_the_person_it_was_apposed_to(pipeline: Pipeline) -> None:
    """"La ministre a répondu que …": the woman apposed to "ministre", not the minister named last."""
    text = (
        "Budget\n\n"
        "La ministre des Comptes publics, Amélie Vernier, a présenté le budget jeudi. "
        "Le ministre de l'Économie, Paul Roussel, était à ses côtés. "
        "La ministre a répondu que chaque dépense serait financée."
    )
    quotes = [q for q in described(enrich(pipeline, text)) if q[0] == "indirect"]
    assert [("indirect", "chaque dépense serait financée", "Amélie Vernier", "a répondu")] == quotes


def test_description_resolves_to_the_named_holder_of_the_role(pipeline: Pipeline) -> None:
    """"a déclaré le ministre de l'Intérieur": the person apposed to that role earlier in the article."""
    text = (
        "Sécurité\n\n"
        "Le ministre de l'Intérieur, Jacques Morvan, a présenté un plan jeudi. "
        "Son collègue Henri Dussol l'accompagnait. "
        "« Nous recruterons mille policiers », a déclaré le ministre de l'Intérieur devant les préfets."
    )
    assert [
        ("direct", "Nous recruterons mille policiers", "Jacques Morvan", "a déclaré"),
    ] == described(enrich(pipeline, text))


def test_press_title_speaks_for_the_reported_clause(pipeline: Pipeline) -> None:
    """"…, a révélé Mediapart. Selon le site d'information, …": the title, then the title again."""
    text = (
        "Enquête\n\n"
        "L'ancien député Pascal Morin a été mis en examen vendredi, a révélé Mediapart. "
        "Selon le site d'information, trois collaborateurs n'ont jamais travaillé à l'Assemblée."
    )
    speakers = [(q[0], q[2], q[3]) for q in described(enrich(pipeline, text))]
    assert [("indirect", "Mediapart", "a révélé"), ("indirect", "Mediapart", "selon")] == speakers


def test_organisation_word_takes_the_fuller_phrase_before(pipeline: Pipeline) -> None:
    """"Le ministère affirme que …" after "le ministère israélien des Affaires étrangères": that ministry."""
    text = (
        "Aide humanitaire\n\n"
        "L'Organisation des Nations unies a dénoncé mardi le blocage des camions. "
        "Le ministère israélien des Affaires étrangères a démenti ces accusations. "
        "Le ministère affirme que deux cents camions sont entrés la semaine dernière."
    )
    quotes = [q for q in described(enrich(pipeline, text)) if q[0] == "indirect"]
    assert 1 == len(quotes)
    assert "ministère israélien des Affaires étrangères" in (quotes[0][2] or "")


def test_nationality_as_role_is_the_person_the_sentence_before_is_about(pipeline: Pipeline) -> None:
    """"L'Espagnol estime que …" after "Carlos Alcaraz affrontera Alexander Zverev": Alcaraz."""
    text = (
        "Tennis\n\n"
        "Dimanche, Carlos Alcaraz affrontera Alexander Zverev en finale. "
        "L'Espagnol estime que le match se jouera sur le physique."
    )
    assert [
        ("indirect", "le match se jouera sur le physique", "Carlos Alcaraz", "estime"),
    ] == described(enrich(pipeline, text))


def test_narrative_infinitive_goes_on_with_the_last_speaker(pipeline: Pipeline) -> None:
    """"Et de conclure : « … »" has no subject: the person quoted just before goes on."""
    text = (
        "Municipales\n\n"
        "« Nous ouvrirons trois crèches », a promis Hélène Garrigues devant ses soutiens. "
        "Et de conclure : « Cette ville mérite mieux que des promesses. »"
    )
    speakers = [(q[1], q[2]) for q in described(enrich(pipeline, text))]
    assert [
        ("Nous ouvrirons trois crèches", "Hélène Garrigues"),
        ("Cette ville mérite mieux que des promesses.", "Hélène Garrigues"),
    ] == speakers


def test_words_woven_into_a_reported_persons_clause_are_theirs(pipeline: Pipeline) -> None:
    """"Selon Le Monde, il pousse pour « … »": the person whose clause holds the words, not the paper."""
    text = (
        "Législatives\n\n"
        "Le député Arnaud Lefort veut une réforme du scrutin. "
        "Selon Le Monde, il pousse pour une « proportionnelle intégrale »."
    )
    quotes = [q for q in described(enrich(pipeline, text)) if q[0] == "direct"]
    assert [("direct", "proportionnelle intégrale", "Arnaud Lefort", None)] == quotes


def test_titles_and_vague_sources_are_not_quotes(pipeline: Pipeline) -> None:
    """A film title in marks and "les spécialistes estiment que …" give no quote."""
    text = (
        "Cinéma.\n\nLe film « La Mer immobile » sort mercredi. "
        "Les spécialistes estiment que le public sera au rendez-vous."
    )
    assert [] == enrich(pipeline, text).quotes


def test_max_quotes_keeps_the_first_in_article_order(pipeline: Pipeline) -> None:
    """`max_quotes` keeps the first quotes of the article; 0 returns none."""
    text = (
        "Conseil municipal.\n\n« Le budget est voté », a annoncé Léa Morel. "
        "« Les travaux commencent en mai », a ajouté Hugo Blanc."
    )
    assert ["Le budget est voté"] == [q.text for q in enrich(pipeline, text, max_quotes=1).quotes]
    assert [] == enrich(pipeline, text, max_quotes=0).quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il dit « oui » puis « non ».", [("oui", True), ("non", True)]),
        ("« Elle a crié “stop” et « assez ». »", [("Elle a crié “stop” et « assez ».", True)]),
        ("Il a dit « jamais plus", [("jamais plus", False)]),
        ('Il a dit "non" hier.', [("non", True)]),
        ("Un seul » fermant.", []),
        ("“Texte” et «\u00a0fin\u00a0».", [("Texte", True), ("fin", True)]),
    ],
)
def test_quotation_spans(text: str, expected: list[tuple[str, bool]]) -> None:
    """Outermost pairs, nested marks kept inside, unclosed to the end, stray closer ignored."""
    assert expected == [(text[q.start : q.end], q.closed) for q in quotation_spans(text, 0, len(text))]


def test_continued_block_without_reopening_mark_runs_to_its_closer() -> None:
    """A block continuing an unclosed quotation, whose first mark closes, is inside it up to that mark."""
    text = "suite du propos. » Puis il sort."
    assert [Quotation(0, 16, opened=False)] == quotation_spans(text, 0, len(text), continued=True)


def test_quote_offsets_are_into_the_body(pipeline: Pipeline) -> None:
    """Offsets point into the cleaned body, whatever was removed before it."""
    text = "Accueil / Sport\nPartager sur X\nLe club gagne\n\n« On a tout donné », a confié Inès Roy."
    result = enrich(pipeline, text)
    quote: Quote = result.quotes[0]
    assert ("On a tout donné", quote.text) == (result.body[quote.start : quote.end], "On a tout donné")


def test_a_role_resolved_through_earlier_sentences_never_recurses_without_end(pipeline: Pipeline) -> None:
    """A speaker described by a role is looked for a few sentences back at most, never forever.

    Each "Le préfet" is resolved through the sentence before, whose subject is a role again: the
    look-up went back once per sentence and a long body raised RecursionError (a 500).
    """
    pair = "Le ministre a rencontré le préfet. Le préfet a répondu « non, pas cette fois {} »."
    text = " ".join(pair.format(n) for n in range(200))
    result = enrich(pipeline, text)
    assert len(result.quotes) == 20
    assert all(result.body[q.start : q.end] == q.text for q in result.quotes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Élections à Quimper\n\nPaul Girard a été réélu dimanche à Quimper. Après le vote, il a remis "
            "la médaille de la ville à Jean Morel. « Cette victoire est celle de toute une équipe », "
            "a-t-il déclaré.",
            [("direct", "Cette victoire est celle de toute une équipe", "Paul Girard", "a-t-il déclaré")],
            id="pronoun-passes-over-a-name-after-a-preposition",
        ),
        pytest.param(
            "Un concert à Lorient\n\nLe public de Lorient a retrouvé Antoine Kerlann samedi soir. « Je n'ai "
            "jamais chanté devant une salle aussi chaleureuse », a confié le chanteur qui fêtait ses trente "
            "ans de carrière.",
            [
                (
                    "direct",
                    "Je n'ai jamais chanté devant une salle aussi chaleureuse",
                    "Antoine Kerlann",
                    "a confié",
                )
            ],
            id="role-with-a-relative-clause",
        ),
        pytest.param(
            "Marc Delorme à Saint-Nazaire\n\nMarc Delorme a visité le chantier naval de Saint-Nazaire "
            "jeudi. La visite a duré trois heures. « Ces navires font la fierté de toute une région », "
            "a lancé l'ancien ministre de l'Industrie.",
            [("direct", "Ces navires font la fierté de toute une région", "Marc Delorme", "a lancé")],
            id="former-role-with-a-complement",
        ),
    ],
)
def test_a_description_or_pronoun_names_the_person_before(
    pipeline: Pipeline, text: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    """A pronoun skips a name after a preposition; "le chanteur qui …", "l'ancien ministre …" look back."""
    assert expected == described(enrich(pipeline, text))


def test_a_name_after_a_preposition_before_a_colon_does_not_speak(pipeline: Pipeline) -> None:
    """In "X, fidèle aux lecteurs de Ciné Revue : « … »" the name that opens the sentence speaks."""
    text = (
        "Hélène Marchal tourne la page\n\n"
        "Hélène Marchal, fidèle aux lecteurs de Ciné Revue : « J'ai besoin de jouer d'autres rôles. »"
    )
    assert [("direct", "J'ai besoin de jouer d'autres rôles.", "Hélène Marchal", None)] == described(
        enrich(pipeline, text)
    )


def test_a_colon_verb_the_parser_left_without_subject(pipeline: Pipeline) -> None:
    """In "Celle qui a joué dans une pièce de Molière ajoute : « … »" the opening pronoun speaks."""
    text = (
        "Le retour de Sophie Lenoir\n\nSophie Lenoir revient sur scène à Rennes. Celle qui a reçu le prix "
        "du public en 2019 pour avoir joué dans une pièce de Molière ajoute même : « Le théâtre m'a manqué. »"
    )
    assert [("direct", "Le théâtre m'a manqué.", "Sophie Lenoir", None)] == described(enrich(pipeline, text))


def test_any_verb_inverted_right_after_a_quotation_is_its_incise(pipeline: Pipeline) -> None:
    """« … », rassure l'élu: a verb of no cue list is the incise by its place, its subject the speaker."""
    text = (
        "Le budget de Vannes\n\nLe maire de Vannes, Hervé Le Goff, a présenté son budget mardi devant Lucie "
        "Moreau. « Les impôts locaux n'augmenteront pas cette année », rassure l'élu."
    )
    assert [
        ("direct", "Les impôts locaux n'augmenteront pas cette année", "Hervé Le Goff", "rassure")
    ] == described(enrich(pipeline, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "La ligne de bus\n\nSelon La Gazette du Morbihan, Julien Tanguy et son associé ont repris la "
            "ligne de bus entre Auray et Vannes.",
            [
                (
                    "indirect",
                    "Julien Tanguy et son associé ont repris la ligne de bus entre Auray et Vannes",
                    "La Gazette du Morbihan",
                    "selon",
                )
            ],
            id="selon",
        ),
        pytest.param(
            "Une bouteille à la mer\n\nComme le révèle Radio Armor, un pêcheur de 40 ans a retrouvé une "
            "bouteille à la mer.",
            [
                (
                    "indirect",
                    "un pêcheur de 40 ans a retrouvé une bouteille à la mer",
                    "Radio Armor",
                    "révèle",
                )
            ],
            id="comme-le-revele",
        ),
    ],
)
def test_a_source_phrase_ends_at_its_comma(
    pipeline: Pipeline, text: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    """In "Selon X, Y a …" and "Comme le révèle X, Y a …", X is the source and Y opens the reported clause."""
    assert expected == described(enrich(pipeline, text))


def test_a_name_said_inside_a_quotation_is_not_the_speaker(pipeline: Pipeline) -> None:
    """A name inside the next quotation ("comme nous y invite Victor Hugo") is not who "il" is."""
    text = (
        "Un livre\n\n« Je suis d'abord un citoyen », a-t-il dit à la radio. « Je m'engage comme nous y "
        "invite Victor Hugo. » Le romancier Yann Quéré publie un essai ce mois-ci. Yann Quéré présentera "
        "son livre à Brest."
    )
    assert [
        ("direct", "Je suis d'abord un citoyen", "Yann Quéré", "a-t-il dit"),
        ("direct", "Je m'engage comme nous y invite Victor Hugo.", "Yann Quéré", None),
    ] == described(enrich(pipeline, text))


def test_a_reflexive_speech_verb_without_its_pronoun_is_no_cue(pipeline: Pipeline) -> None:
    """A verb listed as "s'inquiéter" is no cue without its pronoun ("la crainte … inquiétait")."""
    text = (
        "Les masques\n\nDepuis des semaines, la crainte d'une pénurie inquiétait les soignants : « Les "
        "premières livraisons arriveront dans les hôpitaux dès lundi matin. »"
    )
    assert [
        ("direct", "Les premières livraisons arriveront dans les hôpitaux dès lundi matin.", None, None)
    ] == described(enrich(pipeline, text))


def test_speech_after_a_quotation_with_no_speaker_goes_to_the_sentence_before(pipeline: Pipeline) -> None:
    """A quotation standing after one with no speaker is said by whom the sentence before is about."""
    text = (
        "Un hommage\n\nÉmile Ferrand a publié un long texte sur son père, mort en mars. Très pudique, Émile "
        'Ferrand explique "ne pas réaliser" ce qui lui arrive et dit ne pas regretter leur manque de '
        "\"dialogue\" qu'il y a pu avoir dans le passé. \"Des mots d'amour, certes, on s'en est peu dit, "
        "mais combien t'en ai-je écrits !\""
    )
    assert (
        "direct",
        "Des mots d'amour, certes, on s'en est peu dit, mais combien t'en ai-je écrits !",
        "Émile Ferrand",
        None,
    ) == described(enrich(pipeline, text))[-1]


def test_a_former_role_is_the_person_the_article_names_most(pipeline: Pipeline) -> None:
    """A former role ("l'ancien président") is the man the article keeps naming, not the last one named."""
    text = (
        "Le club de Vannes\n\nYves Cordier a quitté la présidence du club en 2019. Yves Cordier vit "
        "désormais à Nantes. Il a longtemps travaillé avec le banquier Louis Masson. « Je ne regrette rien "
        "de ces années », assure l'ancien président."
    )
    assert [("direct", "Je ne regrette rien de ces années", "Yves Cordier", "assure")] == described(
        enrich(pipeline, text)
    )


def test_a_pronoun_passes_over_a_name_apposed_to_a_complement(pipeline: Pipeline) -> None:
    """In "fêtée chez le notaire Marc Roux" the name shares its head's function: "il" is the man elected."""
    text = (
        "Dinan\n\nPierre Vidal a été élu maire de Dinan dimanche. La victoire a été fêtée chez le notaire "
        "Marc Roux. « Je serai le maire de tous les habitants », a-t-il déclaré."
    )
    assert [
        ("direct", "Je serai le maire de tous les habitants", "Pierre Vidal", "a-t-il déclaré")
    ] == described(enrich(pipeline, text))


def test_a_pronoun_opening_the_body_is_the_person_the_headline_names(pipeline: Pipeline) -> None:
    """"Il a affirmé" with no man named before it in the body is the headline's man, named from the title."""
    text = (
        "Le premier discours de Bernard Lestrade après sa victoire\n\n"
        "Il a salué ses électeurs et a remercié son adversaire Paul Morvan. "
        "« Je serai le maire de tous les Quimpérois », a-t-il affirmé."
    )
    assert [
        ("direct", "Je serai le maire de tous les Quimpérois", "Bernard Lestrade", "a-t-il affirmé")
    ] == described(enrich(pipeline, text))


def test_a_role_opening_the_body_is_the_person_the_headline_names(pipeline: Pipeline) -> None:
    """"L'édile de Lille" with nobody named before it is the woman of the headline, a cluster of the body."""
    text = (
        "Colère de Martine Vasseur contre un conseiller municipal\n\n"
        "« Je ne laisserai pas passer ces propos », a écrit l'édile de Lille dans une lettre publiée mardi. "
        "Martine Vasseur attend des excuses."
    )
    assert [("direct", "Je ne laisserai pas passer ces propos", "Martine Vasseur", "a écrit")] == described(
        enrich(pipeline, text)
    )


def test_a_report_noun_names_its_source(pipeline: Pipeline) -> None:
    """"Selon les informations de Radio Armor" attributes the clause to the station, not to nobody."""
    text = (
        "Fermeture d'une usine à Lannion\n\n"
        "Selon les informations de Radio Armor, l'usine de Lannion fermera ses portes en juin."
    )
    assert [("indirect", "l'usine de Lannion fermera ses portes en juin", "Radio Armor", "selon")] == [
        (k, t, s, c) for k, t, s, c in described(enrich(pipeline, text)) if k == "indirect"
    ]


def test_plural_ils_is_not_the_newspaper_that_reports_them(pipeline: Pipeline) -> None:
    """"Ils estiment que …" after "selon Le Télégramme" names no one: the paper only reports them."""
    text = (
        "Grève à l'hôpital de Morlaix\n\n"
        "Selon Le Télégramme, les infirmiers de l'hôpital de Morlaix sont en grève depuis lundi. "
        "Ils estiment que la direction « refuse tout dialogue depuis des mois »."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "refuse tout dialogue depuis des mois", None, "estiment") == quotes[-1]


def test_an_incise_after_the_closing_mark_wins_over_the_verb_of_the_sentence(pipeline: Pipeline) -> None:
    """« … », rappelle la cour: the incise names the speaker, not the subject of the sentence's other verb."""
    text = (
        "Élection annulée à Vannes\n\n"
        "La cour administrative d'appel de Nantes a confirmé l'annulation. "
        "Les plaignants ont estimé que le maire avait distribué des colis, une pratique "
        "« interdite dans les six mois qui précèdent le scrutin », rappelle la cour."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "interdite dans les six mois qui précèdent le scrutin",
        "cour administrative d'appel de Nantes",
        "rappelle",
    ) == quotes[-1]


def test_the_text_speaks_for_the_organisation_that_issued_it(pipeline: Pipeline) -> None:
    """"Confirme le texte" after "Dans un communiqué, X …" is X: a document speaks for its author."""
    text = (
        "Santé du président\n\n"
        "Dans un communiqué publié dimanche, l'Élysée se veut rassurant.\n\n"
        "« Le président a été admis à l'hôpital pour des examens de routine », confirme le texte."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "Le président a été admis à l'hôpital pour des examens de routine",
        "Élysée",
        "confirme",
    ) == quotes[-1]


def test_a_member_speaks_for_his_organisation_not_for_the_paper(pipeline: Pipeline) -> None:
    """"Un membre du Secours populaire à Ouest-France" speaks for the charity, not for the paper."""
    text = (
        "Distribution de repas à Rennes\n\n"
        "Le Secours populaire distribue des repas chaque samedi. « Nous n'avons jamais vu autant de "
        "familles », confie un membre du Secours populaire à Ouest-France."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "Nous n'avons jamais vu autant de familles",
        "Secours populaire",
        "confie",
    ) == quotes[-1]


def test_a_title_cue_ending_the_sentence_before_does_not_make_a_term(pipeline: Pipeline) -> None:
    """"… a présenté le plan. « Nous allons … »": the cue word "plan" belongs to the sentence before."""
    text = (
        "Une usine à Vénissieux\n\n"
        "Le directeur a présenté le plan. "
        "« Nous allons investir dans cette usine », a déclaré Claire Pelletier."
    )
    assert [
        ("direct", "Nous allons investir dans cette usine", "Claire Pelletier", "a déclaré")
    ] == described(enrich(pipeline, text))


def test_an_inverted_pronoun_glued_to_the_next_sentence_still_speaks(pipeline: Pipeline) -> None:
    """"…», raconte-t-il.Le soir …": a sentence glued after "-t-il" still leaves the pronoun as speaker."""
    text = (
        "Un trésor sous le plancher\n\n"
        "Le menuisier Hervé Caradec rénovait une longère à Lannion. "
        "« J'ai soulevé une latte et les pièces d'or sont apparues », raconte-t-il.Le soir même, il a "
        "appelé la mairie."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "J'ai soulevé une latte et les pièces d'or sont apparues",
        "Hervé Caradec",
        "raconte-t-il",
    ) == quotes[0]


def test_a_name_the_tagger_took_for_a_pronoun_still_speaks(pipeline: Pipeline) -> None:
    """"BFMTV rapporte que …": a channel in capitals tagged as a pronoun is still the named source."""
    text = (
        "Bus à Rennes\n\n"
        "Le réseau de bus de Rennes change. BFMTV rapporte qu'entre avril et juin, la fréquentation a "
        "baissé de 12 % sur les lignes du centre."
    )
    assert [
        (
            "indirect",
            "entre avril et juin, la fréquentation a baissé de 12 % sur les lignes du centre",
            "BFMTV",
            "rapporte",
        )
    ] == described(enrich(pipeline, text))


def test_a_title_before_the_inverted_name_is_not_the_speaker(pipeline: Pipeline) -> None:
    """"…», confie Me X": the parser's subject is the title "Me"; the name after it speaks."""
    text = (
        "Procès d'un chauffard à Quimper\n\n"
        "Le petit Enzo a été renversé en mars. « Cet enfant ne remarchera jamais, c'est une vie "
        "brisée », confie Me Sophie Le Goff, avocate de la famille."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "Cet enfant ne remarchera jamais, c'est une vie brisée",
        "Sophie Le Goff",
        "confie",
    ) == quotes[0]


def test_the_name_after_an_opening_participle_clause_is_the_subject(pipeline: Pipeline) -> None:
    """"Contactée par X, NAME, …, a répondu que … « … »": the name after the participle clause speaks."""
    text = (
        "Une école critiquée\n\n"
        "Jointe par Le Télégramme, Nathalie Perrin, directrice de l'école, a répondu que les parents "
        "n'avaient « jamais signalé le moindre problème »."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "jamais signalé le moindre problème",
        "Nathalie Perrin",
        "a répondu",
    ) == quotes[0]


def test_a_masculine_role_apposed_to_a_woman_is_still_her(pipeline: Pipeline) -> None:
    """"le capitaine des pompiers Céline X … a indiqué le capitaine": the one holder of the role."""
    text = (
        "Incendie d'un entrepôt à Morlaix\n\n"
        "« Le feu a pris dans la réserve », a expliqué le capitaine des pompiers Céline Le Floch. "
        "Une trentaine de pompiers sont intervenus. "
        "« Le bâtiment devra être démoli », a indiqué le capitaine."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "Le bâtiment devra être démoli", "Céline Le Floch", "a indiqué") == quotes[-1]


def test_a_role_takes_its_other_gender_form(pipeline: Pipeline) -> None:
    """"Claire X, avocate de …" then "a ajouté l'avocat": the masculine form names the same lawyer."""
    text = (
        "Procès d'un promoteur à Nantes\n\n"
        "Claire Morvan, avocate des acheteurs, a plaidé deux heures. Le promoteur a quitté la salle. "
        "« Ces familles ont tout perdu », a ajouté l'avocat."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "Ces familles ont tout perdu", "Claire Morvan", "a ajouté") == quotes[-1]


def test_a_role_after_et_belongs_to_the_next_name(pipeline: Pipeline) -> None:
    """"X et son secrétaire d'État à la fonction publique Y": "le secrétaire d'État" is Y, not X."""
    text = (
        "Grève des contrôleurs aériens\n\n"
        "Le préavis a été adressé au ministre de l'Économie Paul Terrier et à son secrétaire d'État à la "
        "fonction publique Marc Rolland. Le secrétaire d'État rappelle que « tous les vols "
        "prioritaires seront maintenus »."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "tous les vols prioritaires seront maintenus", "Marc Rolland", "rappelle") == quotes[-1]


def test_an_organisation_word_with_its_own_complement_is_not_the_earlier_one(pipeline: Pipeline) -> None:
    """"le ministère des situations d'urgence … selon le ministère kirghiz …": the second names itself."""
    text = (
        "Accident de car\n\n"
        "Le ministère des situations d'urgence a ouvert une enquête. Selon le ministère kirghiz de la "
        "santé, douze blessés sont encore hospitalisés à Bichkek."
    )
    quotes = described(enrich(pipeline, text))
    assert [
        (
            "indirect",
            "douze blessés sont encore hospitalisés à Bichkek",
            "le ministère kirghiz de la santé",
            "selon",
        )
    ] == quotes


def test_more_speech_verbs_attribute_a_short_quotation(pipeline: Pipeline) -> None:
    """"« … », implore-t-elle" and "« … » a corrigé X": speech verbs of the cue list beyond "dire"."""
    text = (
        "Fermeture d'une classe à Quintin\n\n"
        "La directrice Anne Le Roux a reçu les parents. « Gardez notre école ouverte », implore-t-elle. "
        "« C'est la loi 12 » a corrigé Paul Hamon."
    )
    assert [
        ("direct", "Gardez notre école ouverte", "Anne Le Roux", "implore-t-elle"),
        ("direct", "C'est la loi 12", "Paul Hamon", "a corrigé"),
    ] == described(enrich(pipeline, text))


def test_a_demonstrative_role_is_the_topic_a_pronoun_goes_on_with(pipeline: Pipeline) -> None:
    """"Cette sénatrice … « … », a-t-elle lancé": the unnamed senator speaks, not a name before her."""
    text = (
        "Débat agité au Sénat\n\n"
        "Le rapporteur Kim Morvan a présenté le texte mardi. "
        "Cette sénatrice écologiste a ensuite pris la parole. "
        "« Je demande un vote solennel sur ce texte », a-t-elle lancé."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "direct",
        "Je demande un vote solennel sur ce texte",
        "Cette sénatrice écologiste",
        "a-t-elle lancé",
    ) == quotes[-1]


def test_quoted_words_after_a_participle_are_not_its_subject(pipeline: Pipeline) -> None:
    """", évoquant une « … »": the quotation is the participle's object, the clause's subject speaks."""
    text = (
        "Santé du président\n\n"
        "Dans un communiqué, l'Élysée se veut rassurant, évoquant une « simple visite de contrôle »."
    )
    quotes = described(enrich(pipeline, text))
    assert [("direct", "simple visite de contrôle", "Élysée", "évoquant")] == quotes


def test_a_participle_inside_the_marks_is_no_incise(pipeline: Pipeline) -> None:
    """"« …, détaillant les failles du chantier », écrit X": the participle's object does not speak."""
    text = (
        "Un pont fermé à Redon\n\n"
        "« Le rapport est accablant, détaillant les failles du chantier », écrit Le Télégramme."
    )
    assert [
        (
            "direct",
            "Le rapport est accablant, détaillant les failles du chantier",
            "Le Télégramme",
            "écrit",
        )
    ] == described(enrich(pipeline, text))


def test_a_verb_inside_the_marks_whose_noun_goes_on_into_a_clause_is_no_incise(pipeline: Pipeline) -> None:
    """"« …, a dit des choses fausses qui … », lance X": "des choses fausses" is an object, X speaks."""
    text = (
        "Clash sur un plateau de télévision\n\n"
        "« Cet homme a menti, a dit des choses fausses qui ont blessé des gens », lance Paul Hamon."
    )
    quotes = described(enrich(pipeline, text))
    assert [
        (
            "direct",
            "Cet homme a menti, a dit des choses fausses qui ont blessé des gens",
            "Paul Hamon",
            "lance",
        )
    ] == quotes


def test_an_incise_without_comma_takes_the_turn_in_a_dialogue(pipeline: Pipeline) -> None:
    """A verb right after the marks names the speaker: « … ? » a commencé X. « … » a fini Y."""
    text = (
        "Un débat tendu\n\n"
        "Le débat télévisé entre les deux candidats a tourné court hier soir sur le plateau. "
        "« Que voulez-vous dire par là ? » a commencé le journaliste Paul Martin. "
        "« Rien du tout, je vous assure » a fini Marc Dupuis."
    )
    assert [
        ("direct", "Que voulez-vous dire par là ?", "Paul Martin", "a commencé"),
        ("direct", "Rien du tout, je vous assure", "Marc Dupuis", "a fini"),
    ] == described(enrich(pipeline, text))


def test_a_title_in_marks_before_a_verb_is_no_incise(pipeline: Pipeline) -> None:
    """Two words in marks and no end mark before a verb make its subject ("« Le Monde » a révélé")."""
    text = (
        "Scandale à la mairie\n\n"
        "Le maire Jean Morel a démissionné jeudi. « Le Monde » a révélé l'affaire la semaine dernière."
    )
    assert all(q[1] != "Le Monde" or q[2] != "Le Monde" for q in described(enrich(pipeline, text)))


def test_the_agent_of_a_passive_participle_speaks(pipeline: Pipeline) -> None:
    """Words a participle ascribes "par X" are X's, not those of the one described after the comma."""
    text = (
        "Un plan d'économies\n\n"
        "La directrice Anne Morel a présenté les résultats. "
        "Face aux ventes qualifiées de « décevantes » par Le Figaro, "
        "la société Lumo souhaiterait réduire ses coûts. "
        "Décrit comme « un homme de dossiers » par un ancien collègue, Marc Dupuis devra convaincre."
    )
    assert [
        ("direct", "décevantes", "Le Figaro", "qualifiées"),
        ("direct", "un homme de dossiers", "un ancien collègue", "Décrit"),
    ] == described(enrich(pipeline, text))


def test_a_title_after_an_incise_verb_is_not_the_speaker(pipeline: Pipeline) -> None:
    """In "« … », réclame Me X" the inverted subject is the name after the title, not "Me"."""
    text = (
        "Procès d'un chauffard\n\n"
        "Le procès du chauffard s'est achevé mardi à Rennes. "
        "« Il doit indemniser la famille », réclame Me Claire Dumont."
    )
    assert [
        ("direct", "Il doit indemniser la famille", "Claire Dumont", "réclame")
    ] == described(enrich(pipeline, text))


def test_a_possessive_role_is_the_lawyer_named_with_her_title(pipeline: Pipeline) -> None:
    """"Leur avocat" after "Me Claire Dumont" is her: "Me" is a lawyer's title, "leur" no stranger."""
    text = (
        "Procès d'un chauffard\n\n"
        "Le procès du chauffard s'est achevé mardi à Rennes. "
        "« Il doit indemniser la famille », réclame Me Claire Dumont. "
        "Le procureur Paul Martin a requis trois ans. "
        "Leur avocat annonce à France 3 que ses clients n'ont pas de quoi payer les obsèques."
    )
    quotes = described(enrich(pipeline, text))
    assert (
        "indirect",
        "ses clients n'ont pas de quoi payer les obsèques",
        "Claire Dumont",
        "annonce",
    ) == quotes[-1]


def test_a_service_speaks_for_the_source_the_sentence_before_cites(pipeline: Pipeline) -> None:
    """"Selon Météo France, … « … », rassure le service" is the forecaster cited just before."""
    text = (
        "Le froid arrive\n\n"
        "Le froid arrive sur la France. Selon Météo France, les températures devraient baisser dès lundi. "
        "« Il ne s'agit pas d'une vague de froid », rassure le service météorologique."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "Il ne s'agit pas d'une vague de froid", "Météo France", "rassure") == quotes[-1]


def test_the_subject_of_a_relative_clause_is_not_the_pronouns_antecedent(pipeline: Pipeline) -> None:
    """In "celui que Y surnommait « … »" Y only describes the man spoken of: a later "il" is not Y."""
    text = (
        "Primaire\n\n"
        "Marc Lemoine a perdu la primaire dimanche. "
        "Les sondages donnaient gagnant celui que Paul Girard surnommait « le meilleur d'entre nous ». "
        "Une victoire qui lui donne des ailes. "
        "Il dévoile son projet à l'automne, proposant « une nouvelle croissance »."
    )
    quotes = described(enrich(pipeline, text))
    assert ("direct", "une nouvelle croissance", "Marc Lemoine", "proposant") == quotes[-1]


def test_the_verb_before_the_colon_introduces_the_reply(pipeline: Pipeline) -> None:
    """In "« … » a lancé X à la ministre, qui lui a rétorqué : « … »" the reply is hers."""
    text = (
        "Débat houleux\n\n"
        "Le débat entre la ministre Claire Dubois et le député Paul Morin a tourné à l'aigre. "
        "« Ne me coupez pas la parole » a par exemple lancé le député à la ministre, qui lui a rétorqué : "
        "« ce n'est pas parce que je ne suis pas d'accord avec vous que je vous coupe. Ça n'est pas ça »."
    )
    quotes = described(enrich(pipeline, text))
    assert quotes[-1][2:] == ("Claire Dubois", "a rétorqué")


def test_a_group_noun_is_no_single_person(pipeline: Pipeline) -> None:
    """"confie le couple" after a sentence about one man names the couple, not him."""
    text = (
        "Une maison à Brest\n\n"
        "Yann Le Goff a vendu sa maison de Brest au printemps. "
        "« Nous avons eu de la chance, les acheteurs étaient pressés », confie le couple."
    )
    quotes = described(enrich(pipeline, text))
    assert ("le couple", "confie") == quotes[-1][2:]


def test_comme_le_rappelle_ends_its_source_at_the_comma(pipeline: Pipeline) -> None:
    """"Comme le rappelle le quotidien, Myriam semble …": the paper cited before, not the name after."""
    text = (
        "Une affaire trouble\n\n"
        "L'affaire prend un nouveau tour. Selon un article du site du Parisien, la compagne de "
        "l'ancien collaborateur aurait joué un rôle trouble. "
        "Comme le rappelle le quotidien, Myriam semble pourtant n'être qu'un personnage secondaire."
    )
    assert (
        "indirect",
        "Myriam semble pourtant n'être qu'un personnage secondaire",
        "Parisien",
        "rappelle",
    ) == described(enrich(pipeline, text))[-1]


def test_the_next_sentence_names_whose_words_they_were(pipeline: Pipeline) -> None:
    """"« … » La phrase de X risque de faire du bruit.": a quotation alone is X's."""
    text = (
        "Meeting à Nice\n\n"
        "Le meeting s'est tenu à Nice. "
        "« Nous ne pouvons accepter que des gens viennent donner des leçons à la démocratie. » "
        "La phrase de Paul Girard risque de faire du bruit. Le public a applaudi."
    )
    quotes = described(enrich(pipeline, text))
    assert quotes[0][2:] == ("Paul Girard", None)


def test_a_relaying_source_opening_the_lead_in_does_not_speak(pipeline: Pipeline) -> None:
    """"Comme le relaie Le Monde, X … l'a fait savoir sur Facebook : « … »": X speaks, not the paper."""
    text = (
        "Un emploi de rêve\n\n"
        "Un emploi de rêve est à pourvoir. Comme le relaie un article du site du journal Le Monde, "
        "Jeanne Morel, la fondatrice d'un refuge pour chats situé sur une île grecque, est à la recherche "
        "de quelqu'un pour veiller sur ses félins et l'a fait savoir dans un message posté sur Facebook : "
        "« Vous devrez surveiller tous les chats et les nourrir pendant mon absence. »"
    )
    assert described(enrich(pipeline, text))[-1][2:] == ("Jeanne Morel", None)


def test_a_name_the_entity_stage_missed_after_a_role_is_the_speaker(pipeline: Pipeline) -> None:
    """A name after a role with no entity made of it ("raconte le député Grand Pellow") is who speaks."""
    text = (
        "Panique au Parlement\n\n"
        "Les couloirs ont été évacués dans l'après-midi. "
        "« Nous avons dû ramper jusqu'à la sortie », raconte sur Twitter le député Grand Pellow."
    )
    assert described(enrich(pipeline, text))[-1][2:] == ("Grand Pellow", "raconte")


def test_a_party_acronym_after_a_role_is_no_name(pipeline: Pipeline) -> None:
    """A party after a role ("déplore le sénateur LR") is no person: the role's words stay the speaker."""
    text = (
        "Inondations\n\n"
        "La rivière a débordé dans la nuit. « Les secours sont arrivés trop tard », déplore le sénateur LR."
    )
    assert described(enrich(pipeline, text))[-1][2:] == ("le sénateur LR", "déplore")


def test_finit_par_dire_names_the_speaker_after_the_infinitive(pipeline: Pipeline) -> None:
    """In "« … », finit par dire X avant de …" X, inverted after the infinitive, speaks."""
    text = (
        "Clash en direct\n\n"
        "Le débat a tourné court sur le plateau de Paul Garnier. "
        "« Je ne resterai pas une minute de plus avec ce monsieur », finit par dire Cali "
        "avant de quitter le studio."
    )
    assert described(enrich(pipeline, text)) == [
        ("direct", "Je ne resterai pas une minute de plus avec ce monsieur", "Cali", "finit par dire")
    ]


def test_avant_de_opens_no_reported_clause(pipeline: Pipeline) -> None:
    """In "a-t-il déclaré avant de publier des chiffres" what he did next is not what he said."""
    text = (
        "Salaires\n\n"
        "Le président du club a défendu ses choix. "
        "« On a dit n'importe quoi sur les salaires », a-t-il déclaré avant de publier des chiffres."
    )
    assert [q[0] for q in described(enrich(pipeline, text))] == ["direct"]
