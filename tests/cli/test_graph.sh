#!/usr/bin/env bash
# buzzsim graph: statistics of a real network, edge lists that read back to
# the identical layer, the memory estimate and its refusal, argument errors.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
# The shipped copy is gzip-compressed; a plain copy tests the plain path.
FB=$TMP/facebook_combined.txt
gzip -dc "$SRC/tests/data/facebook_combined.txt.gz" >"$FB" || { bad "missing tests/data"; finish; exit 1; }
cat >fb.yaml <<YAML
name: fb
time: { step: 1d, horizon: 5d }
network: { layers: [ { name: friends, generator: { model: edge_list, path: $FB } } ] }
diffusion: { model: sir }
YAML
$BZ graph fb.yaml --stats -o fb.h5 >fb.txt 2>&1 || bad "graph --stats failed: $(cat fb.txt)"
grep -q "agents 4,039, edges 88,234" fb.txt && ok "ego-Facebook: 4039 agents, 88234 edges" \
  || bad "sizes: $(cat fb.txt)"
grep -q "components 1, largest 4,039" fb.txt && ok "one component" || bad "components"
grep -q "average local 0.6055" fb.txt && ok "average clustering 0.6055 (SNAP)" || bad "clustering"
grep -q "max k-core 115" fb.txt && ok "max k-core 115" || bad "k-core"
h5dump -a /network/friends/max_core fb.h5 | grep -q "115" && ok "stats stored in HDF5" \
  || bad "HDF5 stats"
$BZ export fb.h5 /network/friends/core_histogram >cores.tsv && [ "$(grep -vc '^#' cores.tsv)" -eq 116 ] \
  && ok "core histogram exported" || bad "core histogram"

$BZ info fb.h5 | grep -q "friends: edge_list, undirected, 4,039 agents" && ok "info on a network file" \
  || bad "info on a network file"
if command -v gnuplot >/dev/null; then
  $BZ plot fb.h5 --outdir fbplots >/dev/null && [ -s fbplots/network.png ] \
    && ok "plot of a network file: degree distribution" || bad "plot of a network file"
fi

# The same network gzip-compressed, and again with too little address space
# for libdeflate's output reservation (225 MB here): zlib takes over.
gzip -c "$FB" >fb.txt.gz
sed "s#path: $FB#path: fb.txt.gz#" fb.yaml >fbgz.yaml
$BZ graph fbgz.yaml >fbgz.txt 2>&1 && grep -q "agents 4,039, edges 88,234" fbgz.txt \
  && ok "gzip-compressed ego-Facebook" || bad "gzip: $(cat fbgz.txt)"
if ldd "$BZ" 2>/dev/null | grep -q libasan; then
  ok "gzip through zlib: skipped under AddressSanitizer (it needs terabytes of address space)"
else
  (ulimit -v 100000; $BZ graph fbgz.yaml >fbz.txt 2>&1) && grep -q "agents 4,039, edges 88,234" fbz.txt \
    && ok "gzip through zlib when address space is short" || bad "zlib fallback: $(cat fbz.txt)"
fi

# Bad network input: each exits 2 with one line, naming what and where.
net() { # net NAME GENERATOR-FLOW-MAP [directed]
  cat >"$1.yaml" <<YAML
time: { step: 1d, horizon: 5d }
population: { agents: 1000 }
network: { layers: [ { name: g, directed: ${3:-false}, generator: $2 } ] }
diffusion: { model: sir }
YAML
}
net cl2 "{ model: chung_lu, exponent: 2 }"
expect_fail "chung_lu exponent 2" 2 "exponent.*2" $BZ graph cl2.yaml
net er "{ model: erdos_renyi, mean_degree: 1500 }"
expect_fail "mean degree above n - 1" 2 "mean_degree.*1500" $BZ graph er.yaml
printf '0 1\n1 2.5\n' >frac.txt
net frac "{ model: edge_list, path: frac.txt }"
expect_fail "non-integer id" 2 "frac.txt:2" $BZ graph frac.yaml
head -c 20000 "$FB" | gzip -c >trunc.gz.full
head -c 3000 trunc.gz.full >trunc.gz
net trunc "{ model: edge_list, path: trunc.gz }"
expect_fail "truncated gzip" 2 "trunc.gz.*(truncated|corrupt)" $BZ graph trunc.yaml

# Save a generated directed layer, load it back, save again: identical files.
cat >ba.yaml <<YAML
name: ba
seed: 3
time: { step: 1d, horizon: 5d }
population: { agents: 5000 }
network:
  layers:
    - { name: follow, directed: true, generator: { model: barabasi_albert, m: 4 } }
    - { name: friends, generator: { model: watts_strogatz, k: 6, beta: 0.2 } }
diffusion: { model: sir }
YAML
$BZ graph ba.yaml --save-edges follow.txt --layer follow >/dev/null || bad "save-edges"
cat >back.yaml <<YAML
name: back
time: { step: 1d, horizon: 5d }
population: { agents: 5000 }
network: { layers: [ { name: follow, directed: true, generator: { model: edge_list, path: follow.txt } } ] }
diffusion: { model: sir }
YAML
$BZ graph back.yaml --save-edges again.txt >/dev/null || bad "reload"
cmp -s <(grep -v '^#' follow.txt) <(grep -v '^#' again.txt) \
  && ok "saved edge list reads back to the identical layer" || bad "edge lists differ"

# Memory estimate and refusal.
$BZ graph ba.yaml --dry-run | grep -q "total (peak)" && ok "--dry-run prints the estimate" \
  || bad "dry-run"
cat >huge.yaml <<YAML
time: { step: 1d, horizon: 5d }
population: { agents: 3000000000 }
network: { layers: [ { name: g, generator: { model: erdos_renyi, mean_degree: 20 } } ] }
diffusion: { model: sir }
YAML
expect_fail "too big for memory (run)" 2 "needs about .* GiB .* available" $BZ run huge.yaml -o huge.h5
expect_fail "too big for memory (graph)" 2 "needs about" $BZ graph huge.yaml
[ ! -e huge.h5 ] && ok "no output for a refused run" || bad "output left"
expect_fail "several layers need --layer" 2 "name one with --layer" $BZ graph ba.yaml --save-edges x.txt
expect_fail "--layer alone" 2 "--layer goes with --save-edges" $BZ graph ba.yaml --layer follow
expect_fail "unknown layer" 2 "no layer named 'nope'" $BZ graph ba.yaml --save-edges x.txt --layer nope
expect_fail "existing stats file" 2 "exists" $BZ graph fb.yaml --stats -o fb.h5
finish
