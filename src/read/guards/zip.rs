//! The zip guard: a zip bomb declares gigabytes from kilobytes in its central directory;
//! calamine sets no limit on what it unpacks from an xlsx. The directory is read with the
//! `zip` crate, the one calamine uses.

use std::io::Cursor;

/// The uncompressed size a zip package declares in its central directory, and the largest
/// compression ratio of one member over 1 MiB, or `None` if the directory cannot be read (a
/// truncated or damaged file: calamine, which opens it with the same `zip` crate, will say
/// so). A zip bomb declares gigabytes from kilobytes.
///
/// Only the central directory is read (`ZipArchive::new`, then each entry's metadata): no
/// member is decompressed, nor even its local header read. Zip64 sizes are the crate's.
pub fn zip_declared_size(bytes: &[u8]) -> Option<(u64, u64)> {
    let archive = ::zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let (mut total, mut worst_ratio) = (0u64, 0u64);
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index).ok()?;
        let (uncompressed, compressed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(uncompressed);
        if uncompressed > 1 << 20 {
            worst_ratio = worst_ratio.max(uncompressed / compressed.max(1));
        }
    }
    Some((total, worst_ratio))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn fixtures() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
    }

    /// A zip written with the `zip` writer, each member `chunk` repeated `times` times.
    fn zip_bytes(members: &[(&str, &[u8], usize)]) -> Vec<u8> {
        let mut z = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default().compression_method(::zip::CompressionMethod::Deflated).large_file(true);
        for (name, chunk, times) in members {
            z.start_file(*name, opts).unwrap();
            for _ in 0..*times {
                z.write_all(chunk).unwrap();
            }
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_declares_its_size_and_ratio() {
        // The bomb of tests/robustness.rs: a sheet of 1 GiB of spaces, about 1 MiB deflated.
        let spaces = vec![b' '; 1 << 20];
        let bomb = zip_bytes(&[("[Content_Types].xml", b"<Types/>", 1), ("xl/workbook.xml", b"<workbook/>", 1), ("xl/worksheets/sheet1.xml", &spaces, 1024)]);
        let (declared, ratio) = zip_declared_size(&bomb).unwrap();
        assert!(bomb.len() < 2 << 20, "{}", bomb.len());
        assert_eq!(declared, (1 << 30) + 8 + 11);
        // The pipeline refuses a ratio over 1000 (or a size over max_unzipped_bytes).
        assert!(ratio > 1000, "ratio {ratio}");
    }

    #[test]
    fn a_small_zip_declares_its_members() {
        let z = zip_bytes(&[("a.xml", b"<a/>", 3), ("b.xml", b"0123456789", 200_000)]);
        let (declared, ratio) = zip_declared_size(&z).unwrap();
        assert_eq!(declared, 12 + 2_000_000);
        // Only b.xml is over 1 MiB; the whole zip is larger than its compressed data.
        assert!(ratio >= 2_000_000 / z.len() as u64 && ratio < 2_000_000, "ratio {ratio}, zip {} bytes", z.len());
    }

    /// A stored member whose central-directory entry gives its sizes in the zip64 extra field
    /// (0xFFFF_FFFF in the 32-bit fields), declaring 5 GiB: the crate's zip64 reading counts.
    #[test]
    fn zip64_sizes_are_honoured() {
        let name = b"xl/worksheets/sheet1.xml";
        let data = b"<x/>";
        let declared: u64 = 5 << 30;
        let mut z = Vec::new();
        // Local header (stored, sizes as written: calamine would find the lie when inflating).
        z.extend_from_slice(b"PK\x03\x04");
        z.extend_from_slice(&[45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z.extend_from_slice(name);
        z.extend_from_slice(data);
        let central = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02");
        z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&u32::MAX.to_le_bytes()); // compressed: in zip64 extra
        z.extend_from_slice(&u32::MAX.to_le_bytes()); // uncompressed: in zip64 extra
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&20u16.to_le_bytes()); // extra length
        z.extend_from_slice(&[0; 14]); // comment length, disk, attributes, local header offset 0
        z.extend_from_slice(name);
        z.extend_from_slice(&1u16.to_le_bytes());
        z.extend_from_slice(&16u16.to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&(data.len() as u64).to_le_bytes());
        let central_len = z.len() as u32 - central;
        z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        z.extend_from_slice(&central_len.to_le_bytes());
        z.extend_from_slice(&central.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        assert_eq!(zip_declared_size(&z), Some((declared, declared / data.len() as u64)));
    }

    #[test]
    fn workbook_fixtures_declare_plausible_sizes() {
        let mut seen = 0;
        // samples/其他 holds the damaged ones (truncated, encrypted, empty): see the test below.
        for dir in ["corpus", "formats", "libreoffice", "samples/自查表", "samples/月报", "samples"] {
            for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if !path.is_file() {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                if !bytes.starts_with(b"PK\x03\x04") || path.file_name().unwrap().to_string_lossy().starts_with("~$") {
                    continue;
                }
                let (declared, ratio) = zip_declared_size(&bytes).unwrap_or_else(|| panic!("{}", path.display()));
                assert!(declared > bytes.len() as u64 / 2 && declared < 50 * bytes.len() as u64, "{}: {declared}", path.display());
                assert!(ratio < 100, "{}: {ratio}", path.display());
                seen += 1;
            }
        }
        assert!(seen >= 20, "{seen}");
    }

    #[test]
    fn not_a_zip_or_truncated_is_none() {
        assert_eq!(zip_declared_size(b""), None);
        assert_eq!(zip_declared_size(b"PK\x03\x04 not really"), None);
        let z = zip_bytes(&[("a.xml", b"<a/>", 1)]);
        assert_eq!(zip_declared_size(&z[..z.len() - 30]), None);
        for name in ["截断.xlsx", "乱码.xlsx", "空文件.xlsx"] {
            let bytes = std::fs::read(fixtures().join("samples/其他").join(name)).unwrap();
            assert_eq!(zip_declared_size(&bytes), None, "{name}");
        }
    }
}
