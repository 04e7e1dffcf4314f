"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure): one test suite
per file with findings, one failed test case per finding; a clean run is one passing case."""

from __future__ import annotations

import re
from xml.etree import ElementTree

# characters XML 1.0 cannot hold at all (a hostile file's name or message may carry them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render(run) -> str:
    root = ElementTree.Element("testsuites", name="fnlint", tests=str(len(run.findings) or 1),
                               failures=str(len(run.findings)), errors="0",
                               time=f"{run.seconds:.3f}")
    by_file: dict = {}
    for f in run.findings:
        by_file.setdefault(f.path, []).append(f)
    for path, findings in by_file.items():
        path = _xml(path)
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests=str(len(findings)),
                                       failures=str(len(findings)), errors="0", skipped="0")
        for f in findings:
            case = ElementTree.SubElement(suite, "testcase", classname=path,
                                          name=_xml(f"{f.code} {f.location}"))
            message = _xml(f.message + (f" ({f.suggestion})" if f.suggestion else ""))
            failure = ElementTree.SubElement(case, "failure", message=message,
                                             type=f"{f.code} {f.name}")
            failure.text = _xml(f"{f.location}: {f.code} {f.severity}: {message}")
    if not by_file:
        suite = ElementTree.SubElement(root, "testsuite", name="fnlint", tests="1",
                                       failures="0", errors="0", skipped="0")
        ElementTree.SubElement(suite, "testcase", classname="fnlint", name="no findings")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode") + "\n"
