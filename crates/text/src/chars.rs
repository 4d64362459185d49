//! Tables of the closed Vietnamese letter set, shared by every module.
//!
//! Tones are numbered in lexicographers' order, which is also the sort order:
//! 0 ngang, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng.

/// The twelve vowel letters (with their letter marks), in alphabet order.
pub(crate) const VOWEL_BASES: [char; 12] =
    ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];

const LOWER: [[char; 6]; 12] = [
    ['a', 'à', 'ả', 'ã', 'á', 'ạ'],
    ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ'],
    ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
    ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ'],
    ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ'],
    ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'],
    ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ'],
    ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ'],
    ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ'],
    ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ'],
    ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự'],
    ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'],
];

const UPPER: [[char; 6]; 12] = [
    ['A', 'À', 'Ả', 'Ã', 'Á', 'Ạ'],
    ['Ă', 'Ằ', 'Ẳ', 'Ẵ', 'Ắ', 'Ặ'],
    ['Â', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ậ'],
    ['E', 'È', 'Ẻ', 'Ẽ', 'É', 'Ẹ'],
    ['Ê', 'Ề', 'Ể', 'Ễ', 'Ế', 'Ệ'],
    ['I', 'Ì', 'Ỉ', 'Ĩ', 'Í', 'Ị'],
    ['O', 'Ò', 'Ỏ', 'Õ', 'Ó', 'Ọ'],
    ['Ô', 'Ồ', 'Ổ', 'Ỗ', 'Ố', 'Ộ'],
    ['Ơ', 'Ờ', 'Ở', 'Ỡ', 'Ớ', 'Ợ'],
    ['U', 'Ù', 'Ủ', 'Ũ', 'Ú', 'Ụ'],
    ['Ư', 'Ừ', 'Ử', 'Ữ', 'Ứ', 'Ự'],
    ['Y', 'Ỳ', 'Ỷ', 'Ỹ', 'Ý', 'Ỵ'],
];

#[cfg(test)]
/// Combining tone marks by tone number (index 0, ngang, has none).
pub(crate) const TONE_MARKS: [char; 6] =
    ['\0', '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// A Vietnamese vowel letter split into its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Vowel {
    /// Index into [`VOWEL_BASES`].
    pub base: u8,
    pub tone: u8,
    pub upper: bool,
}

impl Vowel {
    pub(crate) fn base_char(self) -> char {
        VOWEL_BASES[usize::from(self.base)]
    }
}

/// Highest code point of any precomposed Vietnamese vowel (ỹ, U+1EF9).
const TABLE_LEN: usize = 0x1EFA;

/// 0 = not a Vietnamese vowel; else 1 + base * 12 + tone * 2 + upper.
/// Built at compile time so lookups are a plain array index.
static DECODE: [u16; TABLE_LEN] = build_decode();

const fn build_decode() -> [u16; TABLE_LEN] {
    let mut t = [0u16; TABLE_LEN];
    let mut case = 0;
    while case < 2 {
        let rows = if case == 0 { &LOWER } else { &UPPER };
        let mut base = 0;
        while base < 12 {
            let mut tone = 0;
            while tone < 6 {
                let c = rows[base][tone] as usize;
                if c < TABLE_LEN {
                    t[c] = (1 + base * 12 + tone * 2 + case) as u16;
                }
                tone += 1;
            }
            base += 1;
        }
        case += 1;
    }
    t
}

/// Splits a precomposed Vietnamese vowel letter; `None` for anything else.
#[inline]
pub(crate) fn vowel(c: char) -> Option<Vowel> {
    let code = *DECODE.get(c as usize)?;
    if code == 0 {
        return None;
    }
    let v = code - 1;
    Some(Vowel {
        base: u8::try_from(v / 12).unwrap_or(0),
        tone: u8::try_from((v % 12) / 2).unwrap_or(0),
        upper: v % 2 == 1,
    })
}

/// Builds the precomposed letter for a vowel.
#[inline]
pub(crate) fn compose(v: Vowel) -> char {
    let rows = if v.upper { &UPPER } else { &LOWER };
    rows[usize::from(v.base) % 12][usize::from(v.tone) % 6]
}

/// True for a combining tone mark (including the deprecated U+0340/U+0341 forms).
pub(crate) fn is_tone_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' | '\u{340}' | '\u{341}'
    )
}

/// True for the combining letter marks of Vietnamese: circumflex, breve, horn.
pub(crate) fn is_letter_mark(c: char) -> bool {
    matches!(c, '\u{302}' | '\u{306}' | '\u{31B}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn table_matches_unicode_decomposition() {
        for (case, rows) in [LOWER, UPPER].iter().enumerate() {
            for (base, row) in rows.iter().enumerate() {
                let plain = row[0];
                for (tone, &c) in row.iter().enumerate() {
                    let v = vowel(c).unwrap_or_else(|| panic!("{c} missing"));
                    assert_eq!(usize::from(v.base), base);
                    assert_eq!(usize::from(v.tone), tone);
                    assert_eq!(v.upper, case == 1);
                    assert_eq!(compose(v), c);
                    // The toned letter must be the plain letter plus the tone mark.
                    let expected: String = if tone == 0 {
                        plain.to_string()
                    } else {
                        [plain, TONE_MARKS[tone]]
                            .iter()
                            .collect::<String>()
                            .nfc()
                            .collect()
                    };
                    assert_eq!(expected, c.to_string(), "{row:?} tone {tone}");
                }
            }
        }
        assert!(vowel('b').is_none());
        assert!(vowel('đ').is_none());
        assert!(vowel('\u{10FFFF}').is_none());
    }
}
