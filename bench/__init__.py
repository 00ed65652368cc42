"""`make bench`: brief training against the seed recipe and the classical baselines, measured side by side.

Not tests: these print a table, write bench/results.json and a figure in assets/.
`make bench-quick` runs a reduced version in under 3 minutes.
"""
