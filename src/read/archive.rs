//! Returns sent as a `.zip`: a company zips its projects' forms, often on Windows, where member
//! names are written in GBK without the UTF-8 flag. An archive is a folder: each member is a
//! file found (`包.zip/成员.xlsx`), read like any other file, and a `.zip` inside it is opened
//! one level deep. Only the central directory is read to list the members; a member's bytes are
//! unpacked when it is read, at most the per-file limit.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Members listed from one archive at most (its own and those of the archives inside).
pub const MAX_MEMBERS: usize = 10_000;

/// The largest archive inside an archive that is opened (unpacked in memory to be listed).
const MAX_NESTED_BYTES: u64 = 256 << 20;

/// One member of an archive: where it is (its index, and inside a nested archive the index
/// there too), its unpacked size, and its modification time (seconds since the epoch, as
/// written in the archive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub chain: Vec<usize>,
    pub size: u64,
    pub modified: Option<i64>,
}

/// Why an archive or a member cannot be read.
#[derive(Debug)]
pub enum ArchiveError {
    Io(std::io::Error),
    /// The archive's directory or a member is damaged.
    Damaged(String),
    /// More members than [`MAX_MEMBERS`].
    TooMany(usize),
    /// A member larger than the per-file limit.
    TooLarge {
        size: u64,
        limit: u64,
    },
}

impl ArchiveError {
    /// The reason, in Chinese, for the file list.
    pub fn reason(&self) -> String {
        match self {
            ArchiveError::Io(e) => format!("无法打开压缩包：{e}"),
            ArchiveError::Damaged(why) => format!("压缩包已损坏或不完整，无法读取其中内容（{why}）：请重新压缩或直接报送其中的文件"),
            ArchiveError::TooMany(n) => format!("压缩包中有 {n} 个以上的文件，超过上限 {MAX_MEMBERS} 个，未读取：请分开压缩"),
            ArchiveError::TooLarge { size, limit } => {
                format!("解压后有 {size} 字节，超过单个文件上限 {limit} 字节（可在配置文件 max_file_bytes 调整）")
            }
        }
    }
}

/// Whether a file is to be opened as an archive, by its name (`.zip`, any case).
pub fn is_archive_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// A zip that is a package (an `.xlsx`, `.docx` or OpenDocument file renamed `.zip`), not an
/// archive of files.
fn is_package<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> bool {
    zip.file_names().flatten().any(|n| n == "[Content_Types].xml" || n == "mimetype")
}

/// A member's name: UTF-8 when it is (flagged or not), else GBK (what Windows' own zip writes
/// in China); `\` taken for `/`.
fn member_name(raw: &[u8]) -> String {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode_without_bom_handling(raw).0.into_owned(),
    };
    name.replace('\\', "/").trim_start_matches('/').to_string()
}

fn damaged(e: impl std::fmt::Display) -> ArchiveError {
    ArchiveError::Damaged(e.to_string())
}

/// The files in the archive at `path`, by their path inside it, in the archive's order; those of
/// a `.zip` inside it follow as `内.zip/成员`. `Ok(None)` when the file is a package, not an
/// archive (it is then read as the document it is).
///
/// # Errors
/// The archive cannot be opened or listed.
pub fn list(path: &Path) -> Result<Option<Vec<(String, Member)>>, ArchiveError> {
    let file = std::fs::File::open(path).map_err(ArchiveError::Io)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(damaged)?;
    if is_package(&zip) {
        return Ok(None);
    }
    let mut out = Vec::new();
    list_into(&mut zip, &[], true, &mut out)?;
    Ok(Some(out))
}

fn list_into<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, outer: &[usize], open_nested: bool, out: &mut Vec<(String, Member)>) -> Result<(), ArchiveError> {
    let prefix = |name: &str| name.to_string();
    for index in 0..zip.len() {
        if out.len() >= MAX_MEMBERS {
            return Err(ArchiveError::TooMany(MAX_MEMBERS));
        }
        let (name, size, modified, is_dir) = {
            let entry = zip.by_index_raw(index).map_err(damaged)?;
            (member_name(entry.name_raw()), entry.size(), entry.last_modified().and_then(seconds), entry.is_dir())
        };
        // Folders are only names; a Mac's resource forks are no files of the sender's.
        if is_dir || name.starts_with("__MACOSX/") || name.rsplit('/').next().is_some_and(|n| n == ".DS_Store") {
            continue;
        }
        let mut chain = outer.to_vec();
        chain.push(index);
        if open_nested && is_archive_name(&name) && size <= MAX_NESTED_BYTES {
            let mut bytes = Vec::new();
            zip.by_index(index).map_err(damaged)?.take(MAX_NESTED_BYTES + 1).read_to_end(&mut bytes).map_err(damaged)?;
            if let Ok(mut inner) = zip::ZipArchive::new(Cursor::new(bytes)) {
                if !is_package(&inner) {
                    let mut members = Vec::new();
                    list_into(&mut inner, &chain, false, &mut members)?;
                    out.extend(members.into_iter().map(|(n, m)| (format!("{name}/{n}"), m)));
                    continue;
                }
            }
        }
        out.push((prefix(&name), Member { chain, size, modified }));
    }
    Ok(())
}

/// The time written in a member's header, as seconds since the epoch (taken as UTC).
fn seconds(t: zip::DateTime) -> Option<i64> {
    let date = chrono::NaiveDate::from_ymd_opt(t.year().into(), t.month().into(), t.day().into())?;
    Some(date.and_hms_opt(t.hour().into(), t.minute().into(), t.second().into())?.and_utc().timestamp())
}

