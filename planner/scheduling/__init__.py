"""From a gap to a plan: the roadmap as a scheduling project, solved and explained.

The generic engine (:mod:`planner.engine`) knows activities and resources; this package
speaks the domain: capabilities, roles, sprints and maturity levels.
"""
