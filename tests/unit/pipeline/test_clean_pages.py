"""Whole pages of every genre and clutter kind, written here: the cleaner keeps exactly the article.

Each page lists its lines with what they are: `T` the headline, `B` article text, `H` a
subheading, `-` page furniture. The test rebuilds the expected body from the `B` and `H` lines.
"""

from __future__ import annotations

import pytest

from tests.unit.pipeline.test_clean import reasons, run

Page = list[tuple[str, str]]

PORTAL_MENU: Page = [
    ("-", "MailActualitésSportsMétéoHoroscopeJeux"),
    ("-", "Connexion"),
    ("-", "Actualités > Monde"),
]

PAGES: dict[str, tuple[Page, str | None]] = {
    "interview": (
        [
            ("-", "Accueil"),
            ("-", "Entretien"),
            ("T", "Nadia Ferreira, viticultrice : « La vigne souffre plus de la sécheresse que du gel »"),
            ("-", "Propos recueillis par Léo Martinet"),
            ("-", "Publié le 14/06/2025 à 07h30"),
            (
                "B",
                "Installée depuis vingt ans dans les Corbières, Nadia Ferreira a vu ses rendements chuter "
                "de moitié en trois ans. Elle raconte comment elle adapte son domaine.",
            ),
            ("B", "Quand avez-vous vu les premiers effets ?"),
            (
                "B",
                "Dès 2019, les raisins séchaient sur pied avant les vendanges. Nous avons d'abord cru à une "
                "mauvaise année, puis les mauvaises années se sont enchaînées.",
            ),
            ("B", "Qu'avez-vous changé ?"),
            (
                "B",
                "Nous avons replanté des cépages venus d'Espagne, qui supportent mieux la chaleur, et "
                "nous laissons l'herbe pousser entre les rangs pour garder un peu d'humidité.",
            ),
            ("-", "Mots-clés : Vigne, Climat, Agriculture"),
        ],
        "Propos recueillis par Léo Martinet",
    ),
    "agency_dispatch": (
        [
            *PORTAL_MENU,
            ("T", "Japon : un séisme de magnitude 6,1 secoue le nord de l'archipel"),
            ("-", "(AFP)"),
            ("-", "Publié le 03/03/2025 à 09h12"),
            (
                "B",
                "Un séisme de magnitude 6,1 a frappé lundi le nord du Japon, sans faire de victime ni de "
                "dégât important selon les premiers bilans des autorités locales.",
            ),
            (
                "B",
                "L'agence météorologique japonaise n'a pas émis d'alerte au tsunami. Les trains à grande "
                "vitesse ont été brièvement arrêtés par précaution dans la région d'Aomori.",
            ),
            ("-", "Les plus lus"),
            ("-", "1. Horoscope du jour : ce que les astres vous réservent"),
            ("-", "2. Les prix de l'essence repartent à la hausse"),
            (
                "-",
                "Nous utilisons des cookies pour améliorer votre expérience. En cliquant sur Accepter, "
                "vous consentez à leur utilisation.",
            ),
        ],
        "AFP",
    ),
    "feature": (
        [
            ("-", "Grand format"),
            ("T", "Dans les Cévennes, les derniers bergers transhumants"),
            ("-", "Par Hélène Castagné"),
            ("-", "Publié le 21/07/2024 à 06h00"),
            (
                "B",
                "Chaque été, quelques familles mènent encore leurs troupeaux à pied vers les estives du mont "
                "Lozère. Nous avons marché trois jours avec l'une d'elles.",
            ),
            ("H", "Un départ avant l'aube"),
            (
                "B",
                "Il est quatre heures quand les premières brebis franchissent le portail. Le berger compte "
                "les bêtes à voix basse, son chien tourne autour du troupeau sans un aboiement.",
            ),
            ("H", "Une tradition menacée"),
            (
                "B",
                "Les jeunes ne reprennent plus les exploitations, et la présence du loup oblige à passer les "
                "nuits auprès des bêtes. Beaucoup préfèrent désormais les camions.",
            ),
        ],
        "Par Hélène Castagné",
    ),
    "opinion": (
        [
            ("-", "TRIBUNE"),
            ("T", "Il faut rendre les petites lignes ferroviaires aux régions"),
            ("-", "Par Paul Verdier, économiste des transports"),
            (
                "B",
                "Depuis trente ans, l'État ferme les petites lignes une à une au nom de la rentabilité, "
                "sans jamais compter ce que coûtent les routes qui les remplacent.",
            ),
            (
                "B",
                "Les régions qui ont repris la main, comme l'Occitanie, montrent qu'une desserte cadencée "
                "ramène les voyageurs en quelques années. Il est temps d'aller plus loin.",
            ),
            (
                "-",
                "Paul Verdier est professeur d'économie à l'université de Toulouse et auteur de plusieurs "
                "ouvrages sur le rail.",
            ),
            ("-", "Les opinions exprimées dans cette tribune n'engagent que leur auteur."),
        ],
        "Par Paul Verdier, économiste des transports",
    ),
    "company_results": (
        [
            ("-", "Économie > Entreprises"),
            ("T", "Le groupe Valmont voit son bénéfice bondir de 18 % au premier semestre"),
            ("-", "Par Sophie Renard"),
            ("-", "Publié le 29/07/2025 à 08h05"),
            (
                "B",
                "Le fabricant de matériel agricole a annoncé mardi un bénéfice net de 412 millions d'euros "
                "sur six mois, porté par la demande en Amérique du Sud.",
            ),
            (
                "B",
                "Le chiffre d'affaires atteint 3,1 milliards d'euros, en hausse de 6 %. Le titre gagnait "
                "4,2 % à la Bourse de Paris en début de séance.",
            ),
            ("-", "Il vous reste 65 % de cet article à lire."),
            ("-", "Article réservé aux abonnés"),
        ],
        "Par Sophie Renard",
    ),
    "court": (
        [
            ("-", "Justice"),
            ("T", "Rennes : un ancien notaire condamné à trois ans de prison pour détournement"),
            ("-", "Par Yann Le Bihan"),
            ("-", "Le 12 février 2025 à 18:40"),
            (
                "B",
                "Le tribunal correctionnel de Rennes a condamné mercredi un ancien notaire à trois ans de "
                "prison, dont un avec sursis, pour avoir détourné l'argent de ses clients.",
            ),
            ("-", "Lire aussi : Un agent immobilier jugé pour escroquerie à Vannes"),
            (
                "B",
                "Le préjudice est estimé à 1,2 million d'euros. Son avocat a annoncé qu'il ferait appel, "
                "estimant que la peine était disproportionnée.",
            ),
        ],
        "Par Yann Le Bihan",
    ),
    "science_health": (
        [
            ("-", "Santé"),
            ("T", "Une étude relie le manque de sommeil à un risque accru d'hypertension"),
            ("-", "Par Camille Roux"),
            ("-", "Publié le 5 mars 2025"),
            (
                "B",
                "Dormir moins de six heures par nuit augmenterait de 20 % le risque d'hypertension, selon "
                "une étude menée pendant dix ans auprès de 40 000 adultes.",
            ),
            (
                "B",
                "Les chercheurs recommandent de surveiller sa tension dès la quarantaine et de garder des "
                "horaires de coucher réguliers, y compris le week-end.",
            ),
            ("-", "Les informations de cet article ne remplacent pas l'avis d'un professionnel de santé."),
        ],
        "Par Camille Roux",
    ),
    "culture_review": (
        [
            ("-", "Culture > Cinéma"),
            ("T", "« Le Dernier Hiver », un huis clos glaçant dans les Alpes"),
            ("-", "Par Margot Lenoir"),
            ("-", "Publié le 11/03/2025 à 12h00"),
            (
                "B",
                "Le deuxième film de Marie Roussel enferme quatre frères et sœurs dans un chalet coupé du "
                "monde par la neige. La tension monte à chaque repas.",
            ),
            (
                "B",
                "La mise en scène, sobre, laisse toute la place aux comédiens, remarquables. On sort de la "
                "salle secoué, avec l'envie d'appeler sa famille.",
            ),
            ("B", "Le Dernier Hiver, de Marie Roussel. 1 h 52. En salle le 12 mars."),
            ("-", "Partager sur : Facebook Twitter WhatsApp Telegram E-mail"),
        ],
        "Par Margot Lenoir",
    ),
    "weather_disaster": (
        [
            ("-", "Météo"),
            ("T", "Inondations dans le Var : deux morts et des centaines de sinistrés"),
            ("-", "Par la rédaction avec AFP"),
            ("-", "Publié le 18/10/2024 à 21h02 - Mis à jour le 19/10/2024 à 07h15"),
            (
                "B",
                "Des pluies torrentielles se sont abattues vendredi sur le Var, où il est tombé l'équivalent "
                "de deux mois de précipitations en quelques heures.",
            ),
            ("-", "Lecture en cours"),
            ("-", "01:58"),
            (
                "B",
                "Les pompiers ont procédé à plus de 300 interventions. Les écoles resteront fermées lundi "
                "dans une vingtaine de communes, a annoncé la préfecture.",
            ),
        ],
        "Par la rédaction avec AFP",
    ),
    "conflict": (
        [
            ("-", "International"),
            ("T", "Dans l'est de l'Ukraine, les civils fuient une nouvelle offensive"),
            ("-", "De notre envoyé spécial à Kharkiv, Julien Moreau"),
            ("-", "Publié le 02/05/2025 à 10h00"),
            (
                "B",
                "Sur la route qui mène vers l'ouest, les voitures chargées de matelas et de valises "
                "avancent au pas. Beaucoup ont quitté leur village sans savoir s'ils y reviendront.",
            ),
            (
                "B",
                "Les autorités régionales ont ordonné l'évacuation de onze localités proches du front, où "
                "les bombardements se sont intensifiés depuis dimanche.",
            ),
            ("-", "(Avec AFP)"),
        ],
        "De notre envoyé spécial à Kharkiv, Julien Moreau",
    ),
    "education": (
        [
            ("-", "Éducation"),
            ("T", "Bac 2025 : les épreuves de spécialité avancées au mois de mars"),
            ("-", "Marion Lefèvre"),
            ("-", "12 janvier 2025"),
            (
                "B",
                "Les lycéens passeront leurs épreuves de spécialité dès la mi-mars, a confirmé le ministère, "
                "malgré l'opposition de plusieurs syndicats d'enseignants.",
            ),
            (
                "B",
                "Les professeurs redoutent un troisième trimestre démobilisé, les notes étant acquises avant "
                "Pâques pour la plupart des élèves.",
            ),
            ("-", "Newsletter"),
            ("-", "Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail."),
        ],
        "Marion Lefèvre",
    ),
    "strike": (
        [
            ("-", "ActualitéSportCultureÉconomie"),
            ("-", "Se connecter"),
            ("T", "Grève à la raffinerie de Donges : les stations de l'Ouest à sec"),
            ("-", "Par Erwan Guillou et Léa Prigent"),
            ("-", "Publié le 14/10/2022 à 11h20"),
            (
                "B",
                "Un tiers des stations-service de Loire-Atlantique manquaient d'au moins un carburant "
                "vendredi matin, au cinquième jour de la grève à la raffinerie.",
            ),
            (
                "B",
                "Les grévistes réclament une hausse de salaire de 10 % et dénoncent les profits records du "
                "groupe. Une assemblée générale doit se tenir lundi.",
            ),
        ],
        "Par Erwan Guillou et Léa Prigent",
    ),
    "religion_society": (
        [
            ("-", "Société"),
            ("T", "Ramadan : à Marseille, les mosquées se préparent à accueillir les fidèles"),
            ("-", "Par Karima Benali"),
            ("-", "Publié le 28/02/2025 à 17h45"),
            (
                "B",
                "Le jeûne débutera samedi pour des dizaines de milliers de Marseillais. Les associations "
                "organisent des repas solidaires dans plusieurs quartiers.",
            ),
            (
                "B",
                "La grande mosquée diffusera la prière du soir en direct sur internet pour les fidèles qui "
                "ne peuvent pas se déplacer, a précisé son recteur.",
            ),
        ],
        "Par Karima Benali",
    ),
    "environment": (
        [
            ("-", "Planète"),
            ("T", "La Loire n'a jamais été aussi basse à la fin du mois de juillet"),
            ("-", "Par Thomas Girard"),
            ("-", "Publié le 30/07/2025 à 09h00"),
            ("-", "Partager sur : Facebook Twitter WhatsApp Telegram E-mail"),
            (
                "B",
                "Le débit du fleuve est tombé sous les 40 mètres cubes par seconde à Saumur, un niveau "
                "jamais mesuré à cette période depuis le début des relevés.",
            ),
            (
                "B",
                "Les préfectures ont restreint les prélèvements d'eau pour l'agriculture dans six "
                "départements, et des bancs de sable empêchent la navigation.",
            ),
            ("-", "Tags : Environnement, Sécheresse, Loire"),
        ],
        "Par Thomas Girard",
    ),
    "belgian_local_politics": (
        [
            ("-", "Régions > Liège"),
            ("T", "Seraing : le collège communal adopte un plan de rénovation des écoles"),
            ("-", "Belga"),
            ("-", "Publié le 18/09/2024 à 15h30"),
            (
                "B",
                "Le bourgmestre et les échevins ont approuvé mardi un plan de 25 millions d'euros pour "
                "rénover onze écoles communales d'ici la fin de la législature.",
            ),
            (
                "B",
                "L'opposition dénonce un calendrier électoral et demande que le conseil communal soit "
                "consulté sur l'ordre des chantiers, qui commenceront par les bâtiments les plus anciens.",
            ),
        ],
        "Belga",
    ),
    "swiss_local_politics": (
        [
            ("-", "Vaud"),
            ("T", "Lausanne : le Conseil communal accepte la hausse du tarif des crèches"),
            ("-", "Publié le 4 mars 2025 à 19:20"),
            (
                "B",
                "Après un long débat, le Conseil communal a accepté mardi soir la hausse des tarifs de "
                "l'accueil de jour, par 52 voix contre 38 et 4 abstentions.",
            ),
            (
                "B",
                "Le syndic a rappelé que le canton réduirait sa subvention dès l'an prochain. La gauche "
                "radicale envisage de lancer un référendum et une votation populaire.",
            ),
            ("-", "(ats/nxp)"),
        ],
        "ats/nxp",
    ),
    "quebec_local_politics": (
        [
            ("-", "Actualités régionales"),
            ("T", "Saint-Jérôme : la mairesse veut doubler le nombre de logements sociaux"),
            ("-", "Geneviève Tremblay, Initiative de journalisme local"),
            ("-", "12 mars 2025 à 10 h 20"),
            (
                "B",
                "La mairesse a présenté lundi au conseil municipal un plan visant à construire 600 "
                "logements sociaux d'ici quatre ans, avec l'aide de Québec.",
            ),
            (
                "B",
                "Les conseillers de l'opposition saluent l'objectif, mais s'inquiètent du financement et "
                "réclament une consultation publique avant l'adoption du règlement.",
            ),
        ],
        "Geneviève Tremblay, Initiative de journalisme local",
    ),
    "photo_video": (
        [
            ("-", "Vidéos"),
            ("T", "EN IMAGES - Les plus belles photos du Tour de France 2025"),
            ("-", "Par Romain Faure"),
            ("-", "Publié le 27/07/2025 à 20h00"),
            (
                "B",
                "Des cols pyrénéens aux Champs-Élysées, retour en images sur trois semaines de course et de "
                "ferveur au bord des routes.",
            ),
            ("-", "1/12"),
            ("-", "Le peloton dans la montée du Tourmalet. © Pierre Laval / AFP"),
            ("-", "2/12"),
            ("-", "L'arrivée à Paris sous le soleil. © Anne Colin / AFP"),
            ("-", "Voir la vidéo"),
        ],
        "Par Romain Faure",
    ),
}


