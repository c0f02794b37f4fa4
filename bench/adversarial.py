"""Adversarial inputs (issue 20): a few hundred KB of text must not stall or kill a worker.

    python -m bench.adversarial [--sizes 10000,50000,100000,200000] [--workers 2]

Starts the real service (`--workers` processes, a private Redis) and POSTs `{"text": ...}` to
/v1/enrich for every input shape at every size (the `html_*` shapes as `text/html` pages: deep
nesting, thousands of attributes, unclosed formatting tags, long lists and tables), then the raw
reproducers of issue 20 and three 2 MB pages (among
them a lone surrogate sent as `text/plain; charset=unicode_escape`, next to normal articles
that may share its `nlp.pipe` batch). Each request has a 120 s client timeout. Meanwhile a
bystander posts a small French article every 0.5 s, different each time so the cache never
answers it, and records how long it waited.

Fails (exit 1) when:
- a shape grows super-linearly: t(largest size) > 25 x t(smallest size) + 1 s, or a size
  timed out or was skipped after a slow one;
- a worker died (the worker PIDs changed);
- any response is a 5xx other than 503, or a connection broke;
- a bystander request waited more than 1 s or did not get a 200.

Prints one row per request (shape, size, status, seconds), the growth ratio of every shape,
the bystander latencies, and saves everything with `write_result("adversarial", ...)`.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench._common import (
    print_table,
    private_redis,
    server_process,
    write_result,
)

CLIENT_TIMEOUT = 120.0
BYSTANDER_EVERY = 0.5
BYSTANDER_MAX_WAIT = 1.0
GROWTH_FACTOR = 25.0
GROWTH_SLACK = 1.0
# After a request this slow or unanswered, the larger sizes of its shape are skipped (the shape fails).
SKIP_AFTER = 30.0
SETTLE_LIMIT = 120.0
JSON = "application/json"

# -- input shapes ----------------------------------------------------------------------------

SENTENCES = (
    "Le conseil municipal de Lyon a adopté mardi soir un budget de 812 millions d'euros.",
    "La maire a défendu une hausse des dépenses consacrées aux écoles et aux transports publics.",
    "L'opposition dénonce une dette qui progresse pour la troisième année consécutive.",
    "Selon le rapport de la chambre régionale des comptes, la ville reste pourtant solvable.",
    "Les travaux du nouveau tramway doivent commencer au printemps dans le quartier de Gerland.",
    "Plusieurs associations de riverains réclament une concertation plus large avant le chantier.",
    "Le préfet du Rhône a salué un projet utile pour réduire la pollution de l'air.",
    "La décision finale sera prise en septembre, après une nouvelle réunion publique.",
)
FIRST_NAMES = (  # noqa: SIM905
    "Jean Marie Pierre Sophie Luc Claire Paul Julie Marc Anne Louis Camille Hugo Emma Thomas Léa "
    "Nicolas Chloé Antoine Manon Julien Sarah Mathieu Inès Romain Lucie Olivier Alice Vincent Zoé"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Dupont Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc "
    "Guerin Boyer Garnier Chevalier Francois Legrand Gauthier Perrin Robin Clement Morin Nicolas"
).split()


def repeat(unit: str, size: int) -> str:
    """`unit` repeated and cut to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def prose(size: int, separator: str = " ") -> str:
    """French prose, `separator` after every round of SENTENCES, each round numbered.

    The numbers keep paragraphs distinct, so the clean stage does not drop them as duplicates.
    """
    rounds: list[str] = []
    length = 0
    while length < size:
        rounds.append(f"Point {len(rounds) + 1}. " + " ".join(SENTENCES) + separator)
        length += len(rounds[-1])
    return "".join(rounds)[:size]


def person_names(size: int) -> str:
    """Distinct capitalised names: "Jean Dupont, Jean Martin, ..., Jean-Marie Dupont, ..."."""
    firsts = FIRST_NAMES + [f"{a}-{b}" for a, b in itertools.permutations(FIRST_NAMES, 2)]
    names = (f"{first} {last}" for first, last in itertools.product(firsts, LAST_NAMES))
    out: list[str] = []
    length = 0
    while length < size:
        out.append(next(names))
        length += len(out[-1]) + 2
    return ", ".join(out)[:size]


def after_prose(lines: Iterator[str], size: int) -> str:
    """Three paragraphs of prose (so the language check passes), then `lines` up to `size` characters."""
    head = prose(3_000, "\n\n")
    body: list[str] = []
    length = len(head)
    while length < size:
        body.append(next(lines))
        length += len(body[-1])
    return (head + "".join(body))[:size]


