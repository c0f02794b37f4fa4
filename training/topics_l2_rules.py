"""Propose level-2 IPTC subtopics for the topic corpus, from title and heading cues and site sections.

For every item of training/topics_data.py's corpus whose top-level subject is known (its primary code),
each level-2 child of that subject gets a cue score: distinct cue patterns (`RULES`, regular
expressions over folded text, written for this project from IPTC's French labels and their
descendants' labels) found in the title count 2, in the first `LEAD_CHARS` characters of the body
(OrangeSum's heading, then the article) 1; an OrangeSum section that is finer than the subject adds
`SECTION_PRIOR` (people -> Célébrités, media -> Médias, culture -> Arts et divertissement,
high-tech -> Technologie et ingénierie, auto -> Secteurs économiques). A subtopic is proposed when its
score is at least `MIN_SCORE` and at least `MARGIN` times the second best (a decisive margin); other
items get no level-2 label. The proposals are weak labels for training only: every dev and test
figure is against hand labels (training/data/topics_l2_gold.tsv).

Writes training/data/topics_l2_labels.tsv (id, subject, subtopic, source, score), deterministic.

    .venv/bin/python -m training.topics_l2_rules [--shared ../shared]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from service.pipeline.text.fold import fold
from training.topics_data import DATA, DEFAULT_SHARED, corpus, orangesum

OUT = DATA / "topics_l2_labels.tsv"
LEAD_CHARS = 400
SECTION_PRIOR = 2.0
MIN_SCORE = 2.0
MARGIN = 1.5

# Subject (2 digits) -> level-2 code suffix -> cue pattern (folded text: no accents, lowercase).
RULES: dict[str, dict[str, str]] = {
    "01": {
        "20000002": r"cinema|\bfilms?\b|realisat(eur|rice)|acteur|actrice|festival|concert|chanteu|chanson|album|"
        r"musique|musicien|rappeur|\brap\b|theatre|spectacle|expo(sition)?\b|peintre|peinture|roman\b|romancier|"
        r"ecrivain|livre\b|\bprix goncourt|cesar|oscars?\b|cannes|serie\b|danse|opera|\bbd\b|bande dessinee",
        "20000038": r"patrimoine|musee|monument|bibliotheque|tradition|\blangue\b|chateau|cathedrale|archeolog|"
        r"journees du patrimoine|notre dame",
        "20000045": r"televis|\btele\b|\btf1\b|france [23]|\bm6\b|\bcanal\+?|\bbfm|\bcnews|\blci\b|animat(eur|rice)|"
        r"journalis|\bpresse\b|journal\b|\bradio|emission|audience|\bcsa\b|arcom|reseaux sociaux|twitter|"
        r"facebook|instagram|tiktok|youtube|influenceu|fake news|desinformation|redaction",
    },
    "02": {
        "20000082": r"meurtre|assassin|homicide|tue par|agression|agresse|viol\b|violee|braquage|vol\b|volee?s?\b|"
        r"cambriol|escroquer|arnaque|fraude|trafic|drogue|stupefiant|cocaine|cannabis|corruption|"
        r"enlevement|sequestr|incendie criminel|pedocriminel|feminicide|poignard|abattu|fusillade|"
        r"rixe|reglement de comptes|deal|blanchiment|detournement",
        "20000106": r"proces|tribunal|cour d.assises|assises|condamne|condamnation|prison\b|peine\b|"
        r"juge\b|juges\b|jugement|magistrat|avocat|parquet|requisitoire|verdict|acquitte|relaxe|"
        r"cour d.appel|cassation|mis en examen|mise en examen|detention provisoire|incarcer|perpetuite|"
        r"amende|comparution",
        "20000121": r"\bloi\b|projet de loi|proposition de loi|reglementation|decret|conseil constitutionnel|"
        r"conseil d.etat|legislation|interdiction|autoris(e|ation) par la loi|code penal",
        "20000129": r"police|policier|gendarme|gendarmerie|interpell|arrete|arrestation|garde a vue|enquete|"
        r"enqueteur|disparu|disparition|avis de recherche|perquisition|\bcrs\b|controle routier|radar|"
        r"videosurveillance|\bbac\b|brigade",
    },
    "03": {
        "20000139": r"accident|collision|percute|carambolage|deraill|crash|s.est ecrase|naufrage|chavir|"
        r"explosion|effondr|noyade|noye|chute mortelle|electrocut|intoxication|sortie de route|"
        r"tue sur la route|accident de la route|motard|pieton",
        "20000148": r"seisme|tremblement de terre|inondation|crue|ouragan|cyclone|typhon|tempete|tornade|"
        r"eruption|volcan|tsunami|incendie|feu de foret|feux de foret|glissement de terrain|avalanche|"
        r"secheresse|canicule|catastrophe naturelle|intemperies|famine|coulee de boue",
        "20000168": r"secours|sauveteur|sauvetage|pompiers|evacu|rescap|recherches|samu|secouriste|"
        r"plan orsec|cellule de crise|hebergement d.urgence",
    },
    "04": {
        "20000170": r"entreprise|societe\b|groupe\b|chiffre d.affaires|benefice|resultats|\bpdg\b|"
        r"directeur general|rachat|racheter|fusion|acquisition|licenciement|plan social|faillite|"
        r"liquidation|redressement judiciaire|usine|fermeture|actionnaire|dividende|start ?up|"
        r"introduction en bourse|contrat|commande",
        "20000209": r"constructeur|automobile|voiture|vehicule|renault|peugeot|citroen|tesla|stellantis|"
        r"volkswagen|toyota|\bsuv\b|electrique|moteur|agricult|agriculteur|eleveur|banque|bancaire|"
        r"assurance|immobilier|tourisme|compagnie aerienne|airline|transport|sncf|\btrain|aerien|"
        r"carburant|essence|gazole|energie|petrole|\bedf\b|nucleaire|commerce|distribution|supermarche|"
        r"grande distribution|luxe|telecom|operateur",
        "20000344": r"economie|economique|croissance|\bpib\b|inflation|\bprix\b|pouvoir d.achat|budget|"
        r"dette|deficit|impot|fiscal|\btaxe|\btva\b|consommation|\binsee\b|recession|chomage|banque centrale|"
        r"\bbce\b|taux d.interet|commerce exterieur|exportation|importation|droits de douane|"
        r"plan de relance|subvention|menages",
        "20000385": r"bourse|\bcac 40|wall street|\bactions?\b|\bmarches?\b financ|cours du|baril|brent|"
        r"\bor\b|bitcoin|cryptomonnaie|\beuro\b|dollar|devise|obligat|taux|investisseur",
    },
    "05": {
        "20000400": r"ecole|college|lycee|maternelle|primaire|classe|etablissement scolaire|rentree|"
        r"eleves?\b|scolaire|universite|fac\b|enseignement superieur",
        "20000413": r"\bbac\b|baccalaureat|brevet|examen|epreuve|concours|parcoursup|notes?\b|resultats",
        "20000415": r"etudiant|etudiante|\bcrous\b|bourse etudiant|logement etudiant|campus",
        "20000416": r"enseignant|professeur|\bprof\b|\bprofs\b|instituteur|institutrice|maitre|maitresse",
        "20001338": r"ministre de l.education|reforme|blanquer|\bndiaye|attal|education nationale|"
        r"programme scolaire|uniforme|rythmes scolaires|carte scolaire|suppression de postes",
    },
    "06": {
        "20000418": r"climat|rechauffement|giec|\bcop ?\d|gaz a effet de serre|\bco2\b|carbone|emissions|"
        r"neutralite carbone|fonte des glaces|glacier|banquise",
        "20000420": r"protection|protege|parc naturel|parc national|reserve|biodiversite|conservation|"
        r"espece menacee|reintrodu|ecologiste|militant",
        "20000424": r"pollution|pollue|polluant|dechets|plastique|pesticide|glyphosate|pollution de l.air|"
        r"particules fines|maree noire|nitrates|algues vertes|toxique|chlordecone|recyclage",
        "20000430": r"energie|renouvelable|eolien|eolienne|solaire|nucleaire|\beau\b|nappe|foret|"
        r"deforestation|ocean|riviere|ressource",
        "20000441": r"animal|animaux|espece|loup|ours\b|oiseau|abeille|insecte|requin|baleine|dauphin|"
        r"faune|flore|ecosysteme|invasive?",
    },
    "07": {
        "20000446": r"maladie|cancer|virus|epidemie|pandemie|covid|coronavirus|grippe|infection|"
        r"\bsida\b|\bvih\b|diabete|obesite|alzheimer|avc|cardiaque|rougeole|dengue|bronchiolite|"
        r"symptome|contamin|cas\b|variant|depression|autisme|sante mentale",
        "20000461": r"hopital|hopitaux|urgences|\bchu\b|clinique|ehpad|maternite|service de reanimation|"
        r"reanimation|lits?\b",
        "20000464": r"traitement|vaccin|vaccination|medicament|therapie|chirurgie|operation|greffe|"
        r"essai clinique|molecule|antibiotique|ordonnance|soigner|guerir",
        "20000480": r"sante publique|\bars\b|agence regionale de sante|ministre de la sante|"
        r"ministere de la sante|haute autorite de sante|\bhas\b|sante publique france|campagne|"
        r"prevention|depistage|tabac|alcool|confinement|pass sanitaire|masque",
        "20000483": r"securite sociale|assurance maladie|mutuelle|rembourse|cpam",
        "20000485": r"medecin|infirmier|infirmiere|soignant|generaliste|pharmacien|pharmacie|"
        r"internes?\b|chirurgien|desert medical|dentiste|sage.femme",
    },
    "08": {
        "20000498": r"\bprix\b|recompense|laureat|trophee|decore|legion d.honneur|medaille",
        "20000499": r"record|le plus grand|la plus grande|le plus vieux|doyen|doyenne|centenaire|"
        r"guinness",
        "20000500": r"chien|chat\b|chats\b|animal|animaux|oiseau|cheval|vache|serpent|ours\b|loup|singe|"
        r"zoo|requin|chiot|chaton|tortue",
        "20000501": r"mariage|marie\b|mariee|obseques|funerailles|enterrement|hommage|ceremonie|bapteme",
        "20000503": r"insolite|mesaventure|coince|par erreur|se trompe|bourde|oublie|perdu",
        "20000504": r"prince|princesse|\broi\b|reine|royal|royaute|monarchie|kate|meghan|harry|william|"
        r"charles|elizabeth|monaco|grimaldi|couronnement",
        "20000505": r"star|chanteu|acteur|actrice|animat(eur|rice)|people|celebrite|mannequin|"
        r"influenceu|tele.realite|en couple|rupture|enceinte|bebe|divorce|instagram",
    },
    "09": {
        "20000509": r"emploi|embauche|salarie|salaire|recrut|teletravail|smic|apprenti|apprentissage|"
        r"interim|contrat de travail|\bcdi\b|\bcdd\b",
        "20000521": r"code du travail|reforme du travail|ordonnances|accident du travail|"
        r"securite au travail|droit du travail",
        "20000524": r"greve|greviste|mobilisation|intersyndicale|negociation|preavis|conflit social|"
        r"revendication|manifestation|debrayage|convention collective",
        "20000531": r"retraite|retraites|pension|age de depart|64 ans|62 ans|regime special",
        "20000533": r"chomage|chomeur|demandeurs d.emploi|pole emploi|france travail|unedic|"
        r"licenciement|plan social",
        "20000536": r"syndicat|syndical|\bcgt\b|\bcfdt\b|\bfo\b|force ouvriere|\bsud\b|\bunsa\b|martinez|"
        r"berger|binet",
    },
    "10": {
        "20000538": r"loisir|vacances|tourisme|voyage|jeu\b|jeux|loto|euromillions|gastronomie|cuisine|"
        r"restaurant|\bvin\b|vins|chasse|peche|randonnee|camping|parc d.attraction|halloween|fete|"
        r"collection",
        "20000565": r"mode\b|tendance|maison|decoration|jardin|jardinage|tatouage|beaute|style|renovation|"
        r"\bbio\b|vegan|consommation",
        "20001339": r"bien.etre|sommeil|fitness|sport a la maison|yoga|meditation|stress|regime|"
        r"alimentation|activite physique",
    },
    "11": {
        "20000574": r"election|electoral|scrutin|vote|votes|voter|candidat|candidature|campagne|sondage|"
        r"presidentielle|legislatives|municipales|europeennes|regionales|primaire|referendum|"
        r"second tour|premier tour|bulletin|abstention|investiture|elu\b|elue\b|meeting|"
        r"intentions de vote",
        "20000593": r"gouvernement|ministre|premier ministre|conseil des ministres|remaniement|"
        r"assemblee nationale|senat|deputes?\b|senateurs?\b|parlement|elysee|matignon|"
        r"motion de censure|49.3|prefet|armee|militaire|defense|budget",
        "20000621": r"reforme|projet de loi|mesure|plan\b|politique de|immigration|securite|fiscal|"
        r"impot|laicite|pouvoir d.achat|assurance chomage|loi\b",
        "20000638": r"diplomat|ambassad|sommet|\bonu\b|\botan\b|\bg7\b|\bg20\b|union europeenne|bruxelles|"
        r"sanction|traite|accord|visite d.etat|relations|bilateral|rencontre avec|poutine|biden|trump|"
        r"xi jinping|macron recoit|entretien telephonique|refugie",
        "20000647": r"crise politique|demission|destitution|impeachment|dissolution|motion de censure|"
        r"chute du gouvernement|scandale|affaire",
        "20000649": r"\bparti\b|partis|\blr\b|\brn\b|\blfi\b|insoumis|rassemblement national|"
        r"les republicains|\bps\b|socialiste|ecologistes|\beelv\b|renaissance|\blrem\b|majorite|"
        r"opposition|militants|congres|president du parti|alliance|union de la gauche|nupes",
        "20000587": r"droits de l.homme|libertes?\b|liberte de la presse|censure|droits fondamentaux|"
        r"vie privee|droits civiques",
    },
    "12": {
        "20000657": r"islam|musulman|catholique|chretien|juif|judaisme|protestant|evangelique|bouddhis|"
        r"secte|scientologie|foi\b|croyant|laicite",
        "20000690": r"noel|paques|ramadan|\baid\b|toussaint|hanoucca|yom kippour|pentecote|careme|"
        r"pelerinage|fete religieuse",
        "20000697": r"eglise|mosquee|synagogue|cathedrale|basilique|temple|chapelle|abbaye|monastere",
        "20000703": r"\bpape\b|francois|vatican|eveque|archeveque|cardinal|pretre|imam|rabbin|cure\b|"
        r"dalai.lama|patriarche|cure\b",
        "20000702": r"laicite|loi de 1905|separatisme|voile|burqa|financement des cultes",
    },
    "13": {
        "20000710": r"genetique|\badn\b|biotech|cellule|genome|crispr|neurone|cerveau",
        "20000717": r"astronom|planete|etoile|galaxie|asteroide|comete|trou noir|physique|chimie|"
        r"biologie|fossile|dinosaure|paleontolog|geolog|espece|evolution",
        "20000735": r"chercheur|chercheurs|scientifique|etude|recherche|decouverte|publie|revue|"
        r"nature\b|science\b|\bcnrs\b|\binserm\b|espace|spatial|\bnasa\b|\besa\b|mars\b|lune|fusee|satellite",
        "20000756": r"technolog|numerique|internet|smartphone|iphone|apple|google|microsoft|facebook|meta\b|"
        r"application|appli\b|intelligence artificielle|\bia\b|chatgpt|robot|logiciel|cyber|piratage|"
        r"hacker|donnees|5g|fibre|ordinateur|jeu video|console|tesla|drone",
    },
    "14": {
        "20000771": r"migrant|immigr|sans.papiers|clandestin|demandeurs? d.asile|asile|refugie|frontiere|"
        r"expulsion|expulse|titre de sejour|regularisation|passeur|lampedusa|calais|manche",
        "20000775": r"discrimin|racisme|raciste|antisemit|islamophob|homophob|sexisme|sexiste|"
        r"inegalite|egalite|lgbt|transphob",
        "20000780": r"famille|familial|enfant|parents?\b|mariage|divorce|avortement|\bivg\b|\bpma\b|gpa|"
        r"adoption|natalite|naissance|couple",
        "20000788": r"handicap|personnes agees|seniors|jeunes\b|adolescent|femmes?\b|homosexu|transgenre|"
        r"genre|autochtone|minorite",
        "20000799": r"pauvrete|pauvre|precarite|precaire|sans.abri|\bsdf\b|mal.loges?|logement|"
        r"restos du coeur|aide alimentaire|banque alimentaire|exclusion",
        "20000802": r"harcelement|violences conjugales|violences faites aux femmes|prostitution|"
        r"toxicomanie|drogue|addiction|delinquance|esclavage|inceste|pedophil",
        "20000808": r"fin de vie|euthanasie|suicide assiste|suicide|ethique|bioethique|pornographie|laicite",
        "20000817": r"\bcaf\b|allocation|\brsa\b|minimum social|aide sociale|protection sociale|creche|"
        r"garde d.enfants|logement social|\bhlm\b|dependance|aidants|caritati|association",
    },
    "15": {
        "20000822": r"football|tennis|rugby|basket|handball|cyclisme|athletisme|natation|ski\b|boxe|judo|"
        r"formule 1|\bf1\b|golf|volley|escrime|equitation|voile\b",
        "20001104": r"dopage|dope|antidopage|\bama\b|controle positif|substance interdite",
        "20001108": r"match|finale|demi.finale|coupe du monde|championnat|ligue 1|ligue des champions|"
        r"tournoi|jeux olympiques|\bjo\b|olympique|grand prix|tour de france|roland.garros|euro\b|"
        r"victoire|battu|bat\b|score|etape|course|mondiaux|championnats",
        "20001148": r"transfert|mercato|signe|signature|recrue|pret\b|prolonge|prolongation de contrat|"
        r"indemnite|clause",
        "20001103": r"suspendu|suspension|sanction|sanctionne|exclu|carton rouge|commission de discipline|"
        r"huis clos|amende",
        "20001301": r"record|medaille|medaille d.or|titre|sacre|champion du monde|champion olympique|exploit",
        "20001323": r"entraineur|selectionneur|coach|limoge|nomme entraineur|entrainement|banc",
    },
    "16": {
        "20000053": r"attentat|terror|jihad|djihad|kamikaze|etat islamique|\bei\b|daech|al.qaida|"
        r"explosif|bombe|prise d.otages|radicalis|\bpnat\b",
        "20000056": r"guerre|combat|frappe|bombard|offensive|armee|militaire|soldat|troupes|front\b|"
        r"missile|drone|rebelles|insurge|milice|talibans|hamas|hezbollah|tirs|obus|raid",
        "20000065": r"manifestation|manifestant|emeute|heurts|protestation|contestation|insurrection|"
        r"revolte|revolution|gilets jaunes|couvre.feu|repression|soulevement",
        "20000070": r"coup d.etat|putsch|junte|putschiste",
        "20000073": r"cessez.le.feu|treve|negociations de paix|accord de paix|processus de paix|"
        r"pourparlers|mediation|plan de paix",
        "20000080": r"prisonniers? de guerre|echange de prisonniers|otages?\b",
    },
    "17": {
        "20001128": r"previsions|meteo france|temps\b|ce week.end|demain|cette semaine|ciel|"
        r"temperatures?\b|degres|soleil|nuages|eclaircies|averses",
        "20001129": r"orage|tempete|canicule|neige|grele|pluie|pluies|vent\b|vents|rafales|"
        r"inondation|crue|secheresse|chaleur|froid|gel\b|brouillard|episode cevenol|tornade",
        "20001130": r"record|le plus chaud|le plus froid|releve|moyenne|bilan climatique|mois le plus|"
        r"annee la plus|normale",
        "20001131": r"vigilance|alerte|orange|rouge|departements en vigilance|avertissement|bulletin",
    },
}

SECTION_SUB = {
    "/societe/people/": "20000505",
    "/societe/media/": "20000045",
    "/societe/culture/": "20000002",
    "/societe/high-tech/": "20000756",
    "//auto.orange.fr/news/": "20000209",
}
"""OrangeSum sections finer than their subject, and the level-2 topic they point to."""

_COMPILED = {
    subject: {sub: re.compile(pattern) for sub, pattern in subs.items()} for subject, subs in RULES.items()
}


def _hits(compiled: dict[str, re.Pattern[str]], text: str) -> dict[str, int]:
    return {sub: len({m.group(0) for m in rx.finditer(text)}) for sub, rx in compiled.items()}


def propose(subject: str, title: str, lead: str, section: str | None) -> tuple[str, float, str] | None:
    """(subtopic code, score, evidence) for one item of `subject` (2 digits), or None when not decisive."""
    compiled = _COMPILED.get(subject)
    if not compiled:
        return None
    scores = dict.fromkeys(compiled, 0.0)
    for sub, n in _hits(compiled, fold(title)).items():
        scores[sub] += 2.0 * n
    for sub, n in _hits(compiled, fold(lead)).items():
        scores[sub] += 1.0 * n
    evidence = "cues"
    prior = SECTION_SUB.get(section or "")
    if prior in scores:
        scores[prior] += SECTION_PRIOR
        evidence = "section+cues"
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < MIN_SCORE or score < MARGIN * second:
        return None
    return f"medtop:{best}", score, evidence


def build(shared: Path) -> list[tuple[str, str, str, str, float]]:
    """Proposals for every corpus item with a decisive cue score, in corpus order."""
    sections = {f"os-{a['id']}": a["section"] for a in orangesum(shared)}
    rows = []
    for item in corpus(shared):
        subject = item.codes[0][7:9]
        found = propose(subject, item.title, item.body[:LEAD_CHARS], sections.get(item.id))
        if found is not None:
            code, score, evidence = found
            rows.append((item.id, item.codes[0], code, evidence, score))
    return rows


def main() -> None:
    """Write the proposals and print their count per subtopic and split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args()
    rows = build(args.shared)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Level-2 subtopic proposals (weak labels for training; built by training/topics_l2_rules.py).\n"
            "# id<TAB>top-level code<TAB>level-2 code<TAB>evidence<TAB>cue score\n"
        )
        for item_id, top, code, evidence, score in rows:
            fh.write(f"{item_id}\t{top}\t{code}\t{evidence}\t{score:g}\n")
    counts = Counter(code for _, _, code, _, _ in rows)
    print(f"{len(rows)} proposals written to {OUT}")
    for code, n in sorted(counts.items()):
        print(f"  {code} {n}")


if __name__ == "__main__":
    main()
