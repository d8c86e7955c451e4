//! The 附件2 indicator table: every fact huizong knows about one indicator line of the monthly
//! form, in form order. Recognition, extraction, the consistency rules, the district totals,
//! the report and the test form writer all read this one table.

/// One of the fifteen indicator lines of 附件2 (1–14 and the 5.1 “其中” line), in form order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndicatorId {
    /// 1 专业化物业管理小区数
    ManagedCommunities,
    /// 2 公示物业服务收费信息小区数
    FeesPublished,
    /// 3 未公示物业服务收费信息小区数
    FeesUnpublished,
    /// 4 新增公示物业服务收费信息小区数
    NewlyPublished,
    /// 5 查处问题小区数
    Investigated,
    /// 5.1 其中，查处未公示物业服务收费信息小区数
    InvestigatedUnpublished,
    /// 6 开展检查和执法行动数
    Inspections,
    /// 7 出动检查和执法人员数
    Inspectors,
    /// 8 处罚物业服务企业数
    CompaniesPunished,
    /// 9 公开曝光案例数
    CasesExposed,
    /// 10 发放政策法规宣传册数
    Brochures,
    /// 11 受理群众投诉举报数
    Complaints,
    /// 12 签订承诺书企业数
    Pledges,
    /// 13 城市选树“美好家园”项目数
    ModelHomes,
    /// 14 小区为群众办实事数
    PracticalDeeds,
}

/// Stock or activity: how units' values become the district's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// A count of things that exist (taken from one source unit, never summed).
    Stock,
    /// A count of things done (summed over units).
    Activity,
}

/// The value columns an indicator line has on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// One 数量 column (indicators 1–3).
    Single,
    /// 本月 and 累积 (indicators 4–14).
    MonthAndCumulative,
}

/// Everything known about one indicator line.
#[derive(Debug)]
pub struct IndicatorDef {
    pub id: IndicatorId,
    /// The number printed in the 序号 column and used in the tables: `"5.1"`.
    pub code: &'static str,
    /// The wording of the 内容 column.
    pub wording: &'static str,
    /// The 内容 text written on the official form (5.1 is written as `其中：…`).
    pub form_label: &'static str,
    /// A short name for messages: `公示小区数`.
    pub short: &'static str,
    /// A 内容 text that starts with one of these is this indicator.
    pub starts_with: &'static [&'static str],
    /// A 内容 text that contains one of these, and none of `unless`, is this indicator.
    pub keywords: &'static [&'static str],
    pub unless: &'static [&'static str],
    pub kind: IndicatorKind,
    pub columns: Columns,
    /// Only filled in the campaign's final month (13).
    pub final_month_only: bool,
    /// The indicator equals the sum of these (1 = 2 + 3).
    pub sum_of: &'static [IndicatorId],
    /// A “其中” part of another indicator, never larger than it (5.1 of 5); it may be written
    /// inside that indicator's cell as `5（2）`.
    pub part_of: Option<IndicatorId>,
}

use Columns::{MonthAndCumulative as Both, Single};
use IndicatorId::*;
use IndicatorKind::{Activity, Stock};

const fn def(
    id: IndicatorId,
    code: &'static str,
    wording: &'static str,
    keywords: &'static [&'static str],
    kind: IndicatorKind,
    columns: Columns,
) -> IndicatorDef {
    IndicatorDef {
        id,
        code,
        wording,
        form_label: wording,
        short: wording,
        starts_with: &[],
        keywords,
        unless: &[],
        kind,
        columns,
        final_month_only: false,
        sum_of: &[],
        part_of: None,
    }
}