def _expected(page: Page) -> tuple[str | None, str]:
    title = next((text for kind, text in page if kind == "T"), None)
    return title, "\n\n".join(text for kind, text in page if kind in ("B", "H"))


@pytest.mark.parametrize("genre", sorted(PAGES))
def test_page_of_each_genre_keeps_its_article_title_and_byline(genre: str) -> None:
    """Every genre's page gives exactly its article text, its headline and its byline."""
    page, byline = PAGES[genre]
    result = run("\n".join(text for _, text in page))
    title, body = _expected(page)
    assert (title, body, byline) == (result.title, result.body, result.metadata.byline)


def test_subheadings_of_a_feature_are_headings() -> None:
    """The subheadings of a long feature are kept as `heading` paragraphs."""
    page, _ = PAGES["feature"]
    result = run("\n".join(text for _, text in page))
    headings = [result.body[p.start : p.end] for p in result.paragraphs if p.kind == "heading"]
    assert ["Un départ avant l'aube", "Une tradition menacée"] == headings


@pytest.mark.parametrize(
    ("genre", "line", "reason"),
    [
        ("agency_dispatch", "MailActualitésSportsMétéoHoroscopeJeux", "navigation"),
        ("strike", "ActualitéSportCultureÉconomie", "navigation"),
        ("company_results", "Il vous reste 65 % de cet article à lire.", "engagement"),
        ("company_results", "Article réservé aux abonnés", "engagement"),
        ("environment", "Tags : Environnement, Sécheresse, Loire", "navigation"),
        ("interview", "Mots-clés : Vigne, Climat, Agriculture", "navigation"),
        ("agency_dispatch", "1. Horoscope du jour : ce que les astres vous réservent", "related"),
        ("education", "Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail.", "engagement"),
        ("opinion", "Les opinions exprimées dans cette tribune n'engagent que leur auteur.", "engagement"),
        ("photo_video", "1/12", "caption"),
        ("photo_video", "Voir la vidéo", "navigation"),
        ("conflict", "De notre envoyé spécial à Kharkiv, Julien Moreau", "byline"),
        ("swiss_local_politics", "(ats/nxp)", "byline"),
    ],
)
def test_clutter_kind_has_its_reason(genre: str, line: str, reason: str) -> None:
    """Each clutter kind (glued menu, paywall, tags, most-read, newsletter, counter...) has its reason."""
    page, _ = PAGES[genre]
    assert (reason, line) in reasons(run("\n".join(text for _, text in page)))


