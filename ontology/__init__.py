"""The gonghui-kg ontology files (gonghui.ttl, shapes.ttl, context.jsonld).

Installed as the package data ``kg.ontology`` so that a wheel carries them.
"""
