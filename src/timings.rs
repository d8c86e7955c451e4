//! Where a run's time goes, printed to stderr when `HUIZONG_TIMINGS` is set (for
//! docs/PERFORMANCE.md): the time since the previous lap, per named phase, with the resident
//! and peak memory at its end (Linux only).
use std::sync::Mutex;
use std::time::Instant;

/// A phase's name, when it ended, and the resident and peak memory then (MB, Linux only).
type Lap = (&'static str, Instant, Option<(u64, u64)>);
static LAPS: Mutex<Vec<Lap>> = Mutex::new(Vec::new());

pub fn lap(name: &'static str) {
    if std::env::var_os("HUIZONG_TIMINGS").is_some() {
        if let Ok(mut laps) = LAPS.lock() {
            laps.push((name, Instant::now(), memory()));
        }
    }
}

/// VmRSS and VmHWM of /proc/self/status, in MB.
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..].trim().trim_end_matches("kB").trim().parse::<u64>().ok().map(|kb| kb / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

pub fn report() {
    let Ok(laps) = LAPS.lock() else { return };
    for pair in laps.windows(2) {
        let memory = pair[1].2.map(|(rss, peak)| format!("  resident {rss:>6} MB, peak {peak:>6} MB")).unwrap_or_default();
        eprintln!("{:>10}: {:>8.3} s{memory}", pair[1].0, (pair[1].1 - pair[0].1).as_secs_f64());
    }
}
