"""The same search on a Typesense cluster (`--engine typesense://...`).

`documents` turns an article's documents (schema.py) into Typesense's, `sync` brings a
collection up to date with a corpus, `translate` turns a parsed query into Typesense's search
parameters, and `search` answers with the same results as the Whoosh index, with `retry`
(relaxing, close spellings) and `lexicon` (the collection's words, for suggestions and the
retry). `client` holds the connection and turns Typesense's failures into this package's
errors.
"""
