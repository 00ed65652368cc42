"""`aecore restore [--model model.keras] --task denoise in.png out.png`: restore one image file.

Without --model, the task's pretrained model restores it; for a photo, on a task whose model is for
small gray images, its photo model does (aecore/photo_model.py), unless --no-photo-model. A model
given with --model is always the one used.
"""

import json

from aecore.cli.command import load_for


def run(args) -> int:
    from aecore import photo_model, pretrained
    from aecore.images import load_image, save_image, to_float_image
    from aecore.restore import restore

    if args.model:
        model, setup, _ = load_for(args.model, args.task)
    elif args.task:
        model, setup, _ = pretrained.load(args.task)
    else:
        raise ValueError("say which model restores the image: --model model.keras, or --task for its pretrained one")
    image = load_image(args.input)
    model, setup, chosen = photo_model.choose(setup.task, model, setup, to_float_image(image),
                                              use_photo_model=not (args.no_photo_model or args.model), own=bool(args.model))
    result = restore(model, setup, image, corrupt=not args.no_corrupt, seed=args.seed)
    save_image(args.output, result.restored)
    notes = [note for note in (chosen, result.note) if note]
    if args.json:
        print(json.dumps({"output": str(args.output), "shape": list(result.restored.shape), "dataset": setup.dataset,
                          "note": "; ".join(notes), "scores": result.scores}))
    else:
        print(f"wrote {args.output} ({result.restored.shape[1]}x{result.restored.shape[0]})")
        for note in notes:
            print(f"  ({note})")
        for method, score in result.scores.items():
            print(f"  {method:<14} " + "   ".join(f"{name} {value:.3f}" for name, value in score.items()))
    return 0


def add_to(commands) -> None:
    parser = commands.add_parser("restore", help="restore one image file with a saved (or the pretrained) model")
    parser.add_argument("--task", help="the task; without --model, its pretrained model is used")
    parser.add_argument("--model", help="a saved model (.keras); default: the task's pretrained model")
    parser.add_argument("--no-corrupt", action="store_true", help="the image is already damaged")
    parser.add_argument("--no-photo-model", action="store_true",
                        help="keep the given model for a photo, even when the task has a model for photographs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.set_defaults(run=run)
