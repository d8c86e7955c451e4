//! Settings of a run: built-in defaults (the campaign notice's district, units and calendar),
//! optionally overridden by a TOML file.

use crate::error::Error;
use crate::forms::Month;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Everything a run can be configured with. Every field has a default from the campaign notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The district's name, used in titles and in the workbook's file name.
    pub district: String,
    /// The units expected to return a 附件2 every month.
    pub units: Vec<String>,
    /// The unit whose values of the stock indicators (1, 2, 3, 13) are the district's.
    pub stock_source_unit: String,
    /// How the district value of a stock indicator is formed: `source` (take the source
    /// unit's, for units reporting on the same communities) or `sum` (add up, one level up
    /// where each unit is a district of its own).
    pub stock_mode: StockMode,
    /// Who compiled the district's return, printed on its 附件2 (汇总人).
    pub compiler: String,
    /// The compiler's phone, printed on the district's 附件2 (联系方式).
    pub contact: String,
    /// The campaign's last month (`YYYY-MM`): indicator 13 is only filled then.
    pub final_month: Month,
    /// The roster of expected projects (`.xlsx`, `.xls` or `.csv`), relative to the config file.
    pub roster: Option<PathBuf>,
    /// Cells read per sheet at most.
    pub max_cells_per_sheet: usize,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total size a zip-based file (xlsx, ods) may unpack to, in bytes.
    pub max_unzipped_bytes: u64,
    /// Seconds spent reading one sheet's cells before the rest is skipped (xlsx).
    pub max_seconds_per_file: u64,
    /// The date by which a return sent back must come again (`YYYY-MM-DD`), printed on every
    /// 退回修改通知 and 催报 note; by default the 25th of the month after the report month.
    pub resubmit_by: Option<String>,
    /// Code page forced on legacy `.xls` files (936 = GBK).
    pub codepage: Option<u16>,
    /// The keys the config file set (empty without one). A config that names the units or the
    /// stock mode decides the level of the run; without one, a folder of district workbooks
    /// is consolidated as a city (see `rules::level`).
    #[serde(skip)]
    pub configured: BTreeSet<String>,
}

/// How stock indicators (1, 2, 3, 13) are consolidated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StockMode {
    Source,
    Sum,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            district: "东湖风景区".into(),
            units: ["区建设（房管）局", "区经发局", "区公安分局", "区城乡工作办事处（民政）", "区市场监管局"].map(String::from).to_vec(),
            stock_source_unit: "区建设（房管）局".into(),
            stock_mode: StockMode::Source,
            compiler: String::new(),
            contact: String::new(),
            final_month: Month::new(2021, 11).expect("a real month"),
            roster: None,
            max_cells_per_sheet: 200_000,
            max_file_bytes: 50 * 1024 * 1024,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_seconds_per_file: 60,
            codepage: None,
            resubmit_by: None,
            configured: BTreeSet::new(),
        }
    }
}

impl Settings {
    /// The date returns sent back for `month` must come again by: `resubmit_by`, else the
    /// 25th of the next month.
    pub fn resubmit_date(&self, month: Month) -> chrono::NaiveDate {
        self.resubmit_by.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or_else(|| {
            let (y, m) = if month.month() == 12 { (month.year() + 1, 1) } else { (month.year(), month.month() + 1) };
            chrono::NaiveDate::from_ymd_opt(y, m, 25).expect("the 25th exists")
        })
    }

    /// Whether the config file set `key`.
    pub fn is_configured(&self, key: &str) -> bool {
        self.configured.contains(key)
    }

    /// Read a TOML config file; relative paths inside it are taken from the file's folder.
    ///
    /// # Errors
    /// [`Error::Config`] naming the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let fail = |why: String| Error::Config { path: path.to_path_buf(), why };
        let bytes = std::fs::read(path).map_err(|e| fail(format!("无法读取：{e}")))?;
        let text = decode(&bytes);
        let keys: toml::Table = toml::from_str(&text).map_err(|e| fail(explain(&text, &e)))?;
        let mut settings: Settings = toml::from_str(&text).map_err(|e| fail(explain(&text, &e)))?;
        settings.configured = keys.keys().cloned().collect();
        if let Some(roster) = &settings.roster {
            if roster.is_relative() {
                settings.roster = Some(path.parent().unwrap_or(Path::new(".")).join(roster));
            }
        }
        if settings.units.is_empty() {
            return Err(fail("中的配置项 units 不能为空".into()));
        }
        if let Some(date) = &settings.resubmit_by {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
                return Err(fail(format!("中的配置项 resubmit_by 应写成 YYYY-MM-DD（如 2021-11-25），现为“{date}”")));
            }
        }
        Ok(settings)
    }
}