LONG_PARAGRAPH = (
    "L'avocat de l'agent de voyage conteste les accusations et affirme que son client n'a jamais "
    "revendu les points de ses clients. Il rappelle que la compagnie a modifié ses conditions "
    "générales à plusieurs reprises depuis 2015, sans toujours en informer ses partenaires, et "
    "réclame l'accès aux relevés complets des comptes avant toute audience devant le tribunal."
)
OPENING = (
    "Un agent de voyage de Chicago est soupçonné d'avoir détourné quarante millions de points de "
    "fidélité d'une compagnie aérienne, pour un préjudice estimé à près de deux millions de dollars."
)
SECOND = (
    "Selon l'acte d'accusation, il aurait utilisé les comptes de clients inactifs pour réserver des "
    "billets en classe affaires qu'il revendait ensuite à prix cassés sur internet."
)
THIRD = (
    "La compagnie a porté plainte l'an dernier après avoir constaté des réservations anormales, "
    "toutes faites depuis la même agence et payées avec des points de comptes restés inactifs."
)


def test_paragraph_after_a_poll_widget_stays() -> None:
    """A rating poll inside the article ("Votre avis nous intéresse", Oui, Non) does not end it."""
    poll = ["Votre avis nous intéresse", "Cet article vous a-t-il été utile ?", "Oui", "Non"]
    headline = "Un agent de voyage soupçonné de fraude aux miles"
    result = run("\n".join([headline, OPENING, SECOND, *poll, LONG_PARAGRAPH]))
    assert f"{OPENING}\n\n{SECOND}\n\n{LONG_PARAGRAPH}" == result.body
    assert ("engagement", "Votre avis nous intéresse") in reasons(result)


