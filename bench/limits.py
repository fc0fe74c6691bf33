"""The goals of issue 19, in one place (bench/sections.py and bench/import_cost.py print them)."""

RSS_GOAL = 400 * 2**20
LINEAR_GOAL, INGEST_GOAL, CHANGE_GOAL, NO_CHANGE_GOAL = 10.5, 2.0, 1.5, 0.3
EXPORT_GOAL, PAGE_GOAL, SHOW_GOAL = 1.5, 2 * 2**20, 1.4
REGISTRY, REGISTRY_GOAL_S = 598_101, 15 * 60  # studies in the registry; 15 minutes