def initials() -> Iterator[tuple[str, str, str]]:
    """a.a.a, a.a.b, ...: enough distinct triples for 200k characters of short lines."""
    return itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=3)


def captions(size: int) -> str:
    """Prose, then caption-shaped lines "photo par a.b.c", all different."""
    return after_prose((f"photo par {a}.{b}.{c}\n" for a, b, c in initials()), size)


def credit_lines(size: int) -> str:
    """Prose, then bare photo-credit lines "© a.b.c / AFP", all different."""
    return after_prose((f"© {a}.{b}.{c} / AFP\n" for a, b, c in initials()), size)


def short_lines(size: int) -> str:
    """Prose, then one short sentence per line: thousands of summary candidates."""
    return after_prose((f"Le maire répond à la question {i}.\n" for i in itertools.count()), size)


SHAPES: dict[str, Callable[[int], str]] = {
    "paren_open": lambda n: "(" * n,
    "paren_close": lambda n: ")" * n,
    "guillemet_open": lambda n: "«" * n,
    "dash": lambda n: "-" * n,
    "dot": lambda n: "." * n,
    "comma": lambda n: "," * n,
    "emoji": lambda n: "\U0001f600" * n,
    "mixed_punct": lambda n: repeat("()«»-.,;:!?\"'[]{}…", n),
    "combining": lambda n: "e" + "\u0301\u0316" * ((n - 1) // 2),
    "combining_reversed": lambda n: "e" + "\u0316\u0301" * ((n - 1) // 2),
    "unclosed_guillemet": lambda n: "Il a déclaré : « " + prose(n - 17),
    "unclosed_guillemet_paras": lambda n: "Il a déclaré : « " + prose(n - 17, "\n\n"),
    # The same runs after a paragraph of prose on the same line: a service that refuses text
    # without an article must still tokenize these.
    "paren_in_prose": lambda n: prose(2_000) + " " + "(" * (n - 2_001),
    "emoji_in_prose": lambda n: prose(2_000) + " " + "\U0001f600" * (n - 2_001),
    "mixed_punct_in_prose": lambda n: prose(2_000) + " " + repeat("()«»-.,;:!?\"'[]{}…", n - 2_001),
    "combining_in_prose": lambda n: prose(2_000) + " e" + "\u0301\u0316" * ((n - 2_002) // 2),
    "dots_in_prose": lambda n: prose(n // 2) + " " + "." * (n - n // 2 - 1),
    "person_names": person_names,
    "captions": captions,
    "credit_lines": credit_lines,
    "newlines": lambda n: "Titre\n" + "\n" * (n - 6),
    "long_prose_line": prose,
    "words_no_punct": lambda n: repeat(
        " ".join(w.strip(".,'") for w in " ".join(SENTENCES).split()) + " ", n
    ),
    "short_lines": short_lines,
    "paragraphs": lambda n: prose(n, "\n\n"),
    "quote_pairs": lambda n: repeat("Il a dit « oui » puis « non » avant de « réfléchir ». ", n),
    "timestamps": lambda n: repeat("12:50 14h05 - 2024-03-01 10/02/2023 123456789 3,14 %\n", n),
}


def json_body(text: str) -> bytes:
    return json.dumps({"text": text}).encode()


HTML = "text/html; charset=utf-8"
_PARA = "<p>" + " ".join(SENTENCES[:2]) + "</p>"

# HTML pages, sent as text/html: shapes that are quadratic or explosive for HTML5 parsers (deep
# nesting, many attributes, unclosed formatting elements re-created in every paragraph) and
# plain large pages. `n` is the page's length in characters.
HTML_SHAPES: dict[str, Callable[[int], str]] = {
    "html_nested_div": lambda n: "<div>" * (n // 5),
    "html_unclosed_b_paragraphs": lambda n: "<b>" * 200 + repeat("</p><p>mot ", n - 600),
    "html_distinct_formatting": lambda n: (
        "".join(f"<b class=c{i}>" for i in range(400)) + repeat("</p><p>x", max(n - 5_000, 8))
    ),
    "html_attributes": lambda n: "<div " + repeat("a=1 ", n - 20) + ">texte</div>",
    "html_deep_inline": lambda n: "<p>" + "<em>" * (n // 4),
    "html_list_links": lambda n: (
        "<ul>" + repeat("<li><a href='https://exemple.fr/a'>lien</a></li>", n) + "</ul>"
    ),
    "html_table_cells": lambda n: "<table>" + repeat("<tr><td>Lyon</td><td>3</td></tr>", n) + "</table>",
    "html_comments": lambda n: _PARA + repeat("<!-- x -->", n - len(_PARA)),
    "html_paragraphs": lambda n: "<article>" + repeat(_PARA, n) + "</article>",
}


def body_of(name: str, size: int) -> tuple[bytes, str]:
    """The request body and content type of a shape at a size."""
    if name in HTML_SHAPES:
        return HTML_SHAPES[name](size).encode(), HTML

    return json_body(SHAPES[name](size)), JSON


def _page_2mb(unit: str, head: str = "") -> bytes:
    """A page just under the 2 MiB body limit."""
    page = head + unit * ((2 * 1024 * 1024 - len(head.encode()) - 64) // len(unit.encode()))
    return page.encode()


# The reproducers of issue 20, as they were sent: (name, body, content type).
REPRODUCERS: list[tuple[str, Callable[[], bytes], str]] = [
    ("paren_8000", lambda: json_body("(" * 8000), JSON),
    ("emoji_10000", lambda: json_body("\U0001f600" * 10_000), JSON),
    ("combining_100001", lambda: json_body("e" + "\u0301\u0316" * 50_000), JSON),
    ("unclosed_guillemet_100k", lambda: json_body(SHAPES["unclosed_guillemet"](100_000)), JSON),
    ("dots_20000", lambda: json_body("." * 20_000), JSON),
    ("person_names_200k", lambda: json_body(person_names(200_000)), JSON),
    ("captions_200k", lambda: json_body(captions(200_000)), JSON),
    ("newlines_200k", lambda: json_body("\n" * 200_000), JSON),
    ("long_line_200k", lambda: json_body(prose(200_000)), JSON),
    ("lone_surrogate", lambda: b"\\ud800", "text/plain; charset=unicode_escape"),
    ("html_2mb_paragraphs", lambda: _page_2mb(_PARA), HTML),
    ("html_2mb_script", lambda: _page_2mb("track({id: 1, url: '/a'});", "<p>x</p><script>"), HTML),
    ("html_2mb_list_links", lambda: _page_2mb("<li><a href='https://exemple.fr/a'>lien</a></li>"), HTML),
]

# -- the service's workers --------------------------------------------------------------------


def worker_pids(parent: int) -> set[int]:
    """PIDs of the uvicorn workers: the server's children started by multiprocessing."""
    children: dict[int, str] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(parent):
                cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                children[int(status.parent.name)] = cmdline
        except (OSError, ValueError):
            continue
    workers = {pid for pid, cmd in children.items() if "spawn_main" in cmd}
    return workers or set(children)


# -- requests ---------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class Outcome:
    """One adversarial request: its HTTP status (or what went wrong instead) and duration."""

    name: str
    size: int
    status: str
    seconds: float
    detail: str = ""


def post(
    base: str, body: bytes, content_type: str, timeout: float = CLIENT_TIMEOUT
) -> tuple[str, float, str]:
    """POST to /v1/enrich on a new connection; (status or error name, seconds, problem code)."""
    started = time.perf_counter()
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.post(
                f"{base}/v1/enrich",
                content=body,
                headers={"Content-Type": content_type, "Connection": "close"},
            )
        status, code = str(response.status_code), ""
        if response.status_code >= 400:
            try:
                code = str(response.json().get("code", ""))
            except ValueError:
                code = response.text[:80]
    except httpx.TimeoutException:
        status, code = "timeout", ""
    except httpx.TransportError as exc:
        status, code = "broken", type(exc).__name__
    return status, round(time.perf_counter() - started, 3), code


@dataclasses.dataclass
class Bystander:
    """Posts a small (~700 characters), always different French article every BYSTANDER_EVERY seconds."""

    base: str
    texts: list[str]
    latencies: list[tuple[float, str, float]] = dataclasses.field(default_factory=list)
    _stop: threading.Event = dataclasses.field(default_factory=threading.Event)
    _counter: itertools.count[int] = dataclasses.field(default_factory=itertools.count)

    def article(self) -> bytes:
        """A small article never sent before (a counter sentence defeats the cache)."""
        n = next(self._counter)
        return json_body(f"{self.texts[n % len(self.texts)]}\nMise à jour numéro {n} à {time.time():.3f}.")

    def one(self) -> None:
        """Send one article and record (when, status, seconds)."""
        status, seconds, _ = post(self.base, self.article(), JSON, timeout=60)
        self.latencies.append((time.monotonic(), status, seconds))

    def run(self) -> None:
        """Send until stopped (run it in a thread)."""
        # Each request in its own thread: a stuck one must not delay the next.
        with ThreadPoolExecutor(max_workers=64) as pool:
            while not self._stop.wait(BYSTANDER_EVERY):
                pool.submit(self.one)

    def stop(self) -> None:
        """Stop sending; requests in flight still finish."""
        self._stop.set()


def settle(bystander: Bystander, limit: float) -> None:
    """Wait (up to `limit` s) until the workers answer small articles quickly again.

    Work a client gave up on still runs to its end in the worker (spaCy cannot be interrupted):
    without this pause it would be billed to the next shape.
    """
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 4 and time.monotonic() < deadline:
        status, seconds, _ = post(bystander.base, bystander.article(), JSON, timeout=max(1.0, limit))
        quick = quick + 1 if status == "200" and seconds < 0.5 else 0


def surrogate_with_neighbours(base: str, bystander: Bystander) -> list[Outcome]:
    """The lone surrogate sent while normal articles queue with it for the same nlp.pipe batch."""
    with ThreadPoolExecutor(max_workers=12) as pool:
        # Keep both workers busy a moment (two different texts: no single flight, no cache hit)
        # so that what follows queues up and goes through one nlp.pipe pass together.
        primers = [pool.submit(post, base, json_body(prose(30_000 + i)), JSON) for i in range(2)]
        time.sleep(0.2)
        surrogate = pool.submit(post, base, b"\\ud800", "text/plain; charset=unicode_escape")
        neighbours = [pool.submit(post, base, bystander.article(), JSON) for _ in range(6)]
        outcomes = [Outcome("batch_primer", 30_000, *f.result()) for f in primers]
        outcomes.append(Outcome("batch_lone_surrogate", 6, *surrogate.result()))
        outcomes += [Outcome("batch_neighbour", 0, *f.result()) for f in neighbours]
    return outcomes


# -- report -----------------------------------------------------------------------------------


def answered(outcome: Outcome | None) -> bool:
    """Whether the service finished the work: a 2xx or a 4xx, not a deadline 503, a break or a skip."""
    return outcome is not None and outcome.status.isdigit() and int(outcome.status) < 500


def growth(outcomes: list[Outcome], sizes: list[int]) -> dict[str, dict[str, Any]]:
    """Per shape: t(smallest), t(largest), their ratio and whether growth stays within the linear bound.

    A size the service did not answer (deadline, broken connection, skipped) fails the shape.
    """
    table: dict[str, dict[str, Any]] = {}
    for name in [*SHAPES, *HTML_SHAPES]:
        rows = {o.size: o for o in outcomes if o.name == name}
        first, last = rows.get(sizes[0]), rows.get(sizes[-1])
        if first is None or last is None:
            continue
        complete = all(answered(rows.get(size)) for size in sizes)
        table[name] = {
            "first": first.seconds if answered(first) else None,
            "last": last.seconds if answered(last) else None,
            "ratio": round(last.seconds / max(first.seconds, 1e-3), 1) if complete else None,
            "ok": complete and last.seconds <= GROWTH_FACTOR * first.seconds + GROWTH_SLACK,
            "complete": complete,
        }
    return table


def verdict(row: dict[str, Any]) -> str:
    """How a shape's growth row reads in the table."""
    if row["ok"]:
        return "ok"
    return "FAIL" if row["complete"] else "FAIL (unanswered)"


def main() -> None:
    """Run every adversarial input against a real server and report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,50000,100000,200000", help="comma-separated text lengths")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--shapes", default=",".join([*SHAPES, *HTML_SHAPES]), help="comma-separated subset of the shapes"
    )
    parser.add_argument("--no-reproducers", action="store_true", help="only the shapes")
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds; past it the remaining requests are skipped (0: none)",
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = set(shapes) - set(SHAPES) - set(HTML_SHAPES)
    if unknown:
        parser.error(f"unknown shapes: {sorted(unknown)}")
    started = time.monotonic()

    def left() -> float:
        return args.budget - (time.monotonic() - started) if args.budget else float("inf")

    with private_redis() as redis_url:
        env = {"REDIS_URL": redis_url, "WORKERS": str(args.workers), "LOG_LEVEL": "WARNING"}
        with server_process("service.app:create_app", env, args.workers) as (host, port, _, process):
            base = f"http://{host}:{port}"
            pids = worker_pids(process.pid)
            print(f"server ready on {base}; worker PIDs {sorted(pids)}", flush=True)
            bystander = Bystander(
                base, [" ".join(SENTENCES[i:] + SENTENCES[:i]) for i in range(len(SENTENCES))]
            )
            thread = threading.Thread(target=bystander.run, daemon=True)
            thread.start()
            outcomes: list[Outcome] = []
            deaths: list[str] = []

            def record(outcome: Outcome) -> None:
                nonlocal pids
                outcomes.append(outcome)
                # A killed worker disappears; the supervisor's replacement is a new PID.
                now = worker_pids(process.pid)
                for pid in sorted(pids - now):
                    deaths.append(f"worker {pid} died during or after {outcome.name}/{outcome.size}")
                    print(deaths[-1], flush=True)
                pids = now
                print(
                    f"{outcome.name:26} {outcome.size:>7} {outcome.status:>8} {outcome.seconds:8.2f}s {outcome.detail}",
                    flush=True,
                )
                if not answered(outcome) or outcome.seconds > 5:
                    settle(bystander, min(SETTLE_LIMIT, max(left(), 0.0)))

            for name in shapes:
                slow = False
                for size in sizes:
                    if slow or left() <= 0:
                        why = "a smaller size was too slow" if slow else "over the time budget"
                        outcomes.append(Outcome(name, size, "skipped", 0.0, why))
                        continue
                    status, seconds, code = post(base, *body_of(name, size))
                    record(Outcome(name, size, status, seconds, code))
                    slow = not answered(outcomes[-1]) or seconds > SKIP_AFTER
            if not args.no_reproducers:
                for name, body, content_type in REPRODUCERS:
                    if left() <= 0:
                        outcomes.append(Outcome(name, 0, "skipped", 0.0, "over the time budget"))
                        continue
                    status, seconds, code = post(base, body(), content_type)
                    record(Outcome(name, 0, status, seconds, code))
                for outcome in surrogate_with_neighbours(base, bystander):
                    record(outcome)
            time.sleep(1.0)
            bystander.stop()
            thread.join()

    print()
    print_table(
        [[o.name, o.size, o.status, f"{o.seconds:.2f}", o.detail] for o in outcomes],
        ["shape", "size", "status", "seconds", "detail"],
    )
    grow = growth(outcomes, sizes)
    print()
    print_table(
        [[name, g["first"], g["last"], g["ratio"], verdict(g)] for name, g in grow.items()],
        ["shape", f"t({sizes[0]})", f"t({sizes[-1]})", "ratio", "growth"],
    )
    waits = sorted(seconds for _, _, seconds in bystander.latencies)
    slow_bystanders = [(s, t) for _, s, t in bystander.latencies if s != "200" or t > BYSTANDER_MAX_WAIT]
    print()
    if waits:
        print(
            f"bystander: {len(waits)} requests, median {waits[len(waits) // 2]:.2f}s, "
            f"max {waits[-1]:.2f}s, {len(slow_bystanders)} slower than {BYSTANDER_MAX_WAIT:g}s or failed"
        )

    failures: list[str] = []
    failures += [
        f"super-linear or incomplete: {n}" for n, g in grow.items() if not g["ok"] and len(sizes) > 1
    ]
    failures += deaths
    failures += [
        f"{o.name}/{o.size}: {o.status} {o.detail}"
        for o in outcomes
        if o.status == "broken" or (o.status.isdigit() and int(o.status) >= 500 and o.status != "503")
    ]
    failures += [
        f"neighbour of the surrogate got {o.status} {o.detail}"
        for o in outcomes
        if o.name == "batch_neighbour" and answered(o) and o.status != "200"
    ]
    if slow_bystanders:
        failures.append(
            f"{len(slow_bystanders)} bystander requests waited > {BYSTANDER_MAX_WAIT:g}s or failed"
        )
    elapsed = round(time.monotonic() - started, 1)
    path = write_result(
        "adversarial",
        {
            "sizes": sizes,
            "workers": args.workers,
            "elapsed_seconds": elapsed,
            "outcomes": [dataclasses.asdict(o) for o in outcomes],
            "growth": grow,
            "bystander": {
                "requests": len(waits),
                "max_seconds": waits[-1] if waits else None,
                "slow_or_failed": [{"status": s, "seconds": t} for s, t in slow_bystanders],
            },
            "failures": failures,
            "passed": not failures,
        },
    )
    print(f"\nwritten to {path} in {elapsed}s")
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        raise SystemExit(1)
    print("PASS")


if __name__ == "__main__":
    main()
