"""Minimal hand-written safetensors writer and reader (no dependency on the `safetensors` package).

Format (https://github.com/huggingface/safetensors):
  8 bytes   little-endian unsigned 64-bit header length N
  N bytes   UTF-8 JSON: {"name": {"dtype": "F64"|"F32", "shape": [...], "data_offsets": [begin, end]}, ...,
                         "__metadata__": {"key": "value", ...}}   (string -> string only)
            offsets are relative to the start of the data section (byte 8 + N); the header is padded with
            spaces so that 8 + N is a multiple of 8
  data      the tensors' raw little-endian, row-major (C order) bytes, laid out one after another in the
            order they were given, with no gaps
"""
import json
import struct

import numpy as np

_DTYPES = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "I64": np.dtype("<i8"), "I32": np.dtype("<i4")}
_NAMES = {np.dtype(v).newbyteorder("="): k for k, v in _DTYPES.items()}


def _dtype_name(a):
    key = a.dtype.newbyteorder("=")
    if key not in _NAMES:
        raise ValueError(f"unsupported dtype {a.dtype}")
    return _NAMES[key]


def save(path, tensors, metadata=None):
    """tensors: list of (name, numpy array) in the order they are laid out; metadata: dict str -> str."""
    header, blobs, offset = {}, [], 0
    for name, a in tensors:
        a = np.asarray(a)
        name_dt = _dtype_name(a)
        raw = np.ascontiguousarray(a, dtype=_DTYPES[name_dt]).tobytes(order="C")
        header[name] = {"dtype": name_dt, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-(8 + len(text))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load(path):
    """Returns (dict name -> numpy array, metadata dict). Checks the layout is contiguous and gap-free."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = memoryview(buf)[8 + n:]
    metadata = header.pop("__metadata__", {})
    out, spans = {}, []
    for name, info in header.items():
        dt = _DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"], dtype=np.int64))
        if end - begin != count * dt.itemsize:
            raise ValueError(f"{name}: byte span {end - begin} != {count} x {dt.itemsize}")
        out[name] = np.frombuffer(data[begin:end], dtype=dt).reshape(info["shape"]).copy()
        spans.append((begin, end))
    spans.sort()
    pos = 0
    for begin, end in spans:
        if begin != pos:
            raise ValueError("tensor data not contiguous")
        pos = end
    if pos != len(data):
        raise ValueError("trailing bytes after the last tensor")
    return out, metadata
