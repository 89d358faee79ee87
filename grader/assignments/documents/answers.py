"""Choosing a question's answer inside its segment: the prompt's echo left out, the graded
formula found (boxed, else the only or last one standing on its own), or the prose that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.assignments.documents.formulas import Formula, formulas
from grader.assignments.documents.outline import _PART
from grader.assignments.documents.segments import Segment

# words that may stand beside a formula without making it part of a sentence
_GLUE = {"answer", "so", "thus", "hence", "therefore", "we", "get", "have", "is", "it", "the", "final", "result"}
_LATEX_STRUCTURE = re.compile(r"\\(?:begin|end)\s*\{(?:enumerate|itemize)\}(?:\[[^\]]*\])?|\\item\b")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TEXT_LABEL = re.compile(
    r"^\s*(?:answer\s*:\s*)?(?:(?:d|∂)\s*\w*\s*/\s*(?:d|∂)\s*\w+|\w+'\s*\(\s*\w+\s*\))\s*=(?!=)", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """The answer text picked in a segment, where it starts (offset), where it ends, and how sure."""

    text: str
    start: int
    end: int
    confidence: float
    how: str


def part_prompt(prompt: str) -> str:
    """The prompt from its own part label on (``a. $\\frac{dl_i}{dp_i}$``), else the whole prompt."""
    lines = prompt.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if _PART.match(lines[i]):
            return "\n".join(lines[i:])
    return prompt


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]{2,}", text.lower())


def _standalone(seg: Segment, f: Formula, prompt_words: set[str]) -> bool:
    """A displayed formula, or one whose line has no words beyond the prompt's and a little glue."""
    if f.display:
        return True
    line_start = seg.text.rfind("\n", 0, f.start) + 1
    line_end = seg.text.find("\n", f.end)
    line = seg.text[line_start:None if line_end < 0 else line_end]
    around = re.sub(r"(?<!\\)\$[^$]*\$|\\\(.*?\\\)", " ", line)
    return all(w in prompt_words or w in _GLUE for w in _words(around))


def math_answer(seg: Segment, prompt: str, *, piecewise: bool = False) -> Choice | str:
    """The graded formula of a segment, or the reason none can be taken."""
    found = formulas(seg.text)
    if not found:
        return _plain_answer(seg)
    echoes = [_squash(f.latex) for f in formulas(prompt)]
    prompt_words = set(_words(re.sub(r"\$[^$]*\$", " ", prompt)))
    rest: list[Formula] = []
    for k, f in enumerate(found):
        squashed = _squash(f.latex)
        if not rest and squashed in echoes:
            echoes = echoes[echoes.index(squashed) + 1:]
            continue
        if k == 0:
            f = _without_echo(f, echoes)
        rest.append(f)
    standing = _join_chains([f for f in rest if _standalone(seg, f, prompt_words)])
    if piecewise:
        cases = [f for f in standing if "cases" in f.latex or re.search(r"\bif\b", f.latex)]
        standing = cases or standing
    boxed = [f for f in _join_chains(rest) if "\\boxed" in f.latex]  # a box counts even inside a sentence
    if len(boxed) > 1:
        return f"{len(boxed)} separate boxed answers: box only the final answer"
    if boxed:
        return Choice(boxed[0].latex, boxed[0].start, boxed[0].end, 0.95, "the boxed formula")
    if len(standing) == 1:
        return Choice(standing[0].latex, standing[0].start, standing[0].end, 0.85, "the only formula")
    if standing:
        last = standing[-1]
        return Choice(last.latex, last.start, last.end, 0.5, f"the last of {len(standing)} formulas (box the one to grade)")
    return "no formula stands on its own here (only formulas inside sentences)"


def _without_echo(f: Formula, echoes: list[str]) -> Formula:
    """``\\frac{dl_i}{dp_i} = 2(...)`` opening the part: the prompt's left-hand side left out."""
    squashed = _squash(f.latex)
    for echo in echoes:
        if squashed.startswith(echo + "=") and not squashed.startswith(echo + "=="):
            cut, seen = 0, 0
            while seen < len(echo) + 1:
                if not f.latex[cut].isspace():
                    seen += 1
                cut += 1
            return Formula(f.latex[cut:].strip(), f.start, f.end, f.display)
    return f


def _join_chains(found: list[Formula]) -> list[Formula]:
    """A formula that starts with ``=`` continues the chain of the one before it."""
    out: list[Formula] = []
    for f in found:
        if out and f.latex.startswith("="):
            prev = out[-1]
            out[-1] = Formula(f"{prev.latex} {f.latex}", prev.start, f.end, prev.display or f.display)
        else:
            out.append(f)
    return out


def _plain_answer(seg: Segment) -> Choice | str:
    """Plain text: the first paragraph, a leading ``dl/dp =`` label left out."""
    text = seg.text
    start = len(text) - len(text.lstrip())
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    body = text[start:end]
    label = _TEXT_LABEL.match(body)
    if label:
        start += label.end()
        body = body[label.end():]
    body = " ".join(body.split())
    if not body:
        return "nothing written under this label"
    return Choice(body, start, end, 0.7, "the plain-text line")


def prose_answer(seg: Segment, prompts: list[str], after: int = 0) -> Choice | str:
    """Free text: the prose from ``after`` on, lines that only repeat the prompt left out."""
    prompt_words = set(_words(" ".join(prompts)))
    prompt_flat = re.sub(r"[^a-z0-9]", "", " ".join(prompts).lower())
    lines = _LATEX_STRUCTURE.sub(lambda m: " " * len(m.group()), seg.text[after:]).split("\n")
    offset, kept, first = after, [], None
    for i, line in enumerate(lines):
        flat = re.sub(r"[^a-z0-9]", "", line.lower())
        words = _words(line)
        echo = flat and (flat in prompt_flat or (i == 0 and after == 0 and words
                                                and sum(w in prompt_words for w in words) >= 0.9 * len(words)))
        if kept and _HEADING.match(line):
            break  # a heading starts another section of the document
        if not kept and (echo or not line.strip()):
            offset += len(line) + 1
            continue
        if first is None:
            first = offset
        kept.append(line.strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if not text:
        return "no explanation written under this label"
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return Choice("\n\n".join(paragraphs), first or after, len(seg.text), 0.75, "the prose under the label")
