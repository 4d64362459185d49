//! Tables of the closed Vietnamese letter set, shared by every module.
//!
//! Tones are numbered in lexicographers' order, which is also the sort order:
//! 0 ngang, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng.

use std::sync::LazyLock;

/// The twelve vowel letters (with their letter marks), in alphabet order.
pub(crate) const VOWEL_BASES: [char; 12] =
    ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];

const LOWER: [&str; 12] = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "iìỉĩíị",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "uùủũúụ",
    "ưừửữứự",
    "yỳỷỹýỵ",
];

const UPPER: [&str; 12] = [
    "AÀẢÃÁẠ",
    "ĂẰẲẴẮẶ",
    "ÂẦẨẪẤẬ",
    "EÈẺẼÉẸ",
    "ÊỀỂỄẾỆ",
    "IÌỈĨÍỊ",
    "OÒỎÕÓỌ",
    "ÔỒỔỖỐỘ",
    "ƠỜỞỠỚỢ",
    "UÙỦŨÚỤ",
    "ƯỪỬỮỨỰ",
    "YỲỶỸÝỴ",
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

struct Tables {
    /// 0 = not a Vietnamese vowel; else 1 + base * 12 + tone * 2 + upper.
    decode: Vec<u16>,
    compose: [[[char; 6]; 12]; 2],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut decode = vec![0u16; TABLE_LEN];
    let mut compose = [[['\0'; 6]; 12]; 2];
    for (case, rows) in [LOWER, UPPER].iter().enumerate() {
        for (base, row) in rows.iter().enumerate() {
            for (tone, c) in row.chars().enumerate() {
                compose[case][base][tone] = c;
                let code = 1 + base * 12 + tone * 2 + case;
                if let (Some(slot), Ok(code)) = (decode.get_mut(c as usize), u16::try_from(code)) {
                    *slot = code;
                }
            }
        }
    }
    Tables { decode, compose }
});

/// Splits a precomposed Vietnamese vowel letter; `None` for anything else.
#[inline]
pub(crate) fn vowel(c: char) -> Option<Vowel> {
    let code = *TABLES.decode.get(c as usize)?;
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
    TABLES.compose[usize::from(v.upper)][usize::from(v.base) % 12][usize::from(v.tone) % 6]
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
                assert_eq!(row.chars().count(), 6, "row {row}");
                let plain = row.chars().next().unwrap_or('\0');
                for (tone, c) in row.chars().enumerate() {
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
                    assert_eq!(expected, c.to_string(), "{row} tone {tone}");
                }
            }
        }
        assert!(vowel('b').is_none());
        assert!(vowel('đ').is_none());
        assert!(vowel('\u{10FFFF}').is_none());
    }
}
