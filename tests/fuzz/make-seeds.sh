#!/usr/bin/env bash
# Regenerate the seed corpora of tests/fuzz/corpus/ and the YAML dictionary
# tests/fuzz/yaml.dict (docs/testing.md, "Fuzzing"). Run by hand when the
# formats change, then commit the result; `make fuzz` only reads them.
#
# Usage: tests/fuzz/make-seeds.sh [BUZZSIM]   (default: build/buzzsim; `make build` first)
#
#   corpus/experiment/   configs/*.yaml, the YAML of tests/unit/*.c string literals,
#                        the CLI tests' small experiment, #@set / #@arms examples
#   corpus/sweep/        sweeps with inline bases (the harness has no files to point at)
#   corpus/edgelist/     option byte + edge-list text: slices of
#                        tests/data/facebook_combined.txt.gz and hand-made variants
#   corpus/edgelist_gz/  gzip files of slices (one and two members)
#   corpus/h5/           small results, network and sweep files written by BUZZSIM
#                        (every file < 200 KB)
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD
BZ=$(realpath "${1:-build/buzzsim}")
[ -x "$BZ" ] || { echo "no buzzsim at $BZ (make build)" >&2; exit 1; }
C=tests/fuzz/corpus
rm -rf "$C"
mkdir -p $C/experiment $C/sweep $C/edgelist $C/edgelist_gz $C/h5
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export BUZZSIM_NO_MEMORY_CHECK=1

