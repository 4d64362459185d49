//! Legacy text inside Unicode text (issue 15): a TCVN3 or VNI sentence pasted into a
//! Unicode paragraph, or a legacy paragraph among Unicode ones, is repaired on its own
//! and the Unicode text around it is left as it is; real Unicode text never changes.
//! The sentences are our own words.

mod common;

use hoithi_text::legacy::{self, Legacy};
use hoithi_text::normalize::{LegacyMode, Options, normalize};

const UNICODE_A: &str = "Tuổi trẻ hôm nay cần rèn luyện bản lĩnh chính trị vững vàng.";
const UNICODE_B: &str = "Mỗi đoàn viên phải là một tấm gương sáng ở nơi mình sống và làm việc.";
const PASTED: &str =
    "chúng ta phải kiên quyết đấu tranh với những luận điệu sai trái, thù địch trên mạng xã hội.";
const PASTED_PARA: &str = "bảo vệ nền tảng tư tưởng của Đảng là nhiệm vụ của toàn Đảng, toàn dân và cả hệ thống chính trị. mỗi người cần đọc kỹ, hiểu sâu và nói đúng.";

fn off(text: &str) -> String {
    normalize(
        text,
        &Options {
            legacy: LegacyMode::Off,
            ..Options::default()
        },
    )
    .text
}

#[test]
fn legacy_sentence_inside_a_unicode_paragraph() {
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let pasted = legacy::encode(PASTED, enc).unwrap_or_else(|| panic!("{enc:?}"));
        let text = format!("{UNICODE_A} {pasted} {UNICODE_B}");
        let n = normalize(&text, &Options::default());
        assert_eq!(
            n.text,
            off(&format!("{UNICODE_A} {PASTED} {UNICODE_B}")),
            "{enc:?}"
        );
        assert_eq!(n.legacy, Some(enc));
        assert_eq!(n.legacy_parts.len(), 1, "{:?}", n.legacy_parts);
        let part = n.legacy_parts[0].0.clone();
        assert_eq!(&text[part.clone()], pasted);
        // Offsets still map into the input.
        let at = n.text.find("kiên quyết").unwrap_or(0);
        assert!(part.contains(&n.original_offset(at)));
        let u = n.text.find("Mỗi đoàn viên").unwrap_or(0);
        assert!(text[n.original_offset(u)..].starts_with("Mỗi đoàn viên"));
    }
}

#[test]
fn legacy_paragraph_among_unicode_paragraphs() {
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let para = legacy::encode(PASTED_PARA, enc).unwrap_or_else(|| panic!("{enc:?}"));
        let text = format!("{UNICODE_A} {UNICODE_B}\n{para}\n{UNICODE_B} {UNICODE_A}");
        let n = normalize(&text, &Options::default());
        assert_eq!(
            n.text,
            off(&format!(
                "{UNICODE_A} {UNICODE_B}\n{PASTED_PARA}\n{UNICODE_B} {UNICODE_A}"
            )),
            "{enc:?}"
        );
        assert_eq!(n.legacy_parts.len(), 1, "{:?}", n.legacy_parts);
        assert_eq!(&text[n.legacy_parts[0].0.clone()], para);
    }
}

/// Our own Unicode sentences with characters that legacy detection looks at (« » © °,
/// accented Latin letters, quotes, numbers): nothing may change.
const CONTROL: &[&str] = &[
    "Tôi yêu tiếng nước tôi từ khi mới ra đời, à ơi, « Việt Nam » © 2024, trời 30°C.",
    "Bài viết « Giữ vững trận địa tư tưởng » đăng trên báo ngày 12/3/2024, tr. 5.",
    "Cà phê, bánh mì và phở là món ăn quen thuộc; « café » trong tiếng Pháp.",
    "Điều 4 Hiến pháp: Đảng Cộng sản Việt Nam là lực lượng lãnh đạo Nhà nước và xã hội.",
    "Anh ấy nói: « Tôi sẽ về quê ăn Tết » — rồi đi ngay, không chờ ai cả.",
    "Niño, église, Größe là những từ nước ngoài có dấu; còn hòa, hoà, thuý, thúy là tiếng Việt.",
];

#[test]
fn unicode_control_text_never_changes() {
    for s in CONTROL {
        let n = normalize(s, &Options::default());
        assert!(n.legacy_parts.is_empty(), "{s}: {:?}", n.legacy_parts);
        assert_eq!(n.legacy, None, "{s}");
        assert_eq!(n.text, off(s), "{s}");
    }
    let joined = CONTROL.join("\n");
    let n = normalize(&joined, &Options::default());
    assert!(n.legacy_parts.is_empty());
    assert_eq!(n.text, off(&joined));
}

#[test]
fn real_unicode_paragraphs_never_change() {
    let Some(paras) = common::vietnamese_paragraphs() else {
        eprintln!("skipped: libreoffice-help-vi fixtures absent (run scripts/fetch-fixtures.sh)");
        return;
    };
    let mut checked = 0usize;
    for chunk in paras.chunks(20) {
        let text = chunk.join("\n");
        let n = normalize(&text, &Options::default());
        assert!(
            n.legacy_parts.is_empty(),
            "{:?} in {text:?}",
            n.legacy_parts
        );
        assert_eq!(n.legacy, None, "{text:?}");
        assert_eq!(n.text, off(&text));
        checked += 1;
    }
    println!("{checked} chunks of 20 real paragraphs unchanged");
    assert!(checked > 100, "{checked}");
}
