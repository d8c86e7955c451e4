//! The zip guard: a zip bomb declares gigabytes from kilobytes in its central directory;
//! calamine sets no limit on what it unpacks from an xlsx.

/// The uncompressed size a zip package declares in its central directory, and the largest
/// compression ratio of one member, or `None` if the directory cannot be found (a truncated
/// file: the reader will say so). A zip bomb declares gigabytes from kilobytes.
pub fn zip_declared_size(bytes: &[u8]) -> Option<(u64, u64)> {
    // End of central directory: signature PK\x05\x06, within the last 64 KiB + 22 bytes.
    let tail_start = bytes.len().saturating_sub(65_557);
    let eocd = (tail_start..bytes.len().saturating_sub(21)).rev().find(|&i| bytes[i..i + 4] == *b"PK\x05\x06")?;
    let u16_at = |i: usize| -> Option<u64> { Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?) as u64) };
    let u32_at = |i: usize| -> Option<u64> { Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as u64) };
    let entries = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)? as usize;
    let (mut total, mut worst_ratio) = (0u64, 0u64);
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let mut compressed = u32_at(at + 20)?;
        let mut uncompressed = u32_at(at + 24)?;
        let (name_len, extra_len) = (u16_at(at + 28)? as usize, u16_at(at + 30)? as usize);
        if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF {
            // Zip64: the real sizes are in the extra field 0x0001, uncompressed first.
            let mut x = at + 46 + name_len;
            let end = x + extra_len;
            while x + 4 <= end {
                let (id, len) = (u16_at(x)?, u16_at(x + 2)? as usize);
                if id == 1 {
                    let u64_at = |i: usize| -> Option<u64> { Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?)) };
                    let mut p = x + 4;
                    if uncompressed == 0xFFFF_FFFF {
                        uncompressed = u64_at(p)?;
                        p += 8;
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = u64_at(p)?;
                    }
                    break;
                }
                x += 4 + len;
            }
        }
        total = total.saturating_add(uncompressed);
        if uncompressed > 1 << 20 {
            worst_ratio = worst_ratio.max(uncompressed / compressed.max(1));
        }
        at += 46 + name_len + extra_len + u16_at(at + 32)? as usize;
    }
    Some((total, worst_ratio))
}