def test_thread_of_long_comments_after_the_article_is_not_body() -> None:
    """Two long posts between pseudonyms and "Répondre" under a comments header stay out of the body."""
    thread = ["Commentaires (2)", "Marcel44", LONG_PARAGRAPH, "Répondre", "Julie B.", LONG_PARAGRAPH]
    raw = "\n".join(["Un agent de voyage soupçonné de fraude aux miles", OPENING, SECOND, THIRD, *thread])
    result = run(raw)
    assert f"{OPENING}\n\n{SECOND}\n\n{THIRD}" == result.body


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Lire aussiTempête : que faire si votre toiture a été endommagée ?", "related"),
        ("Partager sur : Facebook X WhatsApp E-mail", "share"),
        ("Partager par courriel", "share"),
        ("Télécharger l'article", "share"),
        ("Photo 3 sur 6", "caption"),
        ("8 min lues", "navigation"),
        ("Écouter (5 min)", "navigation"),
        ("Inscrivez-vous à notre lettre d'information pour suivre l'actualité de l'éducation.", "engagement"),
        ("Newsletter « Le Léman ce matin » : chaque jour, l'actualité dans votre boîte mail.", "engagement"),
        ("Abonnez-vous au Journal dès 1 € le premier mois", "engagement"),
    ],
)
def test_furniture_between_paragraphs_goes_and_the_article_stays(line: str, reason: str) -> None:
    """Glued "Lire aussi", share bars, counters, reading times and newsletter boxes go; the article stays."""
    headline = "Un agent de voyage soupçonné de fraude aux miles"
    result = run("\n".join([headline, OPENING, line, SECOND, THIRD]))
    assert (f"{OPENING}\n\n{SECOND}\n\n{THIRD}", [("title", headline), (reason, line)]) == (
        result.body,
        reasons(result),
    )


