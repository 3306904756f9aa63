"""Reruns the commands a guide in docs/ quotes and checks that their output still matches.

A quoted command is an HTML comment followed by a fenced block holding its output:

    <!-- $ nncc explain cnn.nnmodel | sed -n '1,4p' -->
    ```text
    ...exactly what the command prints...
    ```

Each command runs under bash in a scratch directory holding cnn.nnmodel (the example CNN), with
the nncc under test first on PATH. With --update, the blocks are rewritten instead of checked.

usage: check_guide.py [--update] NNCC_BIN_DIR CNN_MODEL GUIDE.md
"""

import os
import re
import subprocess
import sys
import tempfile

QUOTE = re.compile(r"<!-- \$ (?P<command>.+?) -->\n```text\n(?P<output>.*?)```\n", re.S)


def run(command, scratch, bin_dir):
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=scratch, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("error: `%s` failed (%d): %s" % (command, result.returncode, result.stderr.strip()))
    return result.stdout


def main():
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    if len(args) != 3:
        sys.exit(__doc__)
    bin_dir, model, guide = args
    with open(guide) as f:
        text = f.read()
    quotes = list(QUOTE.finditer(text))
    if not quotes:
        sys.exit("error: %s quotes no command output" % guide)
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        os.symlink(os.path.abspath(model), os.path.join(scratch, "cnn.nnmodel"))
        pieces, last = [], 0
        for quote in quotes:
            output = run(quote["command"], scratch, bin_dir)
            if output != quote["output"]:
                if not update:
                    failures += 1
                    print("error: %s: the output of `%s` changed; it is now:\n%s"
                          % (guide, quote["command"], output))
            pieces.append(text[last:quote.start("output")] + output)
            last = quote.end("output")
        pieces.append(text[last:])
    if update:
        with open(guide, "w") as f:
            f.write("".join(pieces))
        print("updated %d quoted outputs in %s" % (len(quotes), guide))
    elif failures:
        sys.exit(1)
    else:
        print("%d quoted outputs match" % len(quotes))


if __name__ == "__main__":
    main()
