"""RDF: the vocabulary, the mapping of extracted facts to triples, the ontology, validation and
the RDF exports."""
