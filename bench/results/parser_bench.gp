# gnuplot -e "data='parser_plot.tsv'; out='parser_bench'; title_text='...'" parser_bench.gp
# Clustered bars: ns per message for each request and response, one bar per parser.
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set ylabel "CPU ns per request or response (lower is better)"
set grid ytics
set yrange [0:*]
set title title_text noenhanced
cols = system("head -1 " . data . " | awk -F'\t' '{print NF}'")
do for [t in "svg pngcairo"] {
  if (t eq "svg") { set terminal svg size 1200,480 dynamic noenhanced font "sans,11"; set output out . ".svg" }
  else { set terminal pngcairo size 1200,480 noenhanced font "sans,10"; set output out . ".png" }
  set xtics rotate by -20
  plot for [i=2:cols] data using i:xtic(1) title columnheader(i) noenhanced
}
