//! Every finding code the program can emit is documented in docs/findings.md, and every
//! documented code is still emitted: the list is a contract for other tools.

use std::collections::BTreeSet;

fn codes_in_source() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"(?:Severity::\w+|severity),\s*"([a-z_]+\.[a-z_]+)""#).unwrap();
    let re_field = regex::Regex::new(r#"(?:code: |Severity::\w+, )"([a-z_]+\.[a-z_]+)""#).unwrap();
    let mut codes = BTreeSet::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in re.captures_iter(&flat).chain(re_field.captures_iter(&flat)) {
            codes.insert(c[1].to_string());
        }
    }
    codes
}

#[test]
fn every_finding_code_is_documented_and_every_documented_code_exists() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/findings.md")).unwrap();
    let documented: BTreeSet<String> = regex::Regex::new(r"\| `([a-z_]+\.[a-z_]+)` \|")
        .unwrap()
        .captures_iter(&doc)
        .map(|c| c[1].to_string())
        .collect();
    let used = codes_in_source();
    assert!(used.len() > 30, "the scan found the codes: {used:?}");
    assert_eq!(used, documented);
}
