#!/usr/bin/env bash
# Bad input exits 2 with one line naming what and where, and creates no output.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
small_experiment good.yaml

# Each case: a config that differs from good.yaml in one place.
sed 's/seed: 5/seed: 5\nsneed: 3/' good.yaml >unknown_key.yaml
expect_fail "unknown key" 2 "unknown_key.yaml:[0-9]+:[0-9]+: sneed" $BZ run unknown_key.yaml -o o1.h5
sed 's/reach: 0.2 }/reach: 0.2, cities: all }/; s/q: 0.4/q: 0.4, response: 1.5/' good.yaml >prob.yaml
expect_fail "probability 1.5" 2 "prob.yaml:[0-9]+:[0-9]+: diffusion.response: .*1.5" $BZ run prob.yaml -o o2.h5
sed 's/count: 5/count: -3/' good.yaml >neg.yaml
expect_fail "negative count" 2 "neg.yaml:[0-9]+:[0-9]+: arms.kol.0.count: .*-3" $BZ run neg.yaml -o o3.h5
expect_fail "missing file" 2 "nope.yaml" $BZ run nope.yaml -o o4.h5
printf 'name: x\nseed: [1, 2\n' >malformed.yaml
expect_fail "malformed YAML" 2 "malformed.yaml:[0-9]+:[0-9]+: .*YAML" $BZ run malformed.yaml -o o5.h5
sed 's/model: bass/model: basss/' good.yaml >model.yaml
expect_fail "unknown model" 2 "model.yaml:[0-9]+:[0-9]+: diffusion.model: .*basss" $BZ run model.yaml -o o6.h5
sed 's/campaign: advertising/campaign: adverts/' good.yaml >campaign.yaml
expect_fail "unknown campaign" 2 "campaign.yaml:[0-9]+:[0-9]+: arms.ads.0.campaign: .*adverts" $BZ run campaign.yaml -o o7.h5
sed 's/model: erdos_renyi, mean_degree: 6/model: erdos_rennyi/' good.yaml >gen.yaml
expect_fail "unknown generator" 2 "gen.yaml:[0-9]+:[0-9]+: network.layers.1.generator.model: .*erdos_rennyi" $BZ run gen.yaml -o o8.h5
printf '# edges\n0 1\n1 2\n2 x3\n' >edges.txt
cat >edges.yaml <<YAML
name: edges
time: { step: 1d, horizon: 5d }
network: { layers: [ { name: g, generator: { model: edge_list, path: edges.txt } } ] }
diffusion: { model: sir }
YAML
expect_fail "malformed edge-list line" 2 "edges.txt:4" $BZ run edges.yaml -o o9.h5
expect_fail "--set unknown key" 2 "--set diffusion.qq" $BZ run good.yaml --set diffusion.qq=0.3 -o o10.h5
expect_fail "--set bad value" 2 "--set diffusion.q: .*abc" $BZ run good.yaml --set diffusion.q=abc -o o11.h5
expect_fail "bad --replicates" 2 "replicates" $BZ run good.yaml --replicates 0 -o o12.h5
expect_fail "unknown option" 2 "unknown option" $BZ run good.yaml --frobnicate
expect_fail "unknown arm" 2 "nosuch" $BZ run good.yaml --arms baseline,nosuch -o o13.h5
expect_fail "unknown command" 2 "unknown command" $BZ frobnicate
# Money and the market (the good experiment plus one market line).
small_experiment money.yaml "market: { price: 1999, value: 2500, unit_cost: -5 }"
expect_fail "negative unit cost" 2 "money.yaml:[0-9]+:[0-9]+: market.unit_cost: .*-5" \
  $BZ run money.yaml -o o14.h5
small_experiment price.yaml "market: { price: 0, value: 2500 }"
expect_fail "price 0" 2 "price.yaml:[0-9]+:[0-9]+: market.price: expected a price > 0, got '0'" \
  $BZ run price.yaml -o o15.h5
small_experiment local.yaml "market: { price: 1999, local: [ { cities: [1], price: -1, value: 800 } ] }"
expect_fail "local price < 0" 2 "local.yaml:[0-9]+:[0-9]+: market.local.0.price: .*-1" \
  $BZ run local.yaml -o o16.h5
small_experiment spread.yaml "market: { price: 1999, value: 2500 }"
sed -i 's/cities: 4 }/cities: 4, attributes: { willingness: { dist: lognormal, meanlog: 0, sdlog: 0 } } }/' spread.yaml
expect_fail "willingness spread 0" 2 "spread.yaml:[0-9]+:[0-9]+: population.attributes.willingness: .*spread > 0" \
  $BZ run spread.yaml -o o17.h5
small_experiment patience.yaml "market: { price: 1999, patience: -0.1 }"
expect_fail "negative patience" 2 "patience.yaml:[0-9]+:[0-9]+: market.patience: .*-0.1" \
  $BZ run patience.yaml -o o18.h5
