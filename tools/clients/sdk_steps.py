"""Steps and checks the openstacksdk scripts share: each step is announced on stderr, a failed
check names what it expected, and run() exits 1 naming the step that failed."""
import sys

_STEP = {"label": "", "name": ""}


def step(name):
    """Announces the step that runs next."""
    _STEP["name"] = name
    print(f"== {_STEP['label']}: {name}", file=sys.stderr)


def expect(actual, wanted, what):
    """Fails the step unless `actual` is `wanted`."""
    if actual != wanted:
        raise AssertionError(f"expected {what} to be {wanted!r}, got {actual!r}")


def run(label, main, success):
    """Runs main(endpoint from argv); prints `success` when every step passed, else the failed
    step and exits 1."""
    _STEP["label"] = label
    try:
        main(sys.argv[1])
    except Exception as error:  # every failure names its step
        print(f"FAILED at '{label}: {_STEP['name']}': {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    print(success, file=sys.stderr)
