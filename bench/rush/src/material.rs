//! Deterministic test material: distinct Vietnamese essays, their authors, and each essay as a
//! real DOCX of about the requested size (text, styles, document properties and one embedded
//! picture, as a Word file with a photo is).

use std::io::{Cursor, Write};
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// One author as typed into the form.
#[derive(Debug, Clone)]
pub struct Author {
    pub full_name: String,
    pub birth_year: u32,
    pub workplace: String,
    pub phone: String,
    pub email: String,
    /// Index into the form's participant groups (taken modulo their number).
    pub group_pick: u32,
}

/// One submission: the file and what the guest types beside it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub idx: usize,
    pub title: String,
    pub pen_name: String,
    pub authors: Vec<Author>,
    pub file_name: String,
    pub file: Arc<Vec<u8>>,
    pub sha256: String,
    /// Words of the body as hoithi counts them.
    pub words: usize,
    /// Indexes into the form's text genres and collecting units (modulo their number).
    pub genre_pick: u32,
    pub unit_pick: u32,
}

const OPENERS: &[&str] = &[
    "Trong những năm gần đây,",
    "Thời gian qua,",
    "Trước yêu cầu ngày càng cao của tình hình mới,",
    "Thực tiễn cho thấy,",
    "Không phải ngẫu nhiên mà",
    "Có thể khẳng định rằng",
    "Bước vào giai đoạn phát triển mới,",
    "Qua nhiều năm kiên trì thực hiện,",
    "Từ những bài học kinh nghiệm quý báu,",
    "Điều đáng ghi nhận là",
    "Bên cạnh những kết quả đạt được,",
    "Nhìn lại chặng đường đã qua,",
    "Ở nhiều thôn, bản vùng cao,",
    "Đặc biệt,",
    "Cũng cần thẳng thắn nhìn nhận rằng",
    "Với tinh thần đó,",
];

const SUBJECTS: &[&str] = &[
    "cấp ủy, chính quyền các cấp",
    "đội ngũ cán bộ, đảng viên ở cơ sở",
    "các chi bộ thôn, tổ dân phố",
    "Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội",
    "đoàn viên, thanh niên",
    "lực lượng báo cáo viên, tuyên truyền viên",
    "người đứng đầu cấp ủy",
    "hội viên phụ nữ và cựu chiến binh",
    "đội ngũ giáo viên ở các trường học",
    "những người có uy tín trong đồng bào dân tộc thiểu số",
    "các cơ quan báo chí của tỉnh",
    "lực lượng công an xã",
    "các tổ tự quản ở khu dân cư",
    "nhân dân các dân tộc trong tỉnh",
];

const VERBS: &[&str] = &[
    "đã chủ động đổi mới",
    "luôn chú trọng",
    "kiên trì thực hiện",
    "tập trung lãnh đạo, chỉ đạo",
    "phối hợp chặt chẽ để đẩy mạnh",
    "từng bước nâng cao chất lượng",
    "không ngừng tìm tòi cách làm mới trong",
    "thường xuyên kiểm tra, đôn đốc",
    "coi trọng việc tổng kết",
    "đặt lên hàng đầu",
    "xác định rõ trách nhiệm trong",
    "đã tích cực tham gia",
];

const OBJECTS: &[&str] = &[
    "công tác tuyên truyền, giáo dục chính trị tư tưởng",
    "việc nắm bắt tâm tư, nguyện vọng của nhân dân",
    "phong trào thi đua xây dựng nông thôn mới",
    "cuộc đấu tranh phản bác các quan điểm sai trái, thù địch",
    "việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác xây dựng, chỉnh đốn Đảng",
    "việc đưa nghị quyết của Đảng vào cuộc sống",
    "công tác phát triển đảng viên trong thanh niên",
    "việc giữ gìn bản sắc văn hóa của đồng bào",
    "việc ứng dụng chuyển đổi số trong thông tin cơ sở",
    "hoạt động của đội ngũ cộng tác viên dư luận xã hội",
    "công tác cải cách hành chính và tiếp công dân",
    "việc phát huy dân chủ ở cơ sở",
    "các mô hình kinh tế hộ gia đình",
];

const ENDINGS: &[&str] = &[
    "góp phần củng cố niềm tin của nhân dân đối với Đảng",
    "tạo sự đồng thuận cao trong xã hội",
    "qua đó giữ vững ổn định chính trị ở địa phương",
    "nhờ vậy nhiều điểm nóng đã được giải quyết dứt điểm",
    "để mỗi người dân trở thành một tuyên truyền viên",
    "làm thất bại mọi âm mưu chia rẽ khối đại đoàn kết",
    "mang lại những chuyển biến rõ rệt trong nhận thức",
    "từ đó lan tỏa những giá trị tốt đẹp trong cộng đồng",
    "bảo đảm thông tin chính thống đến với người dân kịp thời",
    "khẳng định sức sống của chủ nghĩa Mác – Lênin trong thực tiễn",
];