# ---- experiments
for f in configs/*.yaml; do
  grep -q '^axes:' "$f" || cp "$f" "$C/experiment/$(basename "$f")"
done
python3 - "$C" tests/unit/*.c <<'PY'
# Runs of adjacent C string literals in the unit tests that look like YAML
# documents: experiments, or sweeps when they have a top-level axes: key.
import hashlib, re, sys
out = sys.argv[1]
lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
def unescape(s):
    return s.encode('latin-1', 'backslashreplace').decode('unicode_escape')
for path in sys.argv[2:]:
    src = open(path, encoding='utf-8').read()
    pos, runs = 0, []
    while True:
        m = lit.search(src, pos)
        if not m:
            break
        run, end = [m.group(1)], m.end()
        while True:
            gap = re.match(r'\s*', src[end:]).end()
            n = lit.match(src, end + gap)
            if not n:
                break
            run.append(n.group(1))
            end = n.end()
        runs.append(''.join(unescape(x) for x in run))
        pos = end
    for text in runs:
        if text.count('\n') < 2 or ': ' not in text:
            continue
        kind = 'sweep' if re.search(r'^axes:', text, re.M) and 'base:' in text else 'experiment'
        if kind == 'experiment' and not re.search(r'^(diffusion|population|arms|network|time):',
                                                  text, re.M):
            continue
        h = hashlib.sha1(text.encode()).hexdigest()[:10]
        open(f'{out}/{kind}/unit-{h}.yaml', 'w').write(text)
PY
cat >$C/experiment/small.yaml <<'YAML'
name: small
seed: 5
time: { step: 6h, horizon: 10d }
replicates: 3
population: { agents: 2000, cities: 4 }
network:
  layers:
    - { name: follow, directed: true, generator: { model: barabasi_albert, m: 3 } }
    - { name: friends, directed: false, generator: { model: erdos_renyi, mean_degree: 6 } }
diffusion: { model: bass, p: 0.01, q: 0.4 }
arms:
  baseline: []
  ads: [ { campaign: advertising, at: 1d, duration: 3d, reach: 0.2 } ]
  kol: [ { campaign: kol_seeding, count: 5, layer: follow } ]
YAML
{ printf '#@set diffusion.q=0.2\n#@set population.agents=500\n#@arms kol,baseline\n'
  cat $C/experiment/small.yaml; } >$C/experiment/directives.yaml
{ printf '#@set arms.ads.0.reach=0.5\n#@set network.layers.1.generator.model=watts_strogatz\n'
  printf '#@set network.layers.1.generator.k=4\n#@arms ads\n'
  cat $C/experiment/small.yaml; } >$C/experiment/directives2.yaml
cat >$C/experiment/edge_list.yaml <<'YAML'
name: el
time: { step: 1d, horizon: 5d }
population: { agents: 0, cities: 2, city_sizes: { table: [ { name: a, share: 2 }, { name: b, share: 1 } ] } }
network:
  layers:
    - { name: fb, generator: { model: edge_list, path: edges.txt, comment: '%', weights: error } }
diffusion: { model: independent_cascade }
arms:
  baseline: []
YAML

# ---- sweeps (inline bases)
{ sed -n '/^name:/,/^base:/p' configs/sweep_demo.yaml | sed '$d'
  echo 'base:'
  grep -v '^#' configs/bass.yaml | sed 's/^/  /'
  sed -n '/^axes:/,$p' configs/sweep_demo.yaml; } >$C/sweep/sweep_demo_inline.yaml
cat >$C/sweep/grid.yaml <<'YAML'
name: grid
base:
  name: tinyb
  seed: 5
  time: { step: 1d, horizon: 4d }
  replicates: 2
  population: { agents: 150, cities: 2 }
  network:
    layers:
      - { name: f, generator: { model: erdos_renyi, mean_degree: 4 } }
  diffusion: { model: bass, p: 0.02, q: 0.3 }
  arms:
    baseline: []
    ads:
      - { campaign: advertising, at: 0d, duration: 2d, reach: 0.1, cpm: 20 }
axes:
  - { key: diffusion.q, values: [0.1, 0.5] }
  - { key: diffusion.p, range: [0.01, 0.04], scale: log, levels: 2 }
  - { key: arms.ads.0.reach, values: [0.1, 0.2], tie: t }
  - { key: arms.ads.0.cpm, values: [10, 30], tie: t }
replicates: 2
seed: 3
outcomes: [final_adopters, peak_time]
keep_series: true
YAML
cat >$C/sweep/sobol.yaml <<'YAML'
name: sob
base:
  time: { step: 1d, horizon: 3d }
  replicates: 1
  population: { agents: 100 }
  network:
    layers:
      - { name: f, generator: { model: erdos_renyi, mean_degree: 3 } }
  diffusion: { model: bass, p: 0.02, q: 0.3 }
  arms:
    baseline: []
axes:
  - { key: diffusion.q, dist: uniform, params: [0.1, 0.5] }
  - { key: diffusion.p, range: [0.01, 0.04], scale: log }
  - { key: population.agents, dist: uniform, params: [80, 120], integer: true }
design: { kind: sobol, samples: 4 }
YAML
cat >$C/sweep/words.yaml <<'YAML'
name: words
base:
  time: { step: 1d, horizon: 3d }
  replicates: 2
  population: { agents: 100 }
  network:
    layers:
      - { name: f, generator: { model: erdos_renyi, mean_degree: 3 } }
  diffusion: { model: bass, p: 0.02, q: 0.3 }
  arms:
    baseline: []
    kol:
      - { campaign: kol_seeding, at: 0d, count: 5, strategy: degree, layer: f, reach: 0.3 }
axes:
  - { key: arms.kol.0.strategy, values: [degree, random, pagerank] }
  - { key: diffusion.q, range: [0.1, 0.5] }
  - { key: diffusion.p, dist: beta, params: [2, 50] }
  - { key: population.agents, dist: lognormal, params: [4.6, 0.2], integer: true }
design: { kind: lhs, samples: 3 }
arms: [kol]
YAML
# tests/unit/test_sweep.c's HEAD + BASE + AXES.
python3 - tests/unit/test_sweep.c >$C/sweep/unit_tiny.yaml <<'PY'
import re, sys
src = open(sys.argv[1]).read()
def const(name):
    body = re.search(r'static const char %s\[\] = (.*?);' % name, src, re.S).group(1)
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', body)).encode().decode('unicode_escape')
sys.stdout.write(const('HEAD') + const('BASE') + const('AXES'))
PY
cat >$C/sweep/file_base.yaml <<'YAML'
name: fb
base: base.yaml
axes:
  - { key: diffusion.q, values: [0.2, 0.5, 0.9] }
replicates: 2
seed: 11
YAML

# ---- edge lists: one option byte (fuzz_edgelist.c), then the text
zcat tests/data/facebook_combined.txt.gz >$T/fb.txt
sed -n '1,300p' $T/fb.txt >$T/head.txt
sed -n '60000,60200p' $T/fb.txt >$T/mid.txt
el() { { printf "\\x$(printf %02x "$1")"; cat; } >"$C/edgelist/$2"; }
el 0 head <$T/head.txt
el 8 mid_two_members <$T/mid.txt
el $((8 | 7 << 4)) head_cut7 <$T/head.txt
el 0 snap_header <<'EOF'
# Directed graph (each unordered pair of nodes is saved once): Wiki-Vote.txt
# Nodes: 7115 Edges: 103689
# FromNodeId	ToNodeId
30	1412
30	3352
3	28
EOF
el 1 weights_rejected <<'EOF'
0 1 0.5
1 2
EOF
el 0 weights_csv <<'EOF'
0,1,0.5
1, 2 ,1e-3
2	3	-4
5 6 # a comment after a data line
EOF
printf '0 1\r\n1 2\r\n\r\n2 0\r\n' | el 0 crlf
el 2 percent_comments <<'EOF'
% a MatrixMarket-style comment
1 2
% 3 4
5 9223372036854775807
EOF
el 4 sparse_ids <<'EOF'
; semicolon comments
1000000000000 1
7 99999999999
18446744073709551615 3
EOF
el 6 slash_comments <<'EOF'
/ slash comment
0 0
0 0
4000000 1
EOF
printf '0 1\n2' | el 0 no_final_newline
printf '\n\n   \n\t\n' | el 0 blank_only
printf '\x1f\x8b0 1\n' | el 0 magic_text

# ---- gzip files
gzip -9 -n -c $T/head.txt >$C/edgelist_gz/head.gz
gzip -9 -n -c $T/mid.txt >$C/edgelist_gz/mid.gz
{ gzip -1 -n -c $T/head.txt; gzip -6 -n -c $T/mid.txt; } >$C/edgelist_gz/two_members.gz
{ printf '# header comment\n'; sed -n '1,40p' $T/fb.txt; } | gzip -9 -c >$C/edgelist_gz/named.gz
printf '0 1\n1 2\n' >$T/tiny.txt
gzip -9 -n -c $T/tiny.txt >$C/edgelist_gz/tiny.gz
cp $T/tiny.txt $C/edgelist_gz/plain.txt

# ---- HDF5 files written by buzzsim
cat >$T/tiny.yaml <<'YAML'
name: tiny
seed: 7
time: { step: 1d, horizon: 4d }
replicates: 2
population: { agents: 300, cities: 3, city_sizes: { zipf: 1.0 } }
network:
  layers:
    - { name: weibo, directed: true, share: 0.05,
        generator: { model: chung_lu, mean_degree: 6, out_exponent: 2.2, in_exponent: 3.0 } }
diffusion: { model: buzz_funnel, seeds: 5, interest: 0.05, buy: 0.3 }
market: { price: 1999, value: 2500, unit_cost: 1500, availability: flash_only }
arms:
  baseline:
    - { campaign: flash_sale, at: 1d, duration: 10m, stock: 40, repeat: 2, every: 1d, cost: 50 }
  combined:
    - { campaign: flash_sale, at: 1d, duration: 10m, stock: 40, repeat: 2, every: 1d, cost: 50,
        discount: 0.2, announce: 12h, announce_reach: 0.1, urgency: 2, news_reach: 0.3 }
    - { campaign: kol_seeding, at: 1d, count: 5, strategy: pagerank, layer: weibo, reach: 0.3 }
attribution: { combined: shapley }
YAML
( cd $T
  # One arm as buzzsim writes it (chunked, deflate); two arms (attribution,
  # comparison) repacked contiguous to stay small; a network file.
  "$BZ" run tiny.yaml --arms baseline -o run_1arm.h5 -q
  "$BZ" run tiny.yaml -o run_2arm.h5 -q
  h5repack -l CONTI run_2arm.h5 run_2arm_contiguous.h5
  "$BZ" graph tiny.yaml --stats -o network.h5 >/dev/null
  for s in grid sobol words; do
    cp "$SRC/$C/sweep/$s.yaml" sweep_$s.yaml
    "$BZ" sweep sweep_$s.yaml -o sweep_$s.h5 -q
  done
  "$BZ" sweep sweep_grid.yaml -o sweep_shard.h5 --shard 1/3 -q )
cp $T/run_1arm.h5 $T/run_2arm_contiguous.h5 $T/network.h5 $T/sweep_grid.h5 $T/sweep_sobol.h5 \
  $T/sweep_words.h5 $T/sweep_shard.1-of-3.h5 $C/h5/
for f in $C/h5/*.h5; do
  [ "$(stat -c %s "$f")" -lt 200000 ] || { echo "$f is 200 KB or more" >&2; exit 1; }
done

# ---- dictionary: YAML syntax, units, and every key and name buzzsim knows
{
  echo '# YAML syntax, durations and the names of docs/config.md (make-seeds.sh)'
  cat <<'DICT'
": "
"- "
"{ "
" }"
"["
"]"
", "
"#"
"&a "
"*a"
"!!str "
"!!int "
"---"
"..."
"'"
"\""
"|"
">"
"~"
"null"
"true"
"false"
"yes"
"no"
"inf"
"nan"
".inf"
"-.inf"
"1d"
"12h"
"10m"
"30s"
"1w"
"1e-3"
"0.5"
"1e308"
"-1"
"4294967295"
"18446744073709551616"
"0x10"
"1_000"
"\x0a  "
"\x0a    - "
DICT
  "$BZ" models | awk '/^[a-z]/ && NF == 2 { print $2 } /^  [a-z_]+ .* default / { print $1 }'
  for k in name seed time step horizon replicates population agents cities city_sizes zipf \
           table share attributes activity susceptibility threshold willingness dist network \
           layers directed generator model resample persuasion conversion attention feed \
           diffusion market price availability always flash_only from stock value unit_cost \
           fixed_cost patience local arms baseline campaign attribution none shapley \
           leave_one_out output file top all base axes key values range scale log linear \
           levels params tie integer design kind grid lhs sobol samples outcomes keep_series \
           uniform normal lognormal beta constant final_adopters peak_time; do
    echo "$k"
  done
} | awk '!seen[$0]++ { if ($0 ~ /^#/ || $0 ~ /^"/) print; else printf "\"%s\"\n", $0 }' \
  >tests/fuzz/yaml.dict
echo "corpus: $(find $C -type f | wc -l) files, $(du -sh $C | cut -f1); dictionary: $(grep -c '^"' tests/fuzz/yaml.dict) entries"
