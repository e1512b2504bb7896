#!/usr/bin/env bash
# Regenerate the generated parts of docs/ from the code's tables (what
# tests/cli/test_docs.sh checks):
#   docs/reference.md      `buzzsim models --markdown` after its 6-line preamble
#   every block between "<!-- generated: config-table NAME -->" or
#   "<!-- generated: sweep-table NAME -->" and "<!-- end of generated -->"
#   in docs/*.md           that block of `buzzsim models --config-tables`
#   every block after "<!-- generated: buzzsim models ARGS -->" in docs/*.md
#                          the output of `buzzsim models ARGS` (outputs, levers)
#   README.md              the command list of `buzzsim --help`
# Usage: scripts/update-docs.sh [path/to/buzzsim]   (default: build/buzzsim)
set -euo pipefail
cd "$(dirname "$0")/.."
BZ=${1:-build/buzzsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ head -n 6 docs/reference.md; "$BZ" models --markdown; } >"$tmp/reference.md"
mv "$tmp/reference.md" docs/reference.md
"$BZ" models --config-tables >"$tmp/tables.md"
"$BZ" --help | sed -n '/^usage:$/,/^$/p' | sed '1d;$d' >"$tmp/listing"
/usr/bin/python3 - "$tmp/listing" README.md <<'PY'
import re, sys
listing, path = open(sys.argv[1]).read(), sys.argv[2]
text = open(path).read()
new = re.sub(r"^(<!-- generated: buzzsim --help -->\n```\n).*?(^```\n<!-- end of generated -->$)",
             lambda m: m.group(1) + listing + m.group(2), text, flags=re.M | re.S)
if new != text:
    open(path, "w").write(new)
    print(f"updated {path}")
PY
/usr/bin/python3 - "$BZ" "$tmp/tables.md" docs/*.md <<'PY'
import re, subprocess, sys
block = re.compile(r"^<!-- generated: ((?:config|sweep)-table \S+|buzzsim models [^>]*?) -->\n(.*?)"
                   r"^<!-- end of generated -->$", re.M | re.S)
tables = {m.group(1): m.group(2) for m in block.finditer(open(sys.argv[2]).read())}
for path in sys.argv[3:]:
    text = open(path).read()
    def fresh(m):
        name = m.group(1)
        if name.startswith("buzzsim models "):  # that command's output
            body = subprocess.run([sys.argv[1]] + name.split()[1:], check=True,
                                  capture_output=True, text=True).stdout
        elif name in tables:
            body = tables[name]
        else:
            sys.exit(f"{path}: no generated block '{name}' (buzzsim models --config-tables)")
        return f"<!-- generated: {name} -->\n{body}<!-- end of generated -->"
    new = block.sub(fresh, text)
    if new != text:
        open(path, "w").write(new)
        print(f"updated {path}")
PY
