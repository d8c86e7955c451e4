#!/bin/sh
# The benchmark of docs/PERFORMANCE.md. Not run by CI. Needs hyperfine
# (apt-get install hyperfine) and, for the pandas scripts, python3 with pandas, openpyxl, xlrd,
# odfpy and python-calamine (pip install pandas python-calamine pyarrow odfpy xlrd openpyxl).
#
#     sh bench/run.sh [WORK_DIR]          # sizes 1000 and 10000, plus 100000 for huizong and the floor
#
# Results: WORK_DIR/results/*.json (hyperfine) and WORK_DIR/results/memory.txt.
set -e
WORK=${1:-/tmp/huizong-bench}
RUNS=${RUNS:-5}
mkdir -p "$WORK/results" "$WORK/trash"
cargo build --release --bin huizong --example make_bench --example bench_floor
B=target/release
ARGS="--as-of 2021-11-20 --month 2021-10 -q"

cells() { # the number of cells of huizong's workbook, which the floor writes as many of
    python3 -c "
import sys, python_calamine as c
wb = c.CalamineWorkbook.from_path(sys.argv[1])
print(sum(sum(1 for v in row if v != '') for n in wb.sheet_names for row in wb.get_sheet_by_name(n).to_python()))" "$1"
}

# The previous output is moved aside before each run, outside the timed command (--prepare),
# and deleted only at the end. Deleting it just before the run would time ext4 rather than
# huizong: for about 30 s after many files are deleted, creating new files is ten to twenty times
# slower (the allocator avoids recently freed inodes), and huizong creates one reply file per
# submitter. The size-10000 round also times that case once, as "previous output just deleted".
ASIDE="for d in $WORK/o $WORK/f $WORK/p; do [ -e \$d ] && mv \$d $WORK/trash/\$(date +%s%N) || true; done"

for n in 1000 10000 100000; do
    D="$WORK/corpus-$n"
    [ -d "$D" ] || $B/examples/make_bench "$D" $n
    rm -rf "$WORK/out-$n" && $B/huizong run "$D" -o "$WORK/out-$n" $ARGS
    CELLS=$(cells "$(ls "$WORK/out-$n"/*.xlsx | head -1)")
    echo "$n forms: $(find "$D" -type f | wc -l) files, $(du -sm "$D" | cut -f1) MB, workbook $CELLS cells" >> "$WORK/results/corpus.txt"
    set -- --prepare "$ASIDE" \
        -n "huizong" "$B/huizong run $D -o $WORK/o $ARGS" \
        -n "floor" "$B/examples/bench_floor $D $WORK/f $CELLS"
    if [ $n -le 10000 ]; then
        set -- "$@" \
            -n "huizong, 1 thread" "env RAYON_NUM_THREADS=1 $B/huizong run $D -o $WORK/o $ARGS" \
            -n "pandas + openpyxl/xlrd/odf" "python3 bench/pandas_extract.py $D $WORK/p openpyxl" \
            -n "pandas + calamine" "python3 bench/pandas_extract.py $D $WORK/p calamine"
    fi
    hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/results/$n.json" "$@"
    if [ $n -eq 10000 ]; then
        hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/results/$n-deleted.json" \
            --prepare "rm -rf $WORK/o && $B/huizong run $D -o $WORK/o $ARGS && rm -rf $WORK/o" \
            -n "huizong, previous output just deleted" "$B/huizong run $D -o $WORK/o $ARGS"
    fi
    rm -rf "$WORK/m" "$WORK/trash"/*
    /usr/bin/time -f "$n forms: huizong peak %M KB, %e s" $B/huizong run "$D" -o "$WORK/m" $ARGS 2>> "$WORK/results/memory.txt"
    /usr/bin/time -f "$n forms: floor peak %M KB, %e s" $B/examples/bench_floor "$D" "$WORK/f" $CELLS 2>> "$WORK/results/memory.txt" > /dev/null
done
mkdir -p "$WORK/empty"
hyperfine --style basic --warmup 3 --runs 20 --export-json "$WORK/results/empty.json" \
    -n "huizong --version" "$B/huizong --version" \
    -n "huizong run, empty folder" "$B/huizong run $WORK/empty -o $WORK/e $ARGS"
rm -rf "$WORK/trash"
