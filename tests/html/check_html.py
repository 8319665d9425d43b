#!/usr/bin/env python3
"""Static checks of callviz's HTML pages (-html, batch's index.html and
-compare pages), for each file given:
  - it parses as XML (strictly: every element closed, entities escaped),
    and Python's html.parser sees every non-void element closed in order;
  - it references nothing outside itself but files beside it: no src,
    href or xlink:href with a scheme or an absolute path, no url() but
    url(#id), and a relative link names a file that exists;
  - no http:// or https:// text at all, except the SVG, XHTML and XLink
    namespace URIs and the "See https://git.io/JfYMW ..." line of pprof's
    graph legend (text, not a link).
Python 3 standard library only. Exit status 1 on any failure.
"""
import html.parser
import os
import re
import sys
import xml.etree.ElementTree as ET

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
NAMESPACE = re.compile(r'xmlns(:\w+)?="http://www\.w3\.org/(2000/svg|1999/xhtml|1999/xlink)"')
LEGEND = "See https://git.io/JfYMW for how to read the graph"


class Balance(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.refs = [], [], []

    def handle_starttag(self, tag, attrs):
        self._refs(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._refs(attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s> at line %d" %
                               (tag, self.stack[-1] if self.stack else "nothing", self.getpos()[0]))
            return
        self.stack.pop()

    def _refs(self, attrs):
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value is not None:
                self.refs.append(value)
            if name == "style" and value and "url(" in value:
                self.refs.extend(re.findall(r"url\(([^)]*)\)", value))


def check(path):
    problems = []
    text = open(path, encoding="utf-8").read()
    try:
        ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)
    except ET.ParseError as e:
        problems.append("not well-formed XML: %s" % e)
    b = Balance()
    b.feed(text)
    b.close()
    problems += b.errors
    if b.stack:
        problems.append("unclosed elements: %s" % b.stack)
    here = os.path.dirname(os.path.abspath(path))
    for ref in b.refs:
        r = ref.strip().strip("'\"")
        if r.startswith("#"):
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", r) or r.startswith("/"):
            problems.append("external reference %r" % ref)
        elif not os.path.exists(os.path.join(here, r)):
            problems.append("link to a missing file %r" % ref)
    for u in re.findall(r"url\(([^)]*)\)", text):
        if not u.strip().strip("'\"").startswith("#"):
            problems.append("url(%s) in a stylesheet" % u)
    rest = NAMESPACE.sub("", text).replace(LEGEND, "")
    for m in re.finditer(r"https?://\S{0,40}", rest):
        problems.append("network reference %r" % m.group(0))
    for p in problems[:10]:
        print("FAIL %s: %s" % (path, p))
    return not problems


def main():
    ok = all([check(p) for p in sys.argv[1:]])
    print("%d pages checked: %s" % (len(sys.argv) - 1, "ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
