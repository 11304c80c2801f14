"""Networks: the entity graph projected from a build, its analysis, the viewer, pictures and
the network exports."""