# IMM's eps outside (0, 1) and ell <= 0 (kol_seeding strategy greedy).
sed 's/count: 5, layer: follow/count: 5, layer: follow, strategy: greedy, eps: 1/' good.yaml >eps.yaml
expect_fail "IMM eps 1" 2 "eps.yaml:[0-9]+:[0-9]+: arms.kol.0.eps: .*\(0, 1\).*1" $BZ run eps.yaml -o o30.h5
sed 's/count: 5, layer: follow/count: 5, layer: follow, strategy: greedy, eps: 0/' good.yaml >eps0.yaml
expect_fail "IMM eps 0" 2 "eps0.yaml:[0-9]+:[0-9]+: arms.kol.0.eps: .*\(0, 1\).*0" $BZ run eps0.yaml -o o31.h5
sed 's/count: 5, layer: follow/count: 5, layer: follow, strategy: greedy, ell: 0/' good.yaml >ell.yaml
expect_fail "IMM ell 0" 2 "ell.yaml:[0-9]+:[0-9]+: arms.kol.0.ell: .*> 0.*0" $BZ run ell.yaml -o o32.h5
sed 's/count: 5, layer: follow/count: 5, layer: follow, strategy: greedy, ell: -2/' good.yaml >elln.yaml
expect_fail "IMM ell -2" 2 "elln.yaml:[0-9]+:[0-9]+: arms.kol.0.ell: .*-2" $BZ run elln.yaml -o o33.h5
small_experiment shapley.yaml "attribution: shapley"
sed -i 's/kol: \[ { campaign: kol_seeding, count: 5, layer: follow } \]/kol: [ { campaign: kol_seeding, count: 5, layer: follow }, { campaign: advertising, at: 1d }, { campaign: advertising, at: 2d }, { campaign: advertising, at: 3d }, { campaign: advertising, at: 4d }, { campaign: advertising, at: 5d }, { campaign: advertising, at: 6d } ]/' shapley.yaml
expect_fail "shapley on 7 campaigns" 2 "shapley.yaml:[0-9]+:[0-9]+: attribution: shapley on arm 'kol' .* 7 campaigns .*at most 6: use leave_one_out" \
  $BZ run shapley.yaml -o o19.h5

# A partner's audience share outside (0, 1].
small_experiment part0.yaml "  part: [ { campaign: partnership, share: 0, engage: 0 } ]"
expect_fail "partner audience share 0" 2 \
  "part0.yaml:[0-9]+:[0-9]+: arms.part.0.share: expected an audience share in \(0, 1\], got 0" \
  $BZ run part0.yaml -o o21.h5
small_experiment part15.yaml "  part: [ { campaign: partnership, share: 1.5, engage: 0 } ]"
expect_fail "partner audience share 1.5" 2 "part15.yaml:[0-9]+:[0-9]+: arms.part.0.share: .*1.5" \
  $BZ run part15.yaml -o o22.h5
small_experiment game.yaml "  game: [ { campaign: social_game, eligible: fans } ]"
expect_fail "social game on a model without sharing" 2 "game.yaml:[0-9]+:[0-9]+: arms.game.0: campaign .social_game. needs the boost lever" \
  $BZ run game.yaml -o o23.h5
# A campaign needing a lever the model does not honour (engine/levers.h):
# refused by validate and by run, at the campaign entry's line, naming the
# campaign, the lever and the models that honour it.
small_experiment lever.yaml
sed -i 's/diffusion: { model: bass, p: 0.01, q: 0.4 }/diffusion: { model: sir }/' lever.yaml
echo "  ref: [ { campaign: referral } ]" >>lever.yaml
line=$(grep -n "campaign: referral" lever.yaml | cut -d: -f1)
for cmd in validate run; do
  expect_fail "$cmd: referral under sir" 2 \
    "lever.yaml:$line:[0-9]+: arms.ref.0: campaign 'referral' needs the referral lever, which model 'sir' does not honour; models that do: buzz_funnel$" \
    $BZ $cmd lever.yaml $([ $cmd = run ] && echo "-o o31.h5")
done
small_experiment fest.yaml "  fest: [ { campaign: festival, at: 2d, layer: friends } ]"
line=$(grep -n "campaign: festival" fest.yaml | cut -d: -f1)
for cmd in validate run; do
  expect_fail "$cmd: festival under bass" 2 \
    "fest.yaml:$line:[0-9]+: arms.fest.0: campaign 'festival' needs the engage lever, which model 'bass' does not honour; models that do: buzz_funnel$" \
    $BZ $cmd fest.yaml $([ $cmd = run ] && echo "-o o32.h5")
done
# flash_sale uses urgency only with a lead time and a factor != 1: bass
# takes the sale, not the urgency (and sir not even the sale).
small_experiment urgent.yaml "  sale: [ { campaign: flash_sale, at: 2d, announce: 1d, urgency: 3 } ]" \
  "market: { availability: flash_only }"
sed -i 's/^arms:$/arms:\n  calm: [ { campaign: flash_sale, at: 2d, announce: 1d } ]/' urgent.yaml
line=$(grep -n "urgency: 3" urgent.yaml | cut -d: -f1)
for cmd in validate run; do
  expect_fail "$cmd: flash_sale urgency under bass" 2 \
    "urgent.yaml:$line:[0-9]+: arms.sale.0: campaign 'flash_sale' needs the urgency lever \(with urgency 3, announce 1d\), which model 'bass' does not honour; models that do: buzz_funnel$" \
    $BZ $cmd urgent.yaml $([ $cmd = run ] && echo "-o o33.h5")
