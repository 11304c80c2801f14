"""SPARQL: queries over a build, the read-only endpoint and pushing a build to a triple store."""
