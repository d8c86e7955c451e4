//! The 附件1 focus table: the six 整改重点 of the self-inspection form, with the wording of the
//! notice, the short labels used in messages and charts, and the words that recognise a row
//! when its 序号 is missing.

/// One of the six focus areas, numbered 1–6 as on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FocusNo(u8);

/// Everything known about one focus area.
#[derive(Debug)]
pub struct FocusDef {
    pub no: u8,
    /// The notice's full wording (the form's 整改重点 column).
    pub wording: &'static str,
    /// A short name for messages: `断供（水电气热）`.
    pub label: &'static str,
    /// A shorter name that fits a chart axis: `断供水电气热`.
    pub chart_label: &'static str,
    /// Words of the wording, any of which points to this focus area.
    pub keywords: &'static [&'static str],
}

pub const FOCUS: [FocusDef; 6] = [
    FocusDef {
        no: 1,
        wording: "以业主拖欠物业服务费、不配合管理为由，中断或以限时限量等方式变相中断供水、供电、供气、供热等损害业主合法权益的行为",
        label: "断供（水电气热）",
        chart_label: "断供水电气热",
        keywords: &["断供", "中断", "供水", "供电", "供气", "供热", "限时限量", "水电气热"],
    },
    FocusDef {
        no: 2,
        wording: "擅自允许他人利用共用部位、共用设施设备进行广告、宣传、经营等活动，对物业区域内违法违规行为，未及时劝阻、制止，并向业主委员会和有关主管部门履行报告义务",
        label: "共用部位违规经营/未制止违法行为",
        chart_label: "共用部位违规经营",
        keywords: &["共用部位", "共用设施", "广告", "违规经营", "未制止", "劝阻"],
    },
    FocusDef {
        no: 3,
        wording: "泄露业主信息，与业委会共同侵害业主合法权益，对业主进行骚扰、恐吓、打击报复、采取暴力等违法行为",
        label: "泄露信息/骚扰恐吓",
        chart_label: "泄露信息/骚扰恐吓",
        keywords: &["泄露", "骚扰", "恐吓", "打击报复", "暴力"],
    },
    FocusDef {
        no: 4,
        wording: "擅自撤离物业管理区域、停止物业服务；物业服务合同终止后，拒不撤离物业服务项目，不按规定办理交接手续并移交物业服务用房和有关资料等行为",
        label: "擅自撤离/拒不交接",
        chart_label: "擅自撤离/拒不交接",
        keywords: &["撤离", "交接", "移交", "停止物业服务"],
    },
    FocusDef {
        no: 5,
        wording: "未在住宅小区显著位置公示物业服务、停车及其他有偿服务的收费项目、收费标准、收费方式和投诉电话、公共收益收支、特种设备维保单位及联系方式等信息等行为",
        label: "未公示收费等信息",
        chart_label: "未公示收费信息",
        keywords: &["未公示", "公示"],
    },
    FocusDef {
        no: 6,
        wording: "擅自提高物业服务收费标准，以及转供电代收加价等违规收取不合理费用行为",
        label: "擅自提价/转供电加价",
        chart_label: "擅自提价/转供电加价",
        keywords: &["提价", "提高", "加价", "转供电", "不合理费用"],
    },
];

impl FocusNo {
    /// The focus area numbered `no`, if 1–6.
    pub fn new(no: u8) -> Option<FocusNo> {
        (1..=6).contains(&no).then_some(FocusNo(no))
    }

    /// All six, in form order.
    pub fn all() -> impl Iterator<Item = FocusNo> {
        (1..=6).map(FocusNo)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn def(self) -> &'static FocusDef {
        &FOCUS[self.0 as usize - 1]
    }

    /// The focus area a wording names, from its header key, if exactly one scores best (the
    /// most keywords found).
    pub fn from_wording_key(key: &str) -> Option<FocusNo> {
        let scores: Vec<(FocusNo, usize)> = FocusNo::all().map(|f| (f, f.def().keywords.iter().filter(|w| key.contains(*w)).count())).collect();
        let best = scores.iter().map(|(_, s)| *s).max().filter(|s| *s > 0)?;
        let mut winners = scores.iter().filter(|(_, s)| *s == best);
        let first = winners.next()?.0;
        winners.next().is_none().then_some(first)
    }
}

impl std::fmt::Display for FocusNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn focus_of(text: &str) -> Option<u8> {
        FocusNo::from_wording_key(&crate::clean::header_key(text)).map(FocusNo::get)
    }

    #[test]
    fn the_notice_wording_names_its_own_area() {
        for d in &FOCUS {
            assert_eq!(focus_of(d.wording), Some(d.no), "{}", d.wording);
        }
    }

    #[test]
    fn shortened_wording() {
        assert_eq!(focus_of("中断供水供电等"), Some(1));
        assert_eq!(focus_of("共用部位违规经营"), Some(2));
        assert_eq!(focus_of("泄露业主信息"), Some(3));
        assert_eq!(focus_of("擅自撤离"), Some(4));
        assert_eq!(focus_of("未公示收费信息"), Some(5));
        assert_eq!(focus_of("擅自提价"), Some(6));
        assert_eq!(focus_of("备注：本表一式两份"), None);
        // A tie between two areas is no answer.
        assert_eq!(focus_of("广告撤离"), None);
    }

    #[test]
    fn numbers_outside_one_to_six_are_none() {
        assert!(FocusNo::new(0).is_none());
        assert!(FocusNo::new(7).is_none());
        assert_eq!(FocusNo::new(6).map(|f| f.def().label), Some("擅自提价/转供电加价"));
    }
}