done
sed -i '/urgency: 3/d' urgent.yaml
$BZ validate urgent.yaml >/dev/null && ok "flash_sale without urgency under bass is accepted" ||
  bad "flash_sale without urgency under bass refused: $($BZ validate urgent.yaml 2>&1)"
sed -i 's/diffusion: { model: bass, p: 0.01, q: 0.4 }/diffusion: { model: sir }/' urgent.yaml
expect_fail "validate: flash_sale under sir" 2 \
  "urgent.yaml:[0-9]+:[0-9]+: arms.calm.0: campaign 'flash_sale' needs the sale lever, which model 'sir' does not honour; models that do: bass, buzz_funnel$" \
  $BZ validate urgent.yaml

# A step larger than the horizon, and one so short that the series would
# not fit in any machine's memory (1 s over 10 days, 100000 replicates:
# petabytes): the error names time.step and the memory it would need.
sed 's/step: 6h, horizon: 10d/step: 11d, horizon: 10d/' good.yaml >bigstep.yaml
expect_fail "step above the horizon" 2 "bigstep.yaml:[0-9]+:[0-9]+: time.step: .*at most time.horizon" \
  $BZ run bigstep.yaml -o o19.h5
sed 's/step: 6h, horizon: 10d/step: 1s, horizon: 10d/; s/replicates: 3/replicates: 100000/' good.yaml >tinystep.yaml
expect_fail "step too short for memory" 2 \
  "tinystep.yaml:[0-9]+:[0-9]+: time.step: .*864001 samples.* need [0-9.]+ GiB, more than the [0-9.]+ GiB available" \
  $BZ run tinystep.yaml -o o20.h5

# None of the failures may leave an output or a partial file behind.
left=$(ls o*.h5* 2>/dev/null | wc -l)
[ "$left" -eq 0 ] && ok "no output files left by failed runs" || bad "left behind: $(ls o*.h5*)"

# An existing result is never overwritten without --force.
$BZ run good.yaml -o keep.h5 --quiet || bad "good run failed"
before=$(md5sum keep.h5)
# The channels' keys: bounds, and refused where the model does not read them.
sed 's/model: bass, p: 0.01, q: 0.4/model: buzz_funnel/; s/directed: false, generator/directed: false, persuasion: 1.5, generator/' good.yaml >persuade.yaml
expect_fail "persuasion 1.5" 2 "persuade.yaml:[0-9]+:[0-9]+: network.layers.1.persuasion: .*1.5" $BZ validate persuade.yaml
sed 's/model: bass, p: 0.01, q: 0.4/model: buzz_funnel/; s/directed: true, generator/directed: true, attention: -2, generator/' good.yaml >attention.yaml
expect_fail "negative attention" 2 "attention.yaml:[0-9]+:[0-9]+: network.layers.0.attention: .*-2" $BZ validate attention.yaml
sed 's/directed: false, generator/directed: false, conversion: 0.1, generator/' good.yaml >conv_bass.yaml
expect_fail "conversion under bass" 2 "conv_bass.yaml:[0-9]+:[0-9]+: network.layers.1.conversion: model 'bass' does not read.*buzz_funnel" $BZ run conv_bass.yaml -o o_conv.h5
# ambassador: a city that does not exist (population.cities = 4), a layer
# that does not exist; market.local: a negative unit cost other than -1.
small_experiment amb_city.yaml
sed -i 's/^  kol: .*/  amb: [ { campaign: ambassador, cities: [1, 7] } ]/' amb_city.yaml
expect_fail "ambassador city out of range" 2 "amb_city.yaml:[0-9]+:[0-9]+: arms.amb.0.cities: .*city index 7 out of range" \
  $BZ run amb_city.yaml -o oa1.h5
small_experiment amb_layer.yaml
sed -i 's/^  kol: .*/  amb: [ { campaign: ambassador, cities: [1], layer: nope } ]/' amb_layer.yaml
expect_fail "ambassador unknown layer" 2 "amb_layer.yaml:[0-9]+:[0-9]+: .*no layer named 'nope'" \
  $BZ run amb_layer.yaml -o oa2.h5
small_experiment local_cost.yaml "market: { price: 1999, local: [ { cities: [1], price: 900, value: 800, unit_cost: -2 } ] }"
expect_fail "local unit_cost -2" 2 "local_cost.yaml:[0-9]+:[0-9]+: market.local.0.unit_cost: .*-2" \
  $BZ run local_cost.yaml -o oa3.h5
expect_fail "existing output" 2 "keep.h5.*--force" $BZ run good.yaml -o keep.h5 --quiet
[ "$(md5sum keep.h5)" = "$before" ] && ok "existing file untouched" || bad "existing file changed"
$BZ run good.yaml -o keep.h5 --quiet --force --seed 9 && ok "--force overwrites" || bad "--force failed"
[ ! -e keep.h5.partial ] && ok "no partial file" || bad "partial file left"
finish
