"""Images built byte by byte to attack the upload checks (tests and bench/image_bench.py).

Pillow writes only well-formed files; an attacker does not. These GIFs have a tiny
logical screen and frames that are not what the screen says, or very many frames.
"""

import struct

LZW_MIN_CODE_SIZE = 2  # the smallest GIF allows, for a palette of four colours


def _pack(codes):
    """(code, width) pairs packed least significant bit first, as GIF wants them."""
    out, acc, bits = bytearray(), 0, 0
    for code, width in codes:
        acc |= code << bits
        bits += width
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


def lzw_constant(pixels):
    """LZW data of ``pixels`` pixels all of colour 0, a few kilobytes even for millions.

    With one colour, each code the encoder writes covers one pixel more than the last,
    so a whole dictionary (4,096 codes) covers about eight million pixels.
    """
    clear = 1 << LZW_MIN_CODE_SIZE
    end = clear + 1
    codes = []
    remaining = pixels
    while remaining:
        codes.append((clear, LZW_MIN_CODE_SIZE + 1))
        width, next_code, longest = LZW_MIN_CODE_SIZE + 1, end + 1, 1
        first_run = None  # code of the run of two pixels; run n has code first_run + n - 2
        while remaining:
            run = min(longest, remaining)
            code = 0 if run == 1 else first_run + run - 2
            codes.append((code, width))
            remaining -= run
            if not remaining:
                break
            if first_run is None:
                first_run = next_code
            next_code += 1
            longest += 1
            if next_code > 1 << width and width < 12:
                width += 1
            if next_code == 4095:
                break  # the dictionary is full: start a new one with a clear code
    codes.append((end, width if codes[-1][0] != clear else LZW_MIN_CODE_SIZE + 1))
    return _pack(codes)


def _sub_blocks(data):
    blocks = b"".join(
        bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)
    )
    return blocks + b"\x00"


def gif_frame(width, height, left=0, top=0, delay=10):
    """One frame: graphic control extension, image descriptor and its (constant) pixels."""
    control = b"\x21\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00"
    descriptor = b"," + struct.pack("<HHHH", left, top, width, height) + b"\x00"
    data = bytes([LZW_MIN_CODE_SIZE]) + _sub_blocks(lzw_constant(width * height))
    return control + descriptor + data


def gif(frames, screen=(1, 1)):
    """A GIF89a with a black-and-white palette, looping, whose screen is ``screen``."""
    header = b"GIF89a" + struct.pack("<HH", *screen) + b"\xf1\x00\x00"
    palette = b"\x00\x00\x00\xff\xff\xff" + b"\x00" * 6
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return header + palette + loop + b"".join(frames) + b";"


def gif_with_hidden_giant_frame(size=(9000, 9000)):
    """The attack of issue 21 #1: a 1x1 screen and frame, then a frame of ``size``."""
    return gif([gif_frame(1, 1), gif_frame(*size)])


def gif_with_many_frames(count=100_000):
    """A GIF of ``count`` frames of one pixel each."""
    one = gif_frame(1, 1)
    return gif([one] * count)
