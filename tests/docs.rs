//! Every finding code the program can emit is documented in docs/findings.md, and every
//! documented code is still emitted: the list is a contract for other tools.

use std::collections::BTreeSet;

fn codes_in_source() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"(?:Severity::\w+|severity),\s*"([a-z_]+\.[a-z_]+)""#).unwrap();
    let re_field = regex::Regex::new(r#"(?:code: |Severity::\w+, )"([a-z_]+\.[a-z_]+)""#).unwrap();
    let mut codes = BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
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
