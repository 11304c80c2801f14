"""Building: the pipeline from inputs to a published build, assembly into the store,
distributed extraction and scoring builds against gold annotations."""
