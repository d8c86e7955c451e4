//! The finding codes are a contract for other tools: `docs/findings.md` lists exactly the codes
//! of `huizong::findings::Code`, each with the severity, meaning and location the enum
//! documents, in the same order.

use huizong::findings::Code;

#[test]
fn the_findings_table_is_the_code_enum() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/findings.md")).unwrap();
    let documented: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
    let from_enum: Vec<String> = Code::ALL.iter().map(|c| c.doc_row()).collect();
    assert_eq!(documented, from_enum, "docs/findings.md differs from the Code enum (src/findings.rs); the rows it should hold:\n{}", from_enum.join("\n"));
}

#[test]
fn every_code_has_a_dotted_stable_name() {
    for c in Code::ALL {
        let (area, name) = c.as_str().split_once('.').expect("area.name");
        assert!(!area.is_empty() && !name.is_empty() && c.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'), "{}", c.as_str());
    }
}
