"""The gonghui-kg vocabulary as a closed rdflib namespace.

``GH.TradeUnoin`` raises ``AttributeError``: a misspelt term fails at once.
The terms listed here and the terms defined in ``ontology/gonghui.ttl`` are
kept equal by a test.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["BASE", "GH", "ID", "OA", "ORG", "PREFIXES", "PROV", "SCHEMA"]

#: Where entity, article and evidence IRIs live.
BASE = "https://w3id.org/gonghui-kg/"
ID = Namespace(BASE + "id/")

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


class GH(DefinedNamespace):
    """gonghui-kg ontology terms (https://w3id.org/gonghui-kg/ontology#)."""

    _fail = True
    _NS = Namespace("https://w3id.org/gonghui-kg/ontology#")

    # contract classes (ONTOLOGY.md)
    TradeUnion: URIRef
    Enterprise: URIRef
    GovernmentBody: URIRef
    OtherOrganization: URIRef
    Person: URIRef
    Program: URIRef
    Place: URIRef
    WorkerGroup: URIRef
    Award: URIRef
    Article: URIRef
    Post: URIRef
    Statistic: URIRef
    # added classes
    Organization: URIRef  # superclass of the four organisation classes
    Sentence: URIRef  # an evidence sentence of an article
    Evidence: URIRef  # a named graph of statements one sentence supports

    # contract relations
    locatedIn: URIRef
    partOf: URIRef
    subOrganizationOf: URIRef
    memberOf: URIRef
    organizes: URIRef
    participatesIn: URIRef
    benefits: URIRef
    employedBy: URIRef
    establishedUnion: URIRef
    receivedAward: URIRef
    # posts
    holds: URIRef
    postIn: URIRef
    role: URIRef
    asOf: URIRef  # the date a post or figure was observed (its article's date)
    # statistics
    about: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    approximate: URIRef
    period: URIRef
    surface: URIRef  # the figure as written in the text
    # entities
    divisionCode: URIRef  # GB/T 2260 administrative division code of a place
    mentionedIn: URIRef  # entity → Article
    confidence: URIRef
    possibleSameAs: URIRef  # same name, context not enough to merge
    # articles
    headline: URIRef
    kicker: URIRef
    subheadline: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    position: URIRef  # 0-based position of the article in its document
    date: URIRef
    datelinePlace: URIRef
    byline: URIRef  # Article → Person (reporters and correspondents)
    continuation: URIRef
    continuedFromPage: URIRef
    url: URIRef
    outlet: URIRef  # Article → the newspaper (gh:OtherOrganization)
    # provenance
    inArticle: URIRef  # Sentence → Article
    sentenceIndex: URIRef
    text: URIRef  # the sentence as it stands in the source
    evidence: URIRef  # Sentence → Evidence graphs (inverse of prov:wasDerivedFrom)
    rule: URIRef  # the extraction rule that produced a statement
    repair: URIRef  # a Sentence's OCR repair, as "before→after"


#: Prefixes declared in every query and serialisation.
PREFIXES: dict[str, str] = {
    "gh": str(GH._NS),
    "id": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "oa": str(OA),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