const PLACES: &[&str] = &[
    "xã Minh Quang",
    "xã Trung Hà",
    "thôn Nà Vài",
    "bản Khuổi Phầy",
    "xã Phúc Sơn",
    "thị trấn Vĩnh Lộc",
    "xã Tân Mỹ",
    "thôn Đồng Chùa",
    "xã Kiên Đài",
    "bản Nặm Đăm",
    "xã Hùng Lợi",
    "thôn Bản Tấn",
    "phường Hưng Thành",
    "xã Bình Xa",
];

const FACTS: &[&str] = &[
    "Năm {y}, {p} có {n} hộ thoát nghèo, tỷ lệ hộ nghèo giảm còn {x}%.",
    "Chỉ riêng năm {y}, {p} đã tổ chức {n} buổi sinh hoạt chuyên đề với hơn {m} lượt người tham dự.",
    "Đến nay, {p} có {n} đảng viên, trong đó {x}% là đảng viên trẻ dưới ba mươi lăm tuổi.",
    "Sau {n} tháng triển khai, {m} ý kiến của nhân dân ở {p} đã được tiếp thu, giải quyết.",
    "Trang thông tin của {p} có hơn {m} lượt truy cập, {n} tin bài phản bác thông tin sai lệch.",
    "Năm {y}, {p} được công nhận đạt chuẩn nông thôn mới với thu nhập bình quân {n} triệu đồng mỗi người.",
    "Tại {p}, {n} tổ tuyên truyền miệng hoạt động đều đặn mỗi tháng một lần.",
];

const QUESTIONS: &[&str] = &[
    "Vậy đâu là nguyên nhân của những kết quả ấy?",
    "Câu hỏi đặt ra là làm thế nào để nghị quyết thực sự đi vào cuộc sống?",
    "Phải chăng chỉ cần tuyên truyền nhiều là đủ?",
    "Điều gì khiến người dân tin và làm theo?",
];

const HEADINGS: &[&str] = &[
    "Niềm tin được vun đắp từ những việc làm cụ thể",
    "Nhận diện đúng để đấu tranh hiệu quả",
    "Nêu gương là cách thuyết phục tốt nhất",
    "Đưa thông tin chính thống đến từng thôn, bản",
    "Phát huy sức mạnh của khối đại đoàn kết",
    "Những việc cần làm ngay",
];

const TITLE_HEADS: &[&str] = &[
    "Giữ vững trận địa tư tưởng",
    "Niềm tin từ những mái nhà sàn",
    "Khi lòng dân là thành lũy",
    "Ngọn đuốc giữa đại ngàn",
    "Sức mạnh của sự nêu gương",
    "Từ nghị quyết đến cuộc sống",
    "Lời đáp đanh thép trước luận điệu sai trái",
    "Vững vàng trên không gian mạng",
];

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "Ma", "Nông", "Triệu", "Hà", "Lương", "Quan", "Vi",
];
const MIDDLES: &[&str] = &[
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thu", "Kim", "Xuân", "Bích",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hương", "Khánh", "Lan", "Linh",
    "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
    "Vân", "Yến", "Thắng", "Hiền", "Đạt", "Huệ",
];
const WORKPLACES: &[&str] = &[
    "Trường THCS Minh Quang",
    "UBND xã Trung Hà",
    "Hội Nông dân xã Phúc Sơn",
    "Chi bộ thôn Nà Vài",
    "Trạm Y tế xã Tân Mỹ",
    "Đoàn Thanh niên thị trấn Vĩnh Lộc",
    "Hưu trí",
    "Làm nông nghiệp",
];

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn sentence(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..10) {
        0 | 1 => {
            let f = pick(rng, FACTS);
            f.replace("{y}", &rng.random_range(2015..=2025).to_string())
                .replace("{p}", pick(rng, PLACES))
                .replace("{n}", &rng.random_range(3..400).to_string())
                .replace(
                    "{m}",
                    &format!(
                        "{}.{:03}",
                        rng.random_range(1..90),
                        rng.random_range(0..1000)
                    ),
                )
                .replace(
                    "{x}",
                    &format!("{},{}", rng.random_range(1..60), rng.random_range(0..10)),
                )
        }
        2 => pick(rng, QUESTIONS).to_string(),
        _ => {
            let mut s = format!(
                "{} {} {} {}",
                pick(rng, OPENERS),
                pick(rng, SUBJECTS),
                pick(rng, VERBS),
                pick(rng, OBJECTS)
            );
            if rng.random_bool(0.4) {
                s.push_str(&format!(" ở {}", pick(rng, PLACES)));
            }
            if rng.random_bool(0.7) {
                s.push_str(", ");
                s.push_str(pick(rng, ENDINGS));
            }
            s.push('.');
            // Sentences start with a capital letter.
            let mut cs = s.chars();
            match cs.next() {
                Some(c) => c.to_uppercase().chain(cs).collect(),
                None => s,
            }
        }
    }
}

