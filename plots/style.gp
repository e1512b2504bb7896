# Shared look and helpers of the buzzsim figures; every plots/*.gp script
# loads it first. `buzzsim plot` sets these variables with gnuplot -e:
#   file      results file (HDF5)            outdir   where figures go
#   fmt       png | svg | pdf                buzzsim  the buzzsim executable
#   plotsdir  this directory
# By hand:  gnuplot -e "file='out.h5'; plotsdir='plots'" plots/adoption.gp
# Data come through pipes, '< buzzsim export FILE DATASET' (gnuplot cannot
# read HDF5), so nothing is written besides the figures.

if (!exists("file")) exit error "set file='results.h5' (buzzsim plot does this)"
if (!exists("fmt")) fmt = 'png'
if (!exists("outdir")) outdir = '.'
if (!exists("buzzsim")) buzzsim = 'buzzsim'

# ---- terminal (headless gnuplot-nox has no default: always set one) -------
set encoding utf8
if (fmt eq 'png') {
    set terminal pngcairo size 1200,750 enhanced font ",14" linewidth 1.4
} else { if (fmt eq 'svg') {
    set terminal svg size 1200,750 dynamic enhanced font "Helvetica,14" linewidth 1.4 background rgb 'white'
} else { if (fmt eq 'pdf') {
    set terminal pdfcairo size 8in,5in enhanced font ",11" linewidth 1.4
} else {
    exit error sprintf("fmt must be png, svg or pdf, got '%s'", fmt)
} } }

# A taller canvas for figures of three stacked panels (call before output).
bz_tall = 'if (fmt eq "png") { set terminal pngcairo size 1200,1100 enhanced font ",14" linewidth 1.4 } else { if (fmt eq "svg") { set terminal svg size 1200,1100 dynamic enhanced font "Helvetica,14" linewidth 1.4 background rgb "white" } else { set terminal pdfcairo size 8in,7.3in enhanced font ",11" linewidth 1.4 } }'

# ---- colour-blind-safe palette (Okabe & Ito 2008), one per arm ------------
# Yellow is last: it is the weakest on white.
# Types 9-16 repeat the colours dashed, so up to 16 arms stay distinct.
array bz_colours[8] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', \
                       '#E69F00', '#56B4E9', '#000000', '#C9B800']
do for [i=1:16] {
    bz_dash = i > 8 ? 2 : 1
    set linetype i lc rgb bz_colours[(i - 1) % 8 + 1] lw 2.5 pt 7 ps 1.2 dt bz_dash
    set style line i lc rgb bz_colours[(i - 1) % 8 + 1] lw 2.5 pt 7 ps 1.2 dt bz_dash
}
set linetype cycle 16

# ---- common look -----------------------------------------------------------
set border 3 back lc rgb '#444444'
set tics nomirror out scale 0.6 textcolor rgb '#222222'
set grid back lt 1 lc rgb '#e4e4e4' lw 1
set key top left Left reverse samplen 2.5 spacing 1.2 noenhanced
set key box lc rgb '#cccccc' opaque width 1
set style fill transparent solid 0.18 noborder
set title font ",16" noenhanced
set xlabel noenhanced
set ylabel noenhanced

# ---- helpers ---------------------------------------------------------------
# Shell-quote for the pipes (buzzsim plot refuses paths holding a ').
bz_q(s) = "'".s."'"
# Data source of a dataset, and the name lists (one name per line).
bz_src(ds) = sprintf("< %s export %s %s", bz_q(buzzsim), bz_q(file), bz_q(ds))
bz_names(what) = system(sprintf("%s export %s %s", bz_q(buzzsim), bz_q(file), what))
bz_out(name) = sprintf("%s/%s.%s", outdir, name, fmt)
# File name without directory, for captions.
bz_base(p) = (strstrt(p, "/") > 0) ? bz_base(p[strstrt(p, "/") + 1:]) : p

# Network files (buzzsim graph --stats) have no arms: buzzsim plot sets
# network_only and runs network.gp alone.
# Sweep files (buzzsim sweep) have no arms either: sweep_*.gp read /sweep;
# nor optimize files (buzzsim optimize): optimize_*.gp read /optimize.
if (!exists("network_only") && !exists("sweep") && !exists("optimize")) {
    arms = bz_names("arms")
    narms = words(arms)
    if (narms < 1) {
        exit error sprintf("no arms in %s (is it a buzzsim results file?)", file)
    }
}
# Scale for counts: plain up to 10,000, then thousands, then millions.
bz_scale(max) = max >= 1e6 ? 1e6 : (max >= 1e4 ? 1e3 : 1)
bz_unit(max) = max >= 1e6 ? " (millions)" : (max >= 1e4 ? " (thousands)" : "")

# Small grey caption in the bottom right corner: source file.
set label 99 sprintf("%s", bz_base(file)) at screen 0.995, screen 0.012 right \
    font ",10" textcolor rgb '#888888' noenhanced front

# Every script ends a figure with this: close it and report its path on
# standard output (buzzsim plot lists the figures it made).
set print '-'
