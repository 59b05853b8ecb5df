# Plots of bench/run's report (gnuplot; called with raw, out and conns set):
#   warm-latency.png  CDF of warm call latency per path, one panel per function and driver, 1 connection
#   burst.png         time until all N simultaneous cold starts answered, against N
present(f) = system("test -s '".f."' && echo 1 || echo 0") + 0
cdf(s, p) = raw."/warm-".s."-".p."-c1.cdf"

set terminal pngcairo size 1500,520 font "sans,10" linewidth 1.5
set output out."/warm-latency.png"
series = ""
do for [s in "process-exec process-java qemu-exec"] { if (present(cdf(s, "instance"))) { series = series." ".s } }
set multiplot layout 1, words(series) title "Warm call latency, one connection (wrk): cumulative distribution per path"
set logscale x
set xlabel "latency (ms, log scale)"
set ylabel "percentile"
set yrange [0:100]
set grid
set key bottom right
do for [s in series] {
  set title s
  plot cdf(s, "instance") using 2:1 with linespoints pt 7 ps 0.5 title "instance direct (floor)", \
       cdf(s, "agent") using 2:1 with linespoints pt 5 ps 0.5 title "through node agent", \
       cdf(s, "gateway") using 2:1 with linespoints pt 9 ps 0.5 title "through gateway"
}
unset multiplot

dat(s) = raw."/burst-".s.".dat"
set output out."/burst.png"
set terminal pngcairo size 1200,520 font "sans,10" linewidth 1.5
has_process = present(dat("process-hand"))
has_qemu = present(dat("qemu-boot-hand")) || present(dat("qemu-restore-agent"))
set multiplot layout 1, (has_process + has_qemu) title "Simultaneous cold starts: time until all N are answered (median of runs)"
unset logscale
set logscale x 2
set xlabel "N simultaneous cold starts"
set ylabel "seconds until all answered"
set yrange [0:*]
set key top left
if (has_process) {
  set title "process driver, exec sample"
  plot dat("process-hand") using 1:2 with linespoints pt 7 title "glue by hand (floor)", \
       dat("process-gateway") using 1:2 with linespoints pt 5 title "through the gateway"
}
if (has_qemu) {
  set title "qemu driver, exec sample"
  plot dat("qemu-boot-hand") using 1:2 with linespoints pt 7 title "raw QEMU boots by hand (floor)", \
       dat("qemu-boot-agent") using 1:2 with linespoints pt 5 title "boots through the agent", \
       dat("qemu-restore-hand") using 1:2 with linespoints pt 9 title "raw restores by hand", \
       dat("qemu-restore-agent") using 1:2 with linespoints pt 11 title "snapshot restores through the agent"
}
unset multiplot
