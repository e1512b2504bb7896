#!/usr/bin/env bash
# `buzzsim completion bash`: the script generated from the option tables
# parses, and completing COMP_WORDS/COMP_CWORD with its function gives the
# commands, each command's options, the words of choice options and
# positionals, and file names of the kind a file argument takes.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
$BZ completion bash >completion.bash 2>err && [ ! -s err ] && ok "completion bash: exit 0, nothing on stderr" ||
  bad "completion bash: $(head -3 err)"
bash -n completion.bash && ok "the script parses" || bad "the script does not parse"
expect_fail "completion zsh" 2 "^buzzsim completion: SHELL: expected bash, got 'zsh'" $BZ completion zsh
expect_fail "completion without a shell" 2 "^buzzsim completion: missing the shell" $BZ completion

mkdir -p files/sub
: >files/a.yaml
: >files/b.txt
: >files/r.h5
# complete WORDS...: what completing the last word gives, sorted, one line.
cat >complete.sh <<'SH'
. "$1"
shift
cd files
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_buzzsim
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
SH
# same NAME WANT WORDS...
same() {
  local name=$1 want=$2 got
  shift 2
  got=$(bash complete.sh "$TMP/completion.bash" "$@" 2>&1)
  [ "$got" = "$want" ] && ok "$name: '$got'" || bad "$name: got '$got', expected '$want'"
}
same "buzzsim ru<TAB>" "run" buzzsim ru
same "buzzsim <TAB> lists every command" \
  "$(echo $( (
    $BZ --help | sed -n 's/^  buzzsim \([a-z]*\) .*/\1/p'
    printf '%s\n' help --help --version
  ) | sort))" buzzsim ""
same "buzzsim run --thr<TAB>" "--threads" buzzsim run --thr
same "buzzsim export x.h5 y --format <TAB>" "csv tsv" buzzsim export x.h5 y --format ""
same "buzzsim export --format=c<TAB>" "csv" buzzsim export --format = c
same "buzzsim plot x.h5 -f <TAB>" "pdf png svg" buzzsim plot x.h5 -f ""
same "buzzsim graph x.yaml --stats=<TAB>" "basic full" buzzsim graph x.yaml --stats = ""
same "buzzsim run <TAB>: *.yaml and directories" "a.yaml sub" buzzsim run ""
same "buzzsim run x.yaml -o <TAB>: *.h5" "r.h5 sub" buzzsim run x.yaml -o ""
same "buzzsim run x.yaml --set k=v <TAB>: no second experiment" "" buzzsim run x.yaml --set k=v ""
same "buzzsim info <TAB>: *.h5" "r.h5 sub" buzzsim info ""
same "buzzsim export r.h5 <TAB>: a dataset, no file" "" buzzsim export r.h5 ""
same "buzzsim merge a.h5 b.h5 <TAB>: more shards" "r.h5 sub" buzzsim merge a.h5 b.h5 ""
same "buzzsim plot r.h5 --outdir <TAB>: directories" "sub" buzzsim plot r.h5 --outdir ""
same "buzzsim graph x.yaml --save-edges <TAB>: any file" "a.yaml b.txt r.h5 sub" buzzsim graph x.yaml --save-edges ""
same "buzzsim completion <TAB>" "bash" buzzsim completion ""
same "buzzsim sweep --re<TAB>" "--resume" buzzsim sweep --re
# Every option of every command's --help is offered after '-'.
$BZ --help | sed -n 's/^  buzzsim \([a-z]*\) .*/\1/p' >commands
while read -r cmd; do
  got=" $(bash complete.sh "$TMP/completion.bash" buzzsim "$cmd" -) "
  missing=
  for opt in $($BZ "$cmd" --help | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'); do
    case $got in *" $opt "*) ;; *) missing="$missing $opt" ;; esac
  done
  [ -z "$missing" ] && ok "buzzsim $cmd -<TAB> offers every option of its --help" ||
    bad "buzzsim $cmd -<TAB> lacks$missing:$got"
done <commands
finish