/// The body of one essay as (is_heading, text) paragraphs, within the word range.
fn essay(rng: &mut ChaCha8Rng, target_words: usize) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut words = 0;
    let mut heading_at = 3 + rng.random_range(0..3);
    while words < target_words {
        if out.len() == heading_at {
            let h = pick(rng, HEADINGS).to_string();
            words += hoithi_text::tokenize::word_count(&h);
            out.push((true, h));
            heading_at += 5 + rng.random_range(0..4);
            continue;
        }
        let n = rng.random_range(3..7);
        let p: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
        let p = p.join(" ");
        words += hoithi_text::tokenize::word_count(&p);
        out.push((false, p));
    }
    out
}

fn person(rng: &mut ChaCha8Rng, idx: usize, k: usize) -> Author {
    let sur = pick(rng, SURNAMES);
    let full_name = format!("{} {} {}", sur, pick(rng, MIDDLES), pick(rng, GIVEN));
    let ascii: String = hoithi_text::fold::fold(&full_name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(".");
    Author {
        birth_year: rng.random_range(1955..=2007),
        workplace: pick(rng, WORKPLACES).to_string(),
        phone: format!("09{:08}", (idx * 7 + k * 3_000_017) % 100_000_000),
        email: format!("{ascii}.{idx}.{k}@vidu.vn"),
        group_pick: rng.random_range(0..16),
        full_name,
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="312" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLine="567"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:ind w:firstLine="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style></w:styles>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const FONTS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

fn run(text: &str, italic: bool) -> String {
    // Word writes each run with its own properties; keep that shape (it is most of the XML).
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>{}<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        if italic { "<w:i/>" } else { "" },
        xml_escape(text)
    )
}

fn picture(width_px: u32, height_px: u32) -> String {
    let (cx, cy) = (width_px as u64 * 9525, height_px as u64 * 9525);
    format!(
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Ảnh 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId4"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

fn document_xml(
    title: &str,
    body: &[(bool, String)],
    pic: (u32, u32),
    rng: &mut ChaCha8Rng,
) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>"#
    );
    x.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>"#);
    x.push_str(&run(&title.to_uppercase(), false));
    x.push_str("</w:p>");
    for (i, (heading, text)) in body.iter().enumerate() {
        if i == 2 {
            x.push_str(&picture(pic.0, pic.1));
        }
        if *heading {
            x.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>"#);
            x.push_str(&run(text, false));
        } else {
            x.push_str("<w:p>");
            // Split a paragraph into a few runs at sentence ends, as editing history does.
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let cut = rest
                    .match_indices(". ")
                    .map(|(i, _)| i + 2)
                    .find(|&i| i > 80 && rng.random_bool(0.5))
                    .unwrap_or(rest.len());
                let (a, b) = rest.split_at(cut);
                x.push_str(&run(a, rng.random_bool(0.05)));
                rest = b;
            }
        }
        x.push_str("</w:p>");
    }
    x.push_str(r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#);
    x
}

/// A picture of `bytes` bytes or a little more: an RGB noise image (noise does not compress,
/// like the JPEG photos people paste into entries).
fn png_of_size(rng: &mut ChaCha8Rng, bytes: usize) -> (Vec<u8>, u32, u32) {
    let width = 320u32;
    let row = width as usize * 3;
    let height = (bytes / (row + 1)).max(1) as u32;
    let mut data = vec![0u8; row * height as usize];
    rng.fill(&mut data[..]);
    let mut out = Vec::with_capacity(bytes + 1024);
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().expect("png header");
        w.write_image_data(&data).expect("png data");
        w.finish().expect("png end");
    }
    (out, width, height)
}

fn zip_docx(parts: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, deflate) in parts {
        let opts = SimpleFileOptions::default().compression_method(if *deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        });
        zw.start_file(*name, opts).expect("zip entry");
        zw.write_all(data).expect("zip write");
    }
    zw.finish().expect("zip finish").into_inner()
}

