"""An autoencoder as a real image codec: an image becomes a small byte string, and back.

    data = encode(model, image)      # bytes: a 7-byte header, then the range-coded symbols
    back = decode(model, data)       # (H, W, C) float32 in [0, 1], the size the image had

The model (a `codec_conv` or `codec_dense` from model.py here) is shared side information:
sender and receiver both have it, its decoder weights and its probability table, and it is never
counted in the file. Everything else the receiver needs is in the file, whose length is what every
rate in this project counts (bits per pixel = 8 x bytes / (H x W)).

The file, byte by byte (numbers below 128 take one byte; "varint" is LEB128, 7 bits a byte):

    0       0xAE                                  magic: "an aecore codec file"
    1       version << 4 | rgb << 3 | (bits - 1)  version 1; rgb 1 for colour, 0 for gray; 1..8 bits
    2..     varint height, varint width           the image's size in pixels
    ..      varint h, varint w, varint c          the latent's shape (a dense code is 1 x 1 x latent_dim)
    ..      the range coder's 32-bit words        the symbols, channel after channel (entropy.py)
"""

from dataclasses import dataclass

import cv2
import numpy as np

from aecore.images import crop, match_channels, pad_to_multiple, to_float_image
from aecore.models import infer
from aecore.tasks.compress import entropy
from aecore.tasks.compress.model import quantizer, split_at_code

MAGIC = 0xAE
VERSION = 1


@dataclass(frozen=True)
class Header:
    height: int  # the image's size in pixels
    width: int
    channels: int  # 1 (gray) or 3 (RGB)
    bits: int  # bits per latent value: symbols are 0 .. 2^bits - 1
    latent_shape: tuple  # (h, w, c)

    def to_bytes(self) -> bytes:
        flags = VERSION << 4 | (self.channels == 3) << 3 | (self.bits - 1)
        return bytes([MAGIC, flags]) + b"".join(varint(n) for n in (self.height, self.width, *self.latent_shape))

    @classmethod
    def parse(cls, data: bytes) -> tuple["Header", int]:
        """(header, where the coded symbols start), or a ValueError saying what is wrong with the file."""
        data = bytes(data)
        if len(data) < 2 or data[0] != MAGIC:
            raise ValueError("this is not an aecore compressed file (it does not start with the byte 0xAE)")
        if data[1] >> 4 != VERSION:
            raise ValueError(f"this file is format version {data[1] >> 4}; this aecore reads version {VERSION}")
        numbers, offset = [], 2
        for _ in range(5):
            number, offset = read_varint(data, offset)
            numbers.append(number)
        height, width, *latent = numbers
        if min(numbers) < 1:
            raise ValueError(f"the file's header is damaged (a size of 0 in {numbers})")
        return cls(height, width, 3 if data[1] >> 3 & 1 else 1, (data[1] & 7) + 1, tuple(latent)), offset


def varint(number: int) -> bytes:
    """LEB128: 7 bits a byte, low bits first, the top bit set on every byte but the last."""
    out = bytearray()
    while True:
        out.append(number & 0x7F | (0x80 if number > 0x7F else 0))
        number >>= 7
        if not number:
            return bytes(out)


def read_varint(data: bytes, offset: int) -> tuple[int, int]:
    number, shift = 0, 0
    while True:
        if offset >= len(data) or shift > 28:
            raise ValueError("the file ends inside its header (a truncated or damaged file)")
        byte = data[offset]
        number |= (byte & 0x7F) << shift
        offset, shift = offset + 1, shift + 7
        if not byte & 0x80:
            return number, offset


def levels_of(model) -> int:
    return int(round(float(quantizer(model).levels.numpy())))


def probabilities(model) -> np.ndarray:
    """(C, L): the model's per-channel symbol probabilities (counted on its training images)."""
    return entropy.table(quantizer(model).frequencies.numpy(), levels_of(model))


def code_stride(model) -> int:
    """Pixels per code cell along a side: 4 for a codec_conv of depth 2 (the product of its encoder's strides)."""
    return int(np.prod([layer.strides[0] for layer in split_at_code(model)[0].layers if hasattr(layer, "strides")]))


def model_input(model, image: np.ndarray) -> tuple[np.ndarray, tuple]:
    """(1, H', W', C) what the encoder reads, and the (H, W) to give back: padded to a multiple of the code's
    stride (fully convolutional) or resized to the training size (dense)."""
    height, width = model.input_shape[1:3]
    if height is not None:  # a dense codec knows one size only
        small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA).reshape(height, width, -1)
        return small[None], image.shape[:2]
    padded, size = pad_to_multiple(image[None], code_stride(model))
    return padded, size


def encode(model, image) -> bytes:
    """Any image (uint8, float, gray, RGB, RGBA) -> the compressed file's bytes."""
    channels = model.input_shape[-1]
    picture = match_channels(to_float_image(image), channels)  # (H, W, C) float32 in [0, 1]
    batch, (height, width) = model_input(model, picture)
    code = infer(split_at_code(model)[0], batch)[0]  # (h, w, c) or (latent_dim,), values k / (L-1)
    return write_file(model, code, (height, width, channels))


