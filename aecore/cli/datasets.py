"""`aecore datasets [--json]`: which datasets this machine has, and why not where not."""

import json

from aecore import data


def run(args) -> int:
    rows = []
    for spec in data.DATASETS:
        reason = data.why_unavailable(spec.name)
        rows.append({"name": spec.name, "available": reason is None, "reason": reason,
                     "image_shape": list(spec.image_shape), "labels": spec.has_labels,
                     "description": spec.description})
    if args.json:
        print(json.dumps(rows))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        status = "available" if r["available"] else "unavailable"
        shape = "x".join(map(str, r["image_shape"]))
        print(f"{r['name']:<{width}}  {status:<11}  {shape:<8}  {r['description']}")
        if r["reason"]:
            print(f"{'':<{width}}  -> {r['reason']}")
    return 0


def add_to(commands) -> None:
    parser = commands.add_parser("datasets", help="list datasets and whether they are available here")
    parser.add_argument("--json", action="store_true", help="one JSON list on stdout, for scripts")
    parser.set_defaults(run=run)
