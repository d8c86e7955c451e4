//! The responsible-person cell: a name and phone numbers, split and normalised.

use super::clean_text;
use regex::Regex;
use std::sync::LazyLock;

/// A responsible-person cell split into its parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Responsible {
    /// The name(s), without the phone numbers: `周杰（项目经理）`.
    pub name: String,
    /// Valid phone numbers, normalised (`18604806358`, `027-85807478`), joined by `、`.
    pub phone: String,
    /// Digit groups that look like a phone number but are not one.
    pub malformed: Vec<String>,
}

static RE_PHONE_CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    // Digits with the separators people type inside a number: spaces, dashes, brackets, `+`.
    Regex::new(r"(?:\+?\s*86\s*[-\s]?)?\(?\d[\d\s\-()]{4,}\d(?:\s*(?:转|ext\.?|-)\s*\d{1,5})?").unwrap()
});

/// Split `黄敏/18604806358`, `陈静 027-85807478`, `周杰（项目经理）15389672958`,
/// `赵磊 154 6997 3653` into name and phone.
pub fn parse_responsible(raw: &str) -> Responsible {
    let text = clean_text(raw);
    let mut phones = Vec::new();
    let mut malformed = Vec::new();
    let mut name = text.clone();
    for m in RE_PHONE_CANDIDATE.find_iter(&text) {
        let candidate = m.as_str();
        match normalise_phone(candidate) {
            Some(p) => phones.push(p),
            None => malformed.push(candidate.trim().to_string()),
        }
        name = name.replacen(candidate, " ", 1);
    }
    let name = name
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | ',' | ';' | '、' | '，' | '；' | '|'))
        .filter(|p| !p.is_empty() && !matches!(*p, "电话" | "手机" | "联系电话" | "联系方式" | "Tel" | "tel"))
        .collect::<Vec<_>>()
        .join(" ");
    let name = name.trim_end_matches(['电', '话']).trim().to_string();
    Responsible { name, phone: phones.join("、"), malformed }
}

/// A phone number in its normalised form, or `None` if it is not a valid mobile or landline.
pub fn normalise_phone(candidate: &str) -> Option<String> {
    let (main, extension) = split_extension(candidate);
    let mut digits: String = main.chars().filter(|c| c.is_ascii_digit()).collect();
    let had_plus = main.trim_start().starts_with('+');
    if digits.len() == 13 && digits.starts_with("86") && (had_plus || digits[2..].starts_with('1')) {
        digits.drain(..2);
    } else if digits.len() >= 12 && digits.starts_with("86") && had_plus {
        digits.drain(..2);
        if !digits.starts_with('0') {
            digits.insert(0, '0');
        }
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let local_landline = digits.len() == 8 && !digits.starts_with('0') && !digits.starts_with('1');
    let base = if mobile || local_landline {
        digits
    } else if digits.len() == 11 && (digits.starts_with("01") || digits.starts_with("02")) {
        // Beijing (010) and the 02x cities have three-digit area codes and 8-digit numbers.
        format!("{}-{}", &digits[..3], &digits[3..])
    } else if (digits.len() == 11 || digits.len() == 12) && digits.starts_with('0') && !digits.starts_with("01") && !digits.starts_with("02") {
        format!("{}-{}", &digits[..4], &digits[4..])
    } else {
        return None;
    };
    Some(match extension {
        Some(ext) => format!("{base}转{ext}"),
        None => base,
    })
}

fn split_extension(candidate: &str) -> (&str, Option<String>) {
    for sep in ["转", "ext.", "ext"] {
        if let Some(i) = candidate.find(sep) {
            let ext: String = candidate[i + sep.len()..].chars().filter(|c| c.is_ascii_digit()).collect();
            return (&candidate[..i], (!ext.is_empty()).then_some(ext));
        }
    }
    // `85807478-8012`: a dash after a full landline is an extension.
    let digits_only: String = candidate.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    let parts: Vec<&str> = digits_only.split('-').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        let before: String = parts[..parts.len() - 1].concat();
        if last.len() <= 5 && (before.len() == 8 || before.len() == 11) && !before.starts_with('1') {
            if let Some(i) = candidate.rfind('-') {
                return (&candidate[..i], Some(last.to_string()));
            }
        }
    }
    (candidate, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responsible_split_in_every_shape() {
        let r = parse_responsible("黄敏/18604806358");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("黄敏", "18604806358"));
        let r = parse_responsible("陈静 027-85807478");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("陈静", "027-85807478"));
        let r = parse_responsible("周杰（项目经理）15389672958");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("周杰(项目经理)", "15389672958"));
        let r = parse_responsible("赵磊 154 6997 3653");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("赵磊", "15469973653"));
        let r = parse_responsible("李娜\n13609032240");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("李娜", "13609032240"));
        let r = parse_responsible("赵磊：19881345957");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("赵磊", "19881345957"));
        let r = parse_responsible("刘洋");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("刘洋", ""));
        assert!(r.malformed.is_empty());
    }

    #[test]
    fn phone_prefixes_extensions_and_landlines() {
        assert_eq!(parse_responsible("王芳 +86 138 0013 8000").phone, "13800138000");
        assert_eq!(parse_responsible("王芳 86-13800138000").phone, "13800138000");
        assert_eq!(parse_responsible("王芳 86779132").phone, "86779132");
        assert_eq!(parse_responsible("王芳 027-86779132转8012").phone, "027-86779132转8012");
        assert_eq!(parse_responsible("王芳 85807478-8012").phone, "85807478转8012");
        let r = parse_responsible("王芳13800138000，李强13900139000");
        assert_eq!(r.phone, "13800138000、13900139000");
        assert_eq!(r.name, "王芳 李强");
    }

    #[test]
    fn malformed_phones_are_reported() {
        let r = parse_responsible("李娜 1560185845");
        assert_eq!(r.name, "李娜");
        assert_eq!(r.phone, "");
        assert_eq!(r.malformed, vec!["1560185845".to_string()]);
        assert_eq!(parse_responsible("张伟 12345678901").malformed.len(), 1);
        // Found by fuzzing: a Wuhan number with a 9-digit local part is not a 4-digit area code.
        assert_eq!(normalise_phone("027-865579138转8012"), None);
        assert_eq!(normalise_phone("0710-3456789"), Some("0710-3456789".into()));
        assert_eq!(normalise_phone("0710-34567890"), Some("0710-34567890".into()));
    }
}