/// Builds submission `idx` of the run seeded by `seed`: always the same bytes for the same
/// (seed, idx, target size).
pub fn submission(seed: u64, idx: usize, target_bytes: usize) -> Submission {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (idx as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let target_words = rng.random_range(1_150..2_300);
    let body = essay(&mut rng, target_words);
    let title = format!("{} – bài viết số {}", pick(&mut rng, TITLE_HEADS), idx + 1);
    let n_authors = if rng.random_bool(0.2) { 2 } else { 1 };
    let authors: Vec<Author> = (0..n_authors).map(|k| person(&mut rng, idx, k)).collect();
    let pen_name = if rng.random_bool(0.3) {
        format!(
            "{} {}",
            pick(&mut rng, &["Hồng", "Thanh", "Minh", "Sơn"]),
            pick(&mut rng, &["Hà", "Lâm", "Khê", "Phong"])
        )
    } else {
        String::new()
    };
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>Người dùng</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-{:02}T08:00:00Z</dcterms:created></cp:coreProperties>"#,
        xml_escape(&title),
        1 + idx % 25
    );
    let words: usize = body
        .iter()
        .map(|(_, t)| hoithi_text::tokenize::word_count(t))
        .sum::<usize>();
    let app = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Words>{words}</Words><Pages>{}</Pages></Properties>"#,
        words / 450 + 1
    );
    // Everything but the picture first, to learn how much room the picture gets; the same run
    // splits both times.
    let split_seed: u64 = rng.random();
    let splits = || ChaCha8Rng::seed_from_u64(split_seed);
    let doc = document_xml(&title, &body, (320, 200), &mut splits());
    let text_parts: Vec<(&str, &[u8], bool)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes(), true),
        ("_rels/.rels", ROOT_RELS.as_bytes(), true),
        ("docProps/core.xml", core.as_bytes(), true),
        ("docProps/app.xml", app.as_bytes(), true),
        ("word/document.xml", doc.as_bytes(), true),
        ("word/_rels/document.xml.rels", DOC_RELS.as_bytes(), true),
        ("word/styles.xml", STYLES.as_bytes(), true),
        ("word/settings.xml", SETTINGS.as_bytes(), true),
        ("word/fontTable.xml", FONTS.as_bytes(), true),
    ];
    let without_picture = zip_docx(&text_parts).len();
    let room = target_bytes.saturating_sub(without_picture + 200).max(1024);
    let (png, w, h) = png_of_size(&mut rng, room);
    let doc = document_xml(&title, &body, (w.min(600), h.min(400)), &mut splits());
    let mut parts = text_parts;
    parts[4] = ("word/document.xml", doc.as_bytes(), true);
    parts.push(("word/media/image1.png", &png, false));
    let file = zip_docx(&parts);
    let sha256 = hex::encode(Sha256::digest(&file));
    Submission {
        idx,
        title,
        pen_name,
        authors,
        file_name: format!("bai-du-thi-{:05}.docx", idx + 1),
        sha256,
        words,
        file: Arc::new(file),
        genre_pick: rng.random_range(0..64),
        unit_pick: rng.random_range(0..1024),
    }
}

/// Builds `n` submissions on `threads` threads.
pub fn all(seed: u64, n: usize, target_bytes: usize, threads: usize) -> Vec<Submission> {
    let threads = threads.max(1);
    let mut chunks: Vec<Vec<Submission>> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    (t..n)
                        .step_by(threads)
                        .map(|i| submission(seed, i, target_bytes))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            chunks.push(h.join().expect("generator thread"));
        }
    });
    let mut out: Vec<Submission> = chunks.into_iter().flatten().collect();
    out.sort_by_key(|s| s.idx);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_is_deterministic_sized_and_readable() {
        let a = submission(7, 3, 200 * 1024);
        let b = submission(7, 3, 200 * 1024);
        assert_eq!(a.sha256, b.sha256);
        assert_ne!(a.sha256, submission(7, 4, 200 * 1024).sha256);
        let size = a.file.len();
        assert!((195 * 1024..=210 * 1024).contains(&size), "size {size}");
        let doc = hoithi_extract::extract(&a.file, Some(a.file_name.as_str()), &Default::default())
            .expect("the generated DOCX extracts");
        let text = doc.text();
        let counted = hoithi_text::tokenize::word_count(&text);
        // The title is extracted too; the body alone is within the genre's range.
        assert!(
            counted >= a.words && counted < a.words + 40,
            "{counted} vs {}",
            a.words
        );
        assert!((1_150..2_500).contains(&a.words), "{}", a.words);
        assert!(text.contains("Đảng") || text.contains("nhân dân"));
    }
}
