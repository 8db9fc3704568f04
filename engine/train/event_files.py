"""TensorBoard event files written with the standard library.

An event file is a sequence of TFRecords, each an ``Event`` protocol buffer:
the first says which file format this is ("brain.Event:2"), each later one
holds scalars (a ``Summary`` of ``simple_value``s, which TensorBoard's scalar
dashboard reads) with their step and wall time. Both are encoded here by
hand, so no TensorFlow (or protobuf) is needed: training logs on every Keras
backend (TensorFlow, PyTorch, JAX), and the tensorboard package is needed
only to view the logs.

Record framing: the data's length (uint64, little-endian), the masked CRC-32C
of those 8 bytes (uint32), the data, the masked CRC-32C of the data.
"""

import itertools
import os
import socket
import struct
import time

_FILE_VERSION = b"brain.Event:2"
_files_opened = itertools.count()  # the file name's counter, as TensorFlow's


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """CRC-32C (Castagnoli) of ``data`` (bytes)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked_crc(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    """``data`` framed as one TFRecord."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", _masked_crc(length))
            + data + struct.pack("<I", _masked_crc(data)))


# Protocol buffer wire format: a field's key is (number << 3) | wire type
# (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
def _varint(n):
    n &= 0xFFFFFFFFFFFFFFFF  # a negative int64 as its two's complement
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _bytes_field(number, data):
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _float32(value):
    try:
        return struct.pack("<f", value)
    except OverflowError:  # beyond float32's range: infinity, as TensorFlow casts it
        return struct.pack("<f", float("inf") if value > 0 else float("-inf"))


def event(step, file_version=None, scalars=()):
    """An ``Event`` message: wall time, step, and the file version or the
    ``(tag, value)`` scalars as a ``Summary``."""
    out = (_varint(1 << 3 | 1) + struct.pack("<d", time.time())
           + _varint(2 << 3) + _varint(step))
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if scalars:
        values = b"".join(
            _bytes_field(1, _bytes_field(1, tag.encode("utf-8"))
                         + _varint(2 << 3 | 5) + _float32(float(value)))
            for tag, value in scalars)
        out += _bytes_field(5, values)
    return out


class EventFile:
    """One TensorBoard run's event file in ``folder`` (made if missing), named
    as TensorFlow names its own."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        name = "events.out.tfevents.{}.{}.{}.{}.v2".format(
            int(time.time()), socket.gethostname(), os.getpid(), next(_files_opened))
        self.path = os.path.join(folder, name)
        self.file = open(self.path, "wb")
        self.file.write(record(event(0, file_version=_FILE_VERSION)))

    def scalar(self, tag, value, step):
        self.file.write(record(event(step, scalars=[(tag, value)])))

    def flush(self):
        self.file.flush()

    def close(self):
        if not self.file.closed:
            self.file.close()
