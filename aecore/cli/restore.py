"""`aecore restore --model model.keras in.png out.png`: restore one image file with a saved model."""

import json

from aecore.cli.command import load_for


def run(args) -> int:
    from aecore.images import load_image, save_image
    from aecore.restore import restore

    model, setup, _ = load_for(args.model, args.task)
    result = restore(model, setup, load_image(args.input), corrupt=not args.no_corrupt, seed=args.seed)
    save_image(args.output, result.restored)
    if args.json:
        print(json.dumps({"output": str(args.output), "shape": list(result.restored.shape), "scores": result.scores}))
    else:
        print(f"wrote {args.output} ({result.restored.shape[1]}x{result.restored.shape[0]})")
        for method, score in result.scores.items():
            print(f"  {method:<14} " + "   ".join(f"{name} {value:.3f}" for name, value in score.items()))
    return 0


def add_to(commands) -> None:
    parser = commands.add_parser("restore", help="restore one image file with a saved model")
    parser.add_argument("--task")
    parser.add_argument("--model", required=True)
    parser.add_argument("--no-corrupt", action="store_true", help="the image is already damaged")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.set_defaults(run=run)