def encode_batch(model, images: np.ndarray) -> list[bytes]:
    """(B, H, W, C) images of one size -> one file each, as `encode` writes them, through the encoder at once."""
    batch, (height, width) = model_input(model, images[0])
    if batch.shape[1:3] != images.shape[1:3]:  # padded or resized: one at a time, the general way
        return [encode(model, image) for image in images]
    code = infer(split_at_code(model)[0], images)  # (B, h, w, c) or (B, latent_dim)
    table = probabilities(model)
    return [write_file(model, one, (height, width, images.shape[-1]), table) for one in code]


def write_file(model, code: np.ndarray, shape: tuple, table: np.ndarray | None = None) -> bytes:
    """One image's quantized code, (h, w, c) or (latent_dim,) with values k / (L-1) -> its file: the header
    (the image's `shape` (H, W, C), the bits, the code's shape), then the range-coded symbols."""
    levels = levels_of(model)
    symbols = symbols_of(code, levels).reshape(_as_3d(code.shape))  # (h, w, c)
    header = Header(*shape, int(np.log2(levels)), symbols.shape)
    return header.to_bytes() + entropy.encode_symbols(symbols, probabilities(model) if table is None else table)


def symbols_of(code: np.ndarray, levels: int) -> np.ndarray:
    """The quantized code (values k / (L-1), as the Quantizer layer gives them) -> its symbols k, 0 .. L-1."""
    return np.rint(np.asarray(code) * (levels - 1)).astype(np.int32)


def _as_3d(shape: tuple) -> tuple:
    return tuple(shape) if len(shape) == 3 else (1, 1, int(shape[-1]))


@dataclass(frozen=True)
class Unpacked:
    header: Header
    header_bytes: int  # of the file's length, how much is header
    symbols: np.ndarray  # (h, w, c) int32


def unpack(model, data: bytes) -> Unpacked:
    """The header and the decoded symbols, checked against the model that is to decode them."""
    header, offset = Header.parse(data)
    levels = levels_of(model)
    expected = tuple(split_at_code(model)[0].output.shape[1:])
    if 2 ** header.bits != levels:
        raise ValueError(f"this file stores {header.bits}-bit symbols; the model uses {int(np.log2(levels))} bits. "
                         "Decode it with the model that made it.")
    if header.channels != model.input_shape[-1]:
        raise ValueError(f"this file holds a {'colour' if header.channels == 3 else 'gray'} image; the model "
                         f"decodes {model.input_shape[-1]}-channel images")
    if header.latent_shape[-1] != expected[-1] or (len(expected) == 1 and header.latent_shape[:2] != (1, 1)):
        raise ValueError(f"this file's code is {'x'.join(map(str, header.latent_shape))}; the model's code has "
                         f"{expected[-1]} channels. Decode it with the model that made it.")
    if len(expected) == 3:
        stride = code_stride(model)
        multiple = [-(-side // stride) for side in (header.height, header.width)]
        if list(header.latent_shape[:2]) != multiple:
            raise ValueError(f"the header is damaged: a {header.height}x{header.width} image has a "
                             f"{multiple[0]}x{multiple[1]} code, not {header.latent_shape[0]}x{header.latent_shape[1]}")
    payload = bytes(data[offset:])
    if len(payload) % 4:
        raise ValueError(f"the coded part must be whole 32-bit words; it has {len(payload)} bytes (a truncated file?)")
    try:
        symbols = entropy.decode_symbols(payload, header.latent_shape, probabilities(model))
    except Exception as error:  # constriction's own errors: the coded part is not what this model wrote
        raise ValueError(f"the coded data is damaged or was not made by this model ({error})") from None
    return Unpacked(header, offset, symbols)


def decode_symbols(model, symbols: np.ndarray, size: tuple) -> np.ndarray:
    """(h, w, c) symbols -> the (H, W, C) image of `size` = (H, W): the decoder on the quantized code."""
    levels = levels_of(model)
    _, decoder = split_at_code(model)
    code = symbols.astype(np.float32) / np.float32(levels - 1)  # (h, w, c): the very values the Quantizer hands on
    batch = code.reshape(1, -1) if len(decoder.input_shape) == 2 else code[None]  # (1, latent_dim) or (1, h, w, c)
    image = np.clip(infer(decoder, batch), 0.0, 1.0)[0]  # (H', W', C)
    height, width = size
    if model.input_shape[1] is not None and image.shape[:2] != (height, width):  # dense: back to the image's size
        return np.clip(cv2.resize(image, (width, height), interpolation=cv2.INTER_CUBIC).reshape(height, width, -1),
                       0.0, 1.0)
    return crop(image[None], (height, width))[0]


def decode(model, data: bytes) -> np.ndarray:
    """A compressed file's bytes -> the (H, W, C) float32 image in [0, 1]."""
    unpacked = unpack(model, data)
    return decode_symbols(model, unpacked.symbols, (unpacked.header.height, unpacked.header.width))


def bits_per_pixel(data: bytes, size: tuple) -> float:
    """8 x the file's length / pixels: the file is everything counted (the model is shared)."""
    return 8.0 * len(data) / (size[0] * size[1])
