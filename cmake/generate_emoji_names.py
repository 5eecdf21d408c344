#!/usr/bin/env python3
"""Build-time generator of the reaction picker's emoji table for one language.

    generate_emoji_names.py EMOJI_TEST OUTPUT [CLDR_ANNOTATIONS.xml ...]

EMOJI_TEST is Unicode's emoji-test.txt (Debian's unicode-data); the annotation
files are CLDR's annotations/<lang>.xml and annotationsDerived/<lang>.xml
(Debian's unicode-cldr-core). OUTPUT gets one line per fully-qualified emoji,
in Unicode's order, skin tone variants left out (the picker offers the base
emoji):

    emoji TAB name TAB keywords

name is CLDR's short name ("tts") in that language, or Unicode's English name
where CLDR has none; keywords are CLDR's, separated by " | ", followed by the
English name so that a search in English finds the emoji in every language.
"""
import re
import sys
import xml.etree.ElementTree as ET

VS16 = "\ufe0f"  # CLDR's cp attributes leave the emoji presentation selector out
INHERITED = "\u2191\u2191\u2191"  # "↑↑↑": the value comes from the parent locale


def read_emoji_test(path):
    pattern = re.compile(r"; fully-qualified\s+# (\S+) E\d+\.\d+ (.+)$")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.search(line.rstrip("\n"))
            if m and "skin tone" not in m.group(2):
                out.append((m.group(1), m.group(2)))
    return out


def read_annotations(paths):
    names, keywords = {}, {}
    for path in paths:
        for a in ET.parse(path).getroot().iter("annotation"):
            cp, text = a.get("cp"), (a.text or "").strip()
            if not cp or not text or text == INHERITED:
                continue
            if a.get("type") == "tts":
                names[cp] = text
            else:
                keywords[cp] = [k.strip() for k in text.split("|") if k.strip()]
    return names, keywords


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    emoji = read_emoji_test(sys.argv[1])
    if len(emoji) < 1000:
        sys.exit(f"only {len(emoji)} emoji in {sys.argv[1]}")
    names, keywords = read_annotations(sys.argv[3:])
    lines = []
    for e, english in emoji:
        key = e.replace(VS16, "")
        name = names.get(key, english)
        words = [w for w in keywords.get(key, []) if w != name]
        if english != name and english not in words:
            words.append(english)
        clean = lambda s: s.replace("\t", " ").replace("\n", " ")
        lines.append(f"{e}\t{clean(name)}\t{clean(' | '.join(words))}\n")
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    import os
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
