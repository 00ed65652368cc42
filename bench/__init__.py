"""`make bench`: brief training against the seed recipe and the classical baselines, measured side by side.

Not tests: these print a table, write bench/results.json and a figure in assets/.
`make bench-quick` runs a reduced version in under 3 minutes.
"""

# A quick run (make bench-quick, and the test that runs it) trains this many seconds a run: it checks that every
# section runs and reports, not what the full run measures.
QUICK_SECONDS = 2
