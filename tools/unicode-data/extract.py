#!/usr/bin/env python3
"""Writes the two Unicode extracts the vendor-name matcher embeds (catalogue/nfkc-ascii.txt, catalogue/confusables.txt).

Catalogue names are ASCII, so only characters that can become ASCII are kept:
- nfkc-ascii.txt: every code point whose NFKC form (full compatibility decomposition; composition cannot apply to an
  all-ASCII result), once combining marks are removed, is ASCII and differs from it: full-width letters, ligatures,
  mathematical and outlined forms, and Latin letters with diacritics (which fold to the bare letter). Symbols (So)
  are left out, so that the trade mark sign stays punctuation.
- confusables.txt: every TR39 'MA' line whose target is only ASCII letters and digits.

Usage (from the repository root, with the two files of one Unicode version, e.g. 17.0.0):
    python3 tools/unicode-data/extract.py UnicodeData.txt confusables.txt
"""
import hashlib
import sys


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def header_value(path, prefix):
    with open(path, encoding='utf-8-sig') as f:
        for line in f:
            if line.startswith(prefix):
                return line[len(prefix):].strip()
    return '?'


def nfkc_ascii(unicode_data):
    decomposition = {}
    marks = set()
    symbols = set()
    with open(unicode_data, encoding='utf-8') as f:
        for line in f:
            fields = line.split(';')
            cp = int(fields[0], 16)
            if fields[2] == 'Mn':
                marks.add(cp)
            if fields[2] == 'So':
                symbols.add(cp)
            if fields[5]:
                decomposition[cp] = [int(p, 16) for p in fields[5].split() if not p.startswith('<')]

    def full(cp):
        return [x for part in decomposition[cp] for x in full(part)] if cp in decomposition else [cp]

    rows = []
    for cp in sorted(decomposition):
        if cp < 0x80:
            continue
        # Symbols (the trade mark sign's NFKC is "TM") stay as they are, so that the name reader treats them as
        # punctuation: "DAHUA\u2122" is Dahua, not "DAHUATM". Combining marks are dropped: registers add accents
        # ("D\u00e1hua") where the maker's name has none, and the folded name is matched, not flagged.
        if cp in symbols:
            continue
        target = [t for t in full(cp) if t not in marks]
        if target and all(t < 0x80 for t in target):
            rows.append('%04X ;\t%s' % (cp, ' '.join('%04X' % t for t in target)))
    return rows


def confusables_ascii(confusables):
    alnum = set(range(0x30, 0x3A)) | set(range(0x41, 0x5B)) | set(range(0x61, 0x7B))
    rows = []
    with open(confusables, encoding='utf-8-sig') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            fields = [x.strip() for x in line.split('#', 1)[0].split(';')]
            if len(fields) < 3 or fields[2] != 'MA':
                continue
            target = [int(p, 16) for p in fields[1].split()]
            if all(t in alnum for t in target):
                rows.append('%s ;\t%s' % (fields[0], fields[1]))
    return rows


def write(path, title, source, version, url, digest, kept, rows):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write('# %s Generated: do not edit.\n' % title)
        f.write('# Source: %s, Version %s\n' % (source, version))
        f.write('#   %s (copy used: sha256 %s)\n' % (url, digest))
        f.write('#   Unicode terms of use: https://www.unicode.org/terms_of_use.html\n')
        f.write('# Kept: %s\n' % kept)
        f.write('# Regenerate: python3 tools/unicode-data/extract.py UnicodeData.txt confusables.txt\n')
        f.write('# columns: source code point ; target code points (hex)\n')
        for row in rows:
            f.write(row + '\n')


def main(unicode_data, confusables):
    version = header_value(confusables, '# Version:')
    write('catalogue/nfkc-ascii.txt', 'Unicode NFKC with combining marks removed, restricted to characters whose result is ASCII, for matching vendor names.',
          'Unicode Character Database, UnicodeData.txt', version,
          'https://www.unicode.org/Public/%s/ucd/UnicodeData.txt' % version, sha256(unicode_data),
          'code points above U+007F, other than symbols (So), whose full compatibility decomposition without combining marks (Mn) is ASCII (catalogue names are ASCII).',
          nfkc_ascii(unicode_data))
    write('catalogue/confusables.txt', 'Unicode confusables restricted to look-alikes of ASCII letters and digits (TR39 skeleton), for matching vendor names.',
          'Unicode Security Mechanisms for UTS #39, confusables.txt', version,
          'https://www.unicode.org/Public/security/%s/confusables.txt' % version, sha256(confusables),
          "MA lines whose target is only ASCII letters and digits (no other line can turn a name into a catalogue name).",
          confusables_ascii(confusables))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