/// The fifteen lines in form order; `INDICATORS[id as usize].id == id`.
pub const INDICATORS: [IndicatorDef; 15] = [
    IndicatorDef {
        sum_of: &[FeesPublished, FeesUnpublished],
        short: "专业化物业管理小区数",
        ..def(ManagedCommunities, "1", "专业化物业管理小区数（个）", &["专业化物业管理"], Stock, Single)
    },
    IndicatorDef {
        short: "公示小区数",
        unless: &["新增公示", "查处问题小区", "未公示物业服务收费信息小区数"],
        ..def(FeesPublished, "2", "公示物业服务收费信息小区数（个）", &["公示物业服务收费信息小区数"], Stock, Single)
    },
    IndicatorDef {
        short: "未公示小区数",
        unless: &["新增公示", "查处问题小区"],
        ..def(FeesUnpublished, "3", "未公示物业服务收费信息小区数（个）", &["未公示物业服务收费信息小区数"], Stock, Single)
    },
    def(NewlyPublished, "4", "新增公示物业服务收费信息小区数（个）", &["新增公示"], Activity, Both),
    IndicatorDef {
        short: "查处问题小区数", unless: &["新增公示"], ..def(Investigated, "5", "查处问题小区数", &["查处问题小区"], Activity, Both)
    },
    IndicatorDef {
        form_label: "其中：查处未公示物业服务收费信息小区数",
        short: "“其中查处未公示”数",
        starts_with: &["其中"],
        part_of: Some(Investigated),
        ..def(InvestigatedUnpublished, "5.1", "其中，查处未公示物业服务收费信息小区数", &[], Activity, Both)
    },
    def(Inspections, "6", "开展检查和执法行动数（次）", &["检查和执法行动"], Activity, Both),
    def(Inspectors, "7", "出动检查和执法人员数（次）", &["执法人员"], Activity, Both),
    def(CompaniesPunished, "8", "处罚物业服务企业数（个）", &["处罚物业"], Activity, Both),
    def(CasesExposed, "9", "公开曝光案例数（个）", &["曝光"], Activity, Both),
    def(Brochures, "10", "发放政策法规宣传册数（份）", &["宣传册"], Activity, Both),
    def(Complaints, "11", "受理群众投诉举报数（件）", &["投诉举报"], Activity, Both),
    def(Pledges, "12", "签订承诺书企业数（个）", &["承诺书"], Activity, Both),
    IndicatorDef {
        final_month_only: true,
        short: "“美好家园”项目数",
        ..def(ModelHomes, "13", "城市选树“美好家园”项目数（个）（活动结束时填报）", &["美好家园"], Stock, Both)
    },
    def(PracticalDeeds, "14", "小区为群众办实事数（件）", &["办实事"], Activity, Both),
];

impl IndicatorId {
    /// Every indicator in form order.
    pub fn all() -> impl Iterator<Item = IndicatorId> {
        INDICATORS.iter().map(|d| d.id)
    }

    pub fn def(self) -> &'static IndicatorDef {
        &INDICATORS[self as usize]
    }

    /// `"5.1"`.
    pub fn code(self) -> &'static str {
        self.def().code
    }

    /// The indicator whose 序号 is `code` (`"5.1"`, `"14"`).
    pub fn from_code(code: &str) -> Option<IndicatorId> {
        INDICATORS.iter().find(|d| d.code == code).map(|d| d.id)
    }

    /// The indicator a 内容 text names, from its header key (spaces removed, full width folded).
    pub fn from_wording_key(key: &str) -> Option<IndicatorId> {
        if key.is_empty() {
            return None;
        }
        let named = |d: &IndicatorDef| {
            d.starts_with.iter().any(|w| key.starts_with(w)) || (d.keywords.iter().any(|w| key.contains(w)) && !d.unless.iter().any(|w| key.contains(w)))
        };
        // A leading “其中” decides before any keyword of the line it belongs to.
        INDICATORS.iter().find(|d| d.starts_with.iter().any(|w| key.starts_with(w))).or_else(|| INDICATORS.iter().find(|d| named(d))).map(|d| d.id)
    }

    pub fn single_column(self) -> bool {
        self.def().columns == Columns::Single
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_form_order_and_indexed_by_id() {
        for (i, d) in INDICATORS.iter().enumerate() {
            assert_eq!(d.id as usize, i);
        }
        let codes: Vec<&str> = IndicatorId::all().map(IndicatorId::code).collect();
        assert_eq!(codes, ["1", "2", "3", "4", "5", "5.1", "6", "7", "8", "9", "10", "11", "12", "13", "14"]);
    }

    #[test]
    fn every_wording_names_its_own_indicator() {
        for d in &INDICATORS {
            let key: String = crate::clean::header_key(d.wording);
            assert_eq!(IndicatorId::from_wording_key(&key), Some(d.id), "{}", d.wording);
            let key: String = crate::clean::header_key(d.form_label);
            assert_eq!(IndicatorId::from_wording_key(&key), Some(d.id), "{}", d.form_label);
        }
    }

    #[test]
    fn wording_as_people_change_it() {
        let id = |t: &str| IndicatorId::from_wording_key(&crate::clean::header_key(t));
        assert_eq!(id("未公示\t物业服务收费信息小区数（个）"), Some(FeesUnpublished));
        assert_eq!(id("查处问题小区数(其中，查处未公示物业服务收费信息小区数）"), Some(Investigated));
        assert_eq!(id("公开曝光"), Some(CasesExposed));
        assert_eq!(id("备注"), None);
        assert_eq!(id(""), None);
    }
}
