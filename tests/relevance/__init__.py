"""Relevance suite: hand-judged queries over the corpus (judgments.json), their evaluation
(evaluate.py) and the pytest tests that keep them passing (test_relevance.py)."""
