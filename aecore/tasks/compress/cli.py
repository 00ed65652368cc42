"""`aecore compress` and `aecore decompress`: the codec from a terminal.

    aecore compress   --model m.keras in.png out.aec     # prints bytes, bpp, PSNR (and JPEG/WebP at those bytes)
    aecore decompress --model m.keras out.aec back.png   # prints the header and bpp
"""

import json
from pathlib import Path

from aecore.cli.command import load_for, register


def run_compress(args) -> int:
    from aecore.images import load_image
    from aecore.tasks.compress import codec, scoring

    model, _, _ = load_for(args.model, "compress")
    image = load_image(args.input)
    data = codec.encode(model, image)
    Path(args.output).write_bytes(data)
    report = scoring.compress_report(model, image, data, compare=not args.no_compare)
    if args.json:
        print(json.dumps({"output": str(args.output), **report}))
        return 0
    print(f"wrote {args.output}: {report['bytes']} bytes ({report['header_bytes']} of them header), "
          f"{report['bpp']:.3f} bpp, PSNR {report['scores']['autoencoder']['psnr']:.2f} dB")
    for kind, found in report["scores"].items():
        if kind != "autoencoder":
            note = "" if found["fits"] else " (cannot get this small: its smallest)"
            print(f"  {kind:<13} {found['bytes']:>6} bytes  {found['bpp']:.3f} bpp  PSNR {found['psnr']:.2f} dB"
                  f"  quality {found['quality']}{note}")
    return 0


def run_decompress(args) -> int:
    from aecore.images import save_image
    from aecore.tasks.compress import codec

    model, _, _ = load_for(args.model, "compress")
    data = Path(args.input).read_bytes()
    image = codec.decode(model, data)
    save_image(args.output, image)
    header, _ = codec.Header.parse(data)
    summary = {"output": str(args.output), "bytes": len(data), "bpp": round(codec.bits_per_pixel(data, image.shape[:2]), 4),
               "image_shape": list(image.shape), "latent_shape": list(header.latent_shape), "bits": header.bits}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"wrote {args.output} ({header.width}x{header.height}) from {len(data)} bytes, {summary['bpp']:.3f} bpp; "
              f"code {'x'.join(map(str, header.latent_shape))} at {header.bits} bits")
    return 0


@register
def add_to(commands) -> None:
    parser = commands.add_parser("compress", help="compress an image into a small file with a codec model")
    parser.add_argument("--model", required=True, help="a model trained for the compress task (.keras)")
    parser.add_argument("--no-compare", action="store_true", help="skip JPEG and WebP at the same bytes")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.set_defaults(run=run_compress)

    parser = commands.add_parser("decompress", help="decode a file made by `aecore compress`")
    parser.add_argument("--model", required=True, help="the same model that compressed it")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.set_defaults(run=run_decompress)
