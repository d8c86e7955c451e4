//! Matching a unit name as written (`东湖风景区公安分局`) to a configured unit (`区公安分局`).

use crate::clean::match_key;

/// The configured unit a written unit name means: `东湖风景区公安分局` → `区公安分局`.
pub fn canonical_unit(raw: &str, district: &str, units: &[String]) -> Option<String> {
    let core = unit_core(raw, district);
    if core.is_empty() {
        return None;
    }
    units
        .iter()
        .find(|u| {
            let uc = unit_core(u, district);
            !uc.is_empty() && (uc == core || core.contains(&uc) || uc.contains(&core))
        })
        .cloned()
}

/// A unit name without the district, the leading 区, bracketed parts and 盖章.
fn unit_core(raw: &str, district: &str) -> String {
    let mut s = crate::clean::clean_text(raw);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = i32::max(depth - 1, 0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    s = match_key(&out);
    // `东湖风景区公安分局` → `公安分局`; a longer official name (`东湖生态旅游风景区公安分局`)
    // still matches by containment in `canonical_unit`.
    let district = match_key(district);
    if !district.is_empty() && s.len() > district.len() {
        if let Some(rest) = s.strip_prefix(&district) {
            s = rest.to_string();
        }
    }
    s = s.replace("盖章", "");
    s.trim_start_matches('区').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_match_configured_names() {
        let units: Vec<String> = crate::config::Settings::default().units;
        let c = |raw: &str| canonical_unit(raw, "东湖风景区", &units);
        assert_eq!(c("东湖风景区公安分局").as_deref(), Some("区公安分局"));
        assert_eq!(c("东湖风景区建设（房管）局").as_deref(), Some("区建设（房管）局"));
        assert_eq!(c("东湖风景区城乡工作办事处").as_deref(), Some("区城乡工作办事处（民政）"));
        assert_eq!(c("区市场监管局").as_deref(), Some("区市场监管局"));
        assert_eq!(c("东湖风景区经发局").as_deref(), Some("区经发局"));
        assert_eq!(c("某某街道办事处"), None);
        assert_eq!(c("东湖生态旅游风景区公安分局").as_deref(), Some("区公安分局"));
        // One level up, the units are districts.
        let districts = vec!["东湖风景区".to_string(), "洪山区".to_string()];
        assert_eq!(canonical_unit("东湖风景区", "武汉市", &districts).as_deref(), Some("东湖风景区"));
        assert_eq!(canonical_unit("武汉市洪山区", "武汉市", &districts).as_deref(), Some("洪山区"));
        assert_eq!(c(""), None);
    }
}
