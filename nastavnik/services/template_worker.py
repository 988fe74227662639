"""A tenant's own template is filled in a child process with limits: the sandbox stops a
template reaching into the program, but not one that loops or multiplies without end
(``{{ "x" * 10**9 }}``, nested ``range`` loops), which would hold a web worker's CPU and
memory. The child gets the template and the paper's fields (plain data, as JSON) on its
input, no secrets in its environment, a CPU-time and an address-space limit, and a
wall-clock timeout; it answers with the Word file, or with what is wrong in plain words.

The built-in templates are the plugins' own code and are filled in the process."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

from .child_env import clean_environment

CPU_SECONDS = int(os.environ.get("NASTAVNIK_TEMPLATE_CPU_SECONDS", "10"))
MEMORY_BYTES = int(os.environ.get("NASTAVNIK_TEMPLATE_MEMORY_MB", "768")) * 1024 * 1024
_PROBLEM = 3  # the child's exit code for "the template is wrong" (the message on stderr)


class TemplateFailed(Exception):
    """Filling the tenant's template failed; the message says why, for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fill_isolated(template: bytes, context: dict) -> bytes:
    """The Word file of ``template`` filled with ``context``, made by a limited child."""
    request = json.dumps({"template": base64.b64encode(template).decode("ascii"),
                          "context": context}).encode("utf-8")
    env = clean_environment("PYTHONPATH", "VIRTUAL_ENV",
                            NASTAVNIK_TEMPLATE_CPU_SECONDS=str(CPU_SECONDS),
                            NASTAVNIK_TEMPLATE_MEMORY_MB=str(MEMORY_BYTES // (1024 * 1024)))
    try:
        done = subprocess.run([sys.executable, "-m", __name__], input=request,
                              capture_output=True, timeout=CPU_SECONDS * 3, env=env)
    except subprocess.TimeoutExpired:  # (thrice the CPU time: a busy machine gives less)
        raise TemplateFailed(_limits()) from None
    if done.returncode == 0:
        return done.stdout
    if done.returncode == _PROBLEM:
        raise TemplateFailed(done.stderr.decode("utf-8", errors="replace").strip())
    # killed for CPU time (SIGXCPU, SIGKILL) or out of memory
    raise TemplateFailed(_limits())


def _limits() -> str:
    return (f"filling the template takes more than {CPU_SECONDS} s or more than "
            f"{MEMORY_BYTES // (1024 * 1024)} MB: a template may not compute that much "
            "(a loop or a repetition too large?)")


def _limit_myself() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file, only its answer
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # and starts no process


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    # the libraries are imported before the limits: what counts is the template's work
    from .documents import fill
    from .template_sandbox import problem

    _limit_myself()
    try:
        content = fill(base64.b64decode(request["template"]), request["context"])
    except MemoryError:
        return 1
    except Exception as exc:  # noqa: BLE001 - every failure is the template's, told in words
        sys.stderr.write(problem(exc))
        return _PROBLEM
    sys.stdout.buffer.write(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