def test_short_last_paragraph_after_a_video_player_stays() -> None:
    """A video player's buttons between paragraphs cost as one widget: the short last paragraph stays."""
    player = ["Play Video", "Pause", "Mute", "Current Time 0:00", "/", "Duration 2:41", "Loaded: 0%"]
    last = "L'enquête a été confiée à la police judiciaire."
    headline = "Un agent de voyage soupçonné de fraude aux miles"
    tail = ["Les dernières infos", "12h40 Un autre titre"]
    result = run("\n".join([headline, OPENING, SECOND, *player, "Fullscreen", last, *tail]))
    assert f"{OPENING}\n\n{SECOND}\n\n{last}" == result.body


def test_dateline_opening_the_text_is_kept() -> None:
    """A day-and-month dateline right above the first paragraph ("1 avril") opens the article text."""
    headline = "Un agent de voyage soupçonné de fraude aux miles"
    result = run("\n".join([headline, "Par Jean Dupont", "1 avril", OPENING, SECOND]))
    assert f"1 avril\n\n{OPENING}\n\n{SECOND}" == result.body


@pytest.mark.parametrize(
    "caption",
    [
        "La foudre s'est abattue sur le sentier au-dessus de Monnetier-Mornex. Gendarmerie de Haute-Savoie",
        "La foudre s'est abattue sur le sentier au-dessus de Monnetier-Mornex. (Photo Gendarmerie nationale)",
    ],
)
def test_photo_caption_under_the_byline_is_not_the_headline(caption: str) -> None:
    """A caption retelling the lede, printed under the byline, loses to the headline above the byline."""
    raw = "\n".join(
        [
            "RADIO DU LÉMAN",
            "Genève Vaud Valais Sport",
            "Régions",
            "Haute-Savoie",
            "Deux randonneurs surpris par un orage sur le Salève, l'un est mort",
            "Publié le 3 août 2025 • 18:20",
            caption,
            "Un homme de 41 ans a été tué par la foudre samedi sur un sentier au-dessus de Monnetier-Mornex, "
            "a indiqué la gendarmerie de Haute-Savoie. Son compagnon, légèrement brûlé, a été héliporté "
            "à Annecy.",
            "Les deux hommes, domiciliés à Genève, étaient partis le matin malgré un bulletin annonçant des "
            "orages en fin de journée.",
        ]
    )
    result = run(raw)
    assert result.title == "Deux randonneurs surpris par un orage sur le Salève, l'un est mort"
    assert (result.metadata.published or "").startswith("2025-08-03T18:20")