/// A configuration file's text: UTF-8 with or without a byte-order mark, or GBK (what Notepad
/// on a Chinese Windows saves as "ANSI").
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GBK.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// A TOML error in Chinese: the line, the key written there, and what is wrong.
fn explain(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map_or(0, |s| s.start).min(text.len());
    let line_no = text[..at].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("").trim();
    let key = line.split_once('=').map(|(k, _)| k.trim().trim_matches('"')).filter(|k| !k.is_empty() && !k.starts_with('['));
    let message = e.message();
    let what = if message.starts_with("unknown field") {
        let known = message.split_once("expected one of").map(|(_, k)| k.replace('`', "")).unwrap_or_default();
        format!("没有这个配置项（可用的配置项：{}）", known.trim())
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let expected = message.split_once("expected").map(|(_, x)| x.trim()).unwrap_or("");
        let kind = match expected {
            x if x.contains("sequence") => "一组文字，如 [\"区经发局\", \"区公安分局\"]",
            x if x.contains("integer") || x.contains("u64") || x.contains("u16") || x.contains("u32") => "整数，如 936",
            x if x.contains("string") || x.contains("path") => "加英文双引号的文字，如 \"东湖风景区\"",
            x if x.contains("bool") => "true 或 false",
            x if x.contains("variant") => "下列之一：source、sum",
            _ => "别的写法",
        };
        format!("写法不对，应为{kind}")
    } else if message.contains("duplicate key") {
        "同一配置项写了两次".to_string()
    } else {
        "不是正确的 TOML 写法（文字要加英文双引号，每行一项：名称 = 值）".to_string()
    };
    match key {
        Some(key) => format!("第{line_no}行（{key}）{what}：{line}"),
        None => format!("第{line_no}行{what}：{line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_bom_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let gbk = dir.path().join("配置.toml");
        std::fs::write(&gbk, encoding_rs::GBK.encode("district = \"洪山区\"\n").0).unwrap();
        assert_eq!(Settings::load(&gbk).unwrap().district, "洪山区");
        let bom = dir.path().join("huizong.toml");
        std::fs::write(&bom, "\u{FEFF}district = \"江夏区\"\n").unwrap();
        assert_eq!(Settings::load(&bom).unwrap().district, "江夏区");
    }

    #[test]
    fn configuration_errors_name_the_line_and_key_in_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("huizong.toml");
        let why = |text: &str| {
            std::fs::write(&file, text).unwrap();
            Settings::load(&file).unwrap_err().to_string()
        };
        let e = why("district = \"洪山区\"\ncodepage = \"936\"\n");
        assert!(e.contains("第2行（codepage）写法不对，应为整数"), "{e}");
        let e = why("distrct = \"洪山区\"\n");
        assert!(e.contains("第1行（distrct）没有这个配置项") && e.contains("district"), "{e}");
        let e = why("district = 洪山区\n");
        assert!(e.contains("第1行（district）不是正确的 TOML 写法"), "{e}");
        assert!(e.contains("huizong.toml"), "the file is named: {e}");
        assert!(!e.is_ascii() && !e.contains("expected"), "no English parser text: {e}");
    }

    #[test]
    fn defaults_follow_the_spec() {
        let s = Settings::default();
        assert_eq!(s.units.len(), 5);
        assert_eq!(s.stock_source_unit, "区建设（房管）局");
        assert_eq!(s.district, "东湖风景区");
    }

    #[test]
    fn toml_overrides_and_rejects_unknown_keys() {
        let s: Settings = toml::from_str("district = \"洪山区\"\nunits = [\"区建设（房管）局\", \"某街道办事处\"]").unwrap();
        assert_eq!(s.district, "洪山区");
        assert_eq!(s.units.len(), 2);
        assert_eq!(s.final_month.to_string(), "2021-11");
        assert!(toml::from_str::<Settings>("final_month = \"2021年11月\"").is_err());
        assert!(toml::from_str::<Settings>("distrct = \"x\"").is_err());
        let city: Settings = toml::from_str("stock_mode = \"sum\"").unwrap();
        assert_eq!(city.stock_mode, StockMode::Sum);
    }
}
