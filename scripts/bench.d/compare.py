#!/usr/bin/env python3
"""Helpers for scripts/bench-manim (c2v against Manim Community Edition).

  compare.py set-video LESSON W H FPS [QUALITY]   rewrite the lesson's `video:` size/fps (and quality) in place
  compare.py x264 VIDEO                           "crf=23.0 preset~medium keyint=250 ..." from the x264 SEI
  compare.py x264-arg VIDEO crf|preset            one value of the above (for ffmpeg's -crf / -preset)
  compare.py render-sections REPORT               section ids of the render steps, one a line
  compare.py table FILE                           print the result table from tab-separated rows

set-video knows the two shapes a c2v lesson's `video:` takes (docs/lesson-format.md), a flow
mapping on one line,  `video: {size: 1920x1080, fps: 60, quality: high}`,  or a block,
`video:` then indented `size: ...` / `fps: ...` lines; it replaces or adds the keys and leaves
everything else byte for byte. A lesson without `video:` gets one in front of `sections:`.
"""
import json
import re
import sys

# x264's presets differ in subme, and only the preset sets it (tunes leave it alone), so the
# SEI's subme names the preset; ref and rc_lookahead are shown beside it for a second look.
SUBME_PRESET = {0: "ultrafast", 1: "superfast", 2: "veryfast", 4: "faster", 6: "fast",
                7: "medium", 8: "slow", 9: "slower", 10: "veryslow"}


def set_video(path, width, height, fps, quality=None):
    with open(path) as f:
        lines = f.read().split("\n")
    wanted = {"size": f"{width}x{height}", "fps": str(fps)}
    if quality:
        wanted["quality"] = quality
    for i, line in enumerate(lines):
        m = re.match(r"^video:\s*\{(.*)\}\s*(#.*)?$", line)
        if m:
            items = [p.strip() for p in m.group(1).split(",") if p.strip()]
            keys = [p.split(":", 1)[0].strip() for p in items]
            for key, value in wanted.items():
                if key in keys:
                    items[keys.index(key)] = f"{key}: {value}"
                else:
                    items.append(f"{key}: {value}")
            lines[i] = "video: {" + ", ".join(items) + "}"
            break
        if re.match(r"^video:\s*(#.*)?$", line):
            j, indent, seen = i + 1, None, set()
            while j < len(lines):
                sub = re.match(r"^(\s+)([A-Za-z_]+):(.*)$", lines[j])
                if not sub:
                    if lines[j].strip() == "" or lines[j].lstrip().startswith("#"):
                        j += 1
                        continue
                    break
                indent = sub.group(1)
                if sub.group(2) in wanted:
                    lines[j] = f"{indent}{sub.group(2)}: {wanted[sub.group(2)]}"
                    seen.add(sub.group(2))
                j += 1
            indent = indent or "  "
            lines[i + 1:i + 1] = [f"{indent}{k}: {v}" for k, v in wanted.items() if k not in seen]
            break
    else:
        flow = "video: {" + ", ".join(f"{k}: {v}" for k, v in wanted.items()) + "}"
        at = next((i for i, line in enumerate(lines) if re.match(r"^sections:", line)), len(lines))
        lines.insert(at, flow)
    with open(path, "w") as f:
        f.write("\n".join(lines))


def x264_options(path):
    """The options string libx264 writes into the stream's first SEI, as a dict."""
    with open(path, "rb") as f:
        data = f.read(4 << 20)
    m = re.search(rb"x264 - core (\d+).*? - options: ([ -~]*)", data)
    if not m:
        sys.exit(f"no x264 SEI in {path}")
    opts = {"core": m.group(1).decode()}
    for item in m.group(2).decode().split():
        key, _, value = item.partition("=")
        opts[key] = value
    subme = int(opts.get("subme", -1))
    opts["preset"] = SUBME_PRESET.get(subme, f"?(subme={subme})")
    return opts


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "set-video":
        set_video(args[0], int(args[1]), int(args[2]), int(args[3]), args[4] if len(args) > 4 else None)
    elif cmd == "x264":
        o = x264_options(args[0])
        shown = [f"crf={o.get('crf', '?')}", f"preset~{o['preset']}"]
        shown += [f"{k}={o[k]}" for k in ("subme", "ref", "bframes", "rc_lookahead", "keyint", "threads") if k in o]
        print(" ".join(shown))
    elif cmd == "x264-arg":
        o = x264_options(args[0])
        value = o["preset"] if args[1] == "preset" else o.get(args[1], "")
        if args[1] == "crf":
            value = f"{float(value):g}"
        print(value)
    elif cmd == "render-sections":
        with open(args[0]) as f:
            report = json.load(f)
        for s in report["steps"]:
            if s["kind"] == "render" and s.get("section"):
                print(s["section"])
    elif cmd == "table":
        with open(args[0]) as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(rows[0]))]
        for n, r in enumerate(rows):
            print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
            if n == 0:
                print("  " + "  ".join("-" * w for w in widths))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
