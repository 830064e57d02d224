# gnuplot -e "data='server_plot.tsv'; out='server_bench'; title_text='...'" server_bench.gp
# Clustered bars: median requests/s per scenario, one bar per server, min-max error bars.
set datafile separator "\t"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set ylabel "requests/s (median, min-max)"
set grid ytics
set yrange [0:*]
set format y "%.0s%c"
set title title_text noenhanced
cols = system("head -1 " . data . " | awk -F'\t' '{print NF}'")
do for [t in "svg pngcairo"] {
  if (t eq "svg") { set terminal svg size 900,480 dynamic noenhanced font "sans,11"; set output out . ".svg" }
  else { set terminal pngcairo size 900,480 noenhanced font "sans,10"; set output out . ".png" }
  plot for [i=2:cols:3] data using i:i+1:i+2:xtic(1) title columnheader(i) noenhanced
}