/// The bytes of `member` of the archive at `path`, at most `limit`.
///
/// # Errors
/// The archive or the member cannot be read, or the member is over `limit`.
pub fn member_bytes(path: &Path, member: &Member, limit: u64) -> Result<Vec<u8>, ArchiveError> {
    if member.size > limit {
        return Err(ArchiveError::TooLarge { size: member.size, limit });
    }
    let file = std::fs::File::open(path).map_err(ArchiveError::Io)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(damaged)?;
    let read = |zip: &mut zip::ZipArchive<_>, index: usize, limit: u64| -> Result<Vec<u8>, ArchiveError> {
        let mut bytes = Vec::new();
        zip.by_index(index).map_err(damaged)?.take(limit + 1).read_to_end(&mut bytes).map_err(damaged)?;
        if bytes.len() as u64 > limit {
            return Err(ArchiveError::TooLarge { size: bytes.len() as u64, limit });
        }
        Ok(bytes)
    };
    match member.chain.as_slice() {
        [index] => read(&mut zip, *index, limit),
        [outer, inner] => {
            let nested = read(&mut zip, *outer, MAX_NESTED_BYTES)?;
            let mut zip = zip::ZipArchive::new(Cursor::new(nested)).map_err(damaged)?;
            let mut bytes = Vec::new();
            zip.by_index(*inner).map_err(damaged)?.take(limit + 1).read_to_end(&mut bytes).map_err(damaged)?;
            if bytes.len() as u64 > limit {
                return Err(ArchiveError::TooLarge { size: bytes.len() as u64, limit });
            }
            Ok(bytes)
        }
        _ => Err(ArchiveError::Damaged("成员位置无效".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of stored members written byte by byte, each name as given (so a GBK name goes in
    /// as GBK without the UTF-8 flag, as Windows' own zip writes it).
    fn zip_of(members: &[(&[u8], &[u8])]) -> Vec<u8> {
        fn crc32(data: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in data {
                crc ^= b as u32;
                for _ in 0..8 {
                    crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            !crc
        }
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in members {
            let (offset, crc, len, name_len) = (out.len() as u32, crc32(data), data.len() as u32, name.len() as u16);
            let common = |v: &mut Vec<u8>| {
                v.extend_from_slice(&20u16.to_le_bytes()); // version needed
                v.extend_from_slice(&0u16.to_le_bytes()); // flags: no UTF-8 flag
                v.extend_from_slice(&0u16.to_le_bytes()); // stored
                v.extend_from_slice(&0u16.to_le_bytes()); // time
                v.extend_from_slice(&0x5355u16.to_le_bytes()); // date: 2021-10-21
                v.extend_from_slice(&crc.to_le_bytes());
                v.extend_from_slice(&len.to_le_bytes());
                v.extend_from_slice(&len.to_le_bytes());
                v.extend_from_slice(&name_len.to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes()); // extra
            };
            out.extend_from_slice(b"PK\x03\x04");
            common(&mut out);
            out.extend_from_slice(name);
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes()); // version made by
            common(&mut central);
            central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name);
        }
        let (at, size, n) = (out.len() as u32, central.len() as u32, members.len() as u16);
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn gbk_and_utf8_names_and_a_nested_archive() {
        let dir = tempfile::tempdir().unwrap();
        let inner = zip_of(&[("c.xlsx".as_bytes(), b"inner")]);
        let gbk = encoding_rs::GBK.encode("梨园小区_自查表.xlsx").0.into_owned();
        let bytes =
            zip_of(&[(&gbk, b"gbk"), ("项目/听涛苑.docx".as_bytes(), b"utf8"), ("内.zip".as_bytes(), &inner), ("__MACOSX/._x.xlsx".as_bytes(), b"junk")]);
        let path = dir.path().join("包.zip");
        std::fs::write(&path, bytes).unwrap();
        let members = list(&path).unwrap().unwrap();
        let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["梨园小区_自查表.xlsx", "项目/听涛苑.docx", "内.zip/c.xlsx"], "the Mac's junk is left out");
        assert_eq!(member_bytes(&path, &members[0].1, 100).unwrap(), b"gbk");
        assert_eq!(member_bytes(&path, &members[1].1, 100).unwrap(), b"utf8");
        assert_eq!(member_bytes(&path, &members[2].1, 100).unwrap(), b"inner");
        assert_eq!(members[0].1.modified, chrono::NaiveDate::from_ymd_opt(2021, 10, 21).map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()));
        assert!(matches!(member_bytes(&path, &members[1].1, 3), Err(ArchiveError::TooLarge { .. })));
        assert_eq!(member_name(b"a\\b.xlsx"), "a/b.xlsx");
    }

    #[test]
    fn a_package_renamed_zip_is_no_archive_and_a_damaged_one_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let package = dir.path().join("表.zip");
        std::fs::write(&package, zip_of(&[("[Content_Types].xml".as_bytes(), b"<Types/>"), ("xl/workbook.xml".as_bytes(), b"<workbook/>")])).unwrap();
        assert_eq!(list(&package).unwrap(), None);
        let broken = dir.path().join("坏.zip");
        std::fs::write(&broken, b"PK\x03\x04 cut short").unwrap();
        let e = list(&broken).unwrap_err();
        assert!(e.reason().starts_with("压缩包已损坏或不完整"), "{}", e.reason());
    }
}
