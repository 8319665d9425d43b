"""The protobuf wire format, by hand, for the scripts that write test
profiles (fixtures, broken inputs, hostile inputs): they need nothing but
the Python standard library, and no .proto compiler.

Only what profile.proto uses: varints (int64 negatives as ten-byte two's
complement, as protobuf writes them), length-delimited fields, packed
repeated varints, and the string table.
"""


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_varint(buf, pos):
    """The varint at buf[pos:] and the position after it."""
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_bytes(num, data):
    return varint(num << 3 | 2) + varint(len(data)) + data


def field(num, value):
    """A varint field (int) or a length-delimited field (bytes)."""
    if isinstance(value, int):
        return field_varint(num, value)
    return field_bytes(num, value)


def packed(num, values):
    return field_bytes(num, b"".join(varint(v) for v in values))


class Strings:
    """A profile's string table: index 0 is "", each string is stored once."""

    def __init__(self):
        self.table, self.index = [""], {"": 0}

    def __call__(self, s):
        if s not in self.index:
            self.index[s] = len(self.table)
            self.table.append(s)
        return self.index[s]
