#!/usr/bin/env bash
# Every arrow points down: a source file may include headers of its own
# layer or of a lower one, never of a higher one. The layers, lowest first:
#   rng -> base -> graph -> engine -> models -> config -> io -> sweep -> optimize -> cli
# (models/ holds networks, diffusion models and campaigns; a file's layer is
# its directory). Fails naming the file, the line and the header.
. "$(dirname "$0")/lib.sh"
rank() {
  case "$1" in
    rng) echo 0 ;; base) echo 1 ;; graph) echo 2 ;; engine) echo 3 ;;
    models | networks | diffusion | campaigns) echo 4 ;;
    config) echo 5 ;; io) echo 6 ;; sweep) echo 7 ;; optimize) echo 8 ;; cli) echo 9 ;;
    *) echo -1 ;;
  esac
}
files=0
up=0
while IFS= read -r f; do
  files=$((files + 1))
  rel=${f#"$SRC"/}
  case "$rel" in
    src/*) own=$(echo "$rel" | cut -d/ -f2) ;;
    models/*) own=models ;;
  esac
  mine=$(rank "$own")
  while IFS=: read -r line inc; do
    dir=${inc%%/*}
    [ "$dir" = "$inc" ] && continue # a sibling header ("contagion.h")
    theirs=$(rank "$dir")
    if [ "$theirs" -lt 0 ]; then
      bad "$rel:$line: includes \"$inc\": not a layer of the tree"
      up=$((up + 1))
    elif [ "$theirs" -gt "$mine" ]; then
      bad "$rel:$line: layer $own includes \"$inc\" of the higher layer $dir"
      up=$((up + 1))
    fi
  done < <(grep -n '^#include "' "$f" | sed 's/^\([0-9]*\):#include "\([^"]*\)".*/\1:\2/')
done < <(find "$SRC/src" "$SRC/models" -name '*.[ch]' | sort)
[ "$files" -gt 50 ] || bad "only $files source files found under $SRC/src and $SRC/models"
[ "$up" -eq 0 ] && ok "$files source files: every include points to the same or a lower layer"
finish
