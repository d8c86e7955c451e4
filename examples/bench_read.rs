//! The reading phase alone (docs/PERFORMANCE.md): walk DIR and read every file as
//! `huizong run` does, then stop; for profiling where the read phase's time goes. With
//! `--stages` it also reads every file again on one thread, stage by stage (the file, its
//! SHA-256, calamine into cells, the forms), and prints the time of each.
//!
//! With `--extract` it reads the books into memory first and then times (and lets a profiler
//! see) only the extraction, three times over.
//!
//! `cargo run --release --example bench_read -- DIR [--stages | --extract]`

use huizong::read::{format, workbook};
use sha2::Digest;
use std::time::{Duration, Instant};

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let stages = std::env::args().any(|a| a == "--stages");
    let extract_only = std::env::args().any(|a| a == "--extract");
    let settings = huizong::config::Settings::default();
    let found = huizong::read::discover::walk(&dir, &[], settings.max_unzipped_bytes).expect("a readable folder");
    let start = Instant::now();
    let files = huizong::ingest::read_all(&found, &settings, 2021, None, &|| {});
    let forms: usize = files.iter().map(|f| f.forms.len()).sum();
    println!("{} files, {forms} forms read in {:.3} s", files.len(), start.elapsed().as_secs_f64());
    if extract_only {
        // The books in memory, then only the extraction, three times over (for a profile).
        let books: Vec<_> = found
            .iter()
            .filter_map(|f| {
                let bytes = std::fs::read(&f.path).ok()?;
                let book = workbook::read(&bytes, format::sniff(&bytes), huizong::grid::Limits::default(), None).ok()?;
                Some((f, book))
            })
            .collect();
        let start = Instant::now();
        for _ in 0..3 {
            for (f, book) in &books {
                std::hint::black_box(huizong::extract::forms_of(book, &f.rel, &f.rel, &settings, 2021));
            }
        }
        println!("extraction of {} books, three times: {:.3} s", books.len(), start.elapsed().as_secs_f64());
        return;
    }
    if !stages {
        return;
    }
    let mut spent = [Duration::ZERO; 5];
    let mut lap = |i: usize, since: &mut Instant| {
        spent[i] += since.elapsed();
        *since = Instant::now();
    };
    let whole = Instant::now();
    for f in &found {
        let mut t = Instant::now();
        let Ok(bytes) = std::fs::read(&f.path) else { continue };
        lap(0, &mut t);
        let _ = format!("{:x}", sha2::Sha256::digest(&bytes));
        lap(1, &mut t);
        let kind = format::sniff(&bytes);
        let Ok(book) = workbook::read(&bytes, kind, huizong::grid::Limits::default(), None) else { continue };
        lap(2, &mut t);
        let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let extracted = huizong::extract::forms_of(&book, &f.rel, &name, &settings, 2021);
        std::hint::black_box(&extracted);
        lap(3, &mut t);
        drop((book, extracted));
        lap(4, &mut t);
    }
    let total = whole.elapsed().as_secs_f64();
    for (name, d) in ["file", "sha-256", "calamine -> cells", "forms (extract, clean)", "drop"].iter().zip(spent) {
        println!("{name:>24}: {:.3} s ({:.0} %)", d.as_secs_f64(), 100.0 * d.as_secs_f64() / total);
    }
    println!("{:>24}: {total:.3} s on one thread", "all");
}
