"""Record how the toml package reads each case of readings.json.

Prefect before 3.6.14 read its TOML files with the toml package, version
0.10.2 (toml.load, on a file opened in text mode). For each case this
records its reading in the canonical form TestTOMLPkgReadings compares:
tables as objects, arrays as lists, strings "s:...", integers "i:N",
floats "f:<IEEE bits>" ("f:nan"), dates "d:", date-times "dt:" (with the
offset in seconds when there is one), times "t:"; or the failure:
{"error": "decode", "line": N} for the decoder's TomlDecodeError, or
{"error": "crash:<Python exception>"} for any other.

usage: python3 record.py readings.json   (needs toml 0.10.2 importable)
"""
import base64, datetime, io, json, struct, sys

import toml

assert toml.__version__ == "0.10.2", toml.__version__
sys.setrecursionlimit(10000)


def fbits(f):
    if f != f:
        return "f:nan"
    return "f:%d" % struct.unpack("<q", struct.pack("<d", f))[0]


def canon(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, dict):
        return {k: canon(x) for k, x in v.items()}
    if isinstance(v, list):
        return [canon(x) for x in v]
    if isinstance(v, str):
        return "s:" + v.encode("utf-8", "replace").decode("utf-8")
    if isinstance(v, int):
        if -(2**63) <= v < 2**63:
            return "i:%d" % v
        return fbits(float(v))  # Strata holds larger integers as floats
    if isinstance(v, float):
        return fbits(v)
    if isinstance(v, datetime.datetime):
        s = "dt:%04d-%02d-%02dT%02d:%02d:%02d.%06d" % (v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)
        if v.tzinfo is not None:
            tz = v.tzinfo
            s += "%+d" % (tz._sign * (tz._hours * 3600 + tz._minutes * 60))
        return s
    if isinstance(v, datetime.date):
        return "d:%04d-%02d-%02d" % (v.year, v.month, v.day)
    if isinstance(v, datetime.time):
        return "t:%02d:%02d:%02d.%06d" % (v.hour, v.minute, v.second, v.microsecond)
    raise TypeError(type(v))


def read(data):
    try:
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    except UnicodeDecodeError:
        return {"error": "crash:UnicodeDecodeError"}
    try:
        return canon(toml.loads(text))
    except toml.TomlDecodeError as e:
        return {"error": "decode", "line": e.lineno}
    except Exception as e:
        return {"error": "crash:" + type(e).__name__}


path = sys.argv[1]
cases = json.load(open(path, encoding="utf-8"))
for c in cases:
    c["want"] = read(c["toml"].encode("utf-8"))
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write("\n")
