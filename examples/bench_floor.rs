//! The floor of the benchmark (docs/PERFORMANCE.md): the least any tool must do for
//! a folder of returns, with the same crates huizong uses and nothing else. It opens every
//! spreadsheet under DIR with calamine in parallel (rayon) and touches every cell, then writes
//! CELLS output cells with rust_xlsxwriter in constant-memory mode and one Parquet table of
//! every non-empty cell read (path, sheet, row, column, text) with polars. Word documents are
//! not calamine formats and are skipped (about one file in twenty of the corpus).
//!
//! `cargo run --release --example bench_floor -- DIR OUT CELLS`

use calamine::{open_workbook_auto, Data, Reader};
use polars::prelude::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// One non-empty cell: (sheet, row, column, text).
type CellRead = (String, u32, u32, String);

/// Every non-empty cell of a spreadsheet.
fn cells(path: &Path) -> Vec<CellRead> {
    let Ok(mut wb) = open_workbook_auto(path) else { return Vec::new() };
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else { continue };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !matches!(v, Data::Empty) {
                    out.push((name.clone(), r0 + r as u32, c0 + c as u32, v.to_string()));
                }
            }
        }
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("DIR"));
    let out = PathBuf::from(args.next().expect("OUT"));
    let cells_out: usize = args.next().and_then(|s| s.parse().ok()).expect("CELLS");
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let read: Vec<(String, Vec<CellRead>)> = files
        .par_iter()
        .filter(|p| p.extension().is_some_and(|e| ["xlsx", "xls", "ods", "xlsm", "xlsb"].contains(&e.to_string_lossy().to_lowercase().as_str())))
        .map(|p| (p.to_string_lossy().into_owned(), cells(p)))
        .collect();
    std::fs::create_dir_all(&out).expect("mkdir");

    // The workbook: as many cells as huizong's, in constant-memory mode.
    let texts: Vec<&str> = read.iter().flat_map(|(_, c)| c.iter().map(|(_, _, _, t)| t.as_str())).collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("a sheet");
    let width = 16usize;
    for i in 0..cells_out {
        let text = texts.get(i % texts.len().max(1)).copied().unwrap_or("");
        ws.write_string((i / width) as u32, (i % width) as u16, text).expect("a cell");
    }
    wb.save(out.join("floor.xlsx")).expect("saved");

    // The table: every cell read.
    let rows: Vec<(&str, &CellRead)> = read.iter().flat_map(|(p, c)| c.iter().map(move |cell| (p.as_str(), cell))).collect();
    let mut df = DataFrame::new(
        rows.len(),
        vec![
            Column::new("path".into(), rows.iter().map(|(p, _)| *p).collect::<Vec<_>>()),
            Column::new("sheet".into(), rows.iter().map(|(_, c)| c.0.as_str()).collect::<Vec<_>>()),
            Column::new("row".into(), rows.iter().map(|(_, c)| c.1).collect::<Vec<_>>()),
            Column::new("col".into(), rows.iter().map(|(_, c)| c.2).collect::<Vec<_>>()),
            Column::new("value".into(), rows.iter().map(|(_, c)| c.3.as_str()).collect::<Vec<_>>()),
        ],
    )
    .expect("a frame");
    let mut file = std::fs::File::create(out.join("cells.parquet")).expect("a file");
    polars_io::prelude::ParquetWriter::new(&mut file).finish(&mut df).expect("written");
    println!("{} files, {} cells read, {cells_out} cells written", read.len(), rows.len());
}
