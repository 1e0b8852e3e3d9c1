"""An independent evaluation set for the personal assistant's questions over a user's own data.

Written without reading the assistant's or the query engine's code: the generator (:mod:`qa_eval.users`), the
questions and their gold answers (:mod:`qa_eval.questions`, :mod:`qa_eval.fresh`, computed by
:mod:`qa_eval.gold`) and the scoring protocol (:mod:`qa_eval.score`) are fixed before any result exists.
Nothing generated is committed: every run rebuilds the same set from the seed.
"""
