"""Proposals from reps on their PACI (a new action, a change to one of their actions or to one of
their objectives' target values) and the manager's decision on each: the plan built with the
reps, not imposed on them."""
