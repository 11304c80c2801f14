"""Reading: documents in (files, folders, standard input, JSONL, HTML pages), normalisation with
offset maps, articles, sentences and words."""
