//! Folding for matching: lower case, no tones, no letter marks, đ -> d.

use crate::chars;
use unicode_normalization::UnicodeNormalization;

/// Folds `s` for accent-insensitive matching: lower case, tone marks and letter
/// marks removed, đ/Đ and the look-alikes ð/Ð mapped to d. Other accented
/// letters lose their marks too (é -> e); characters without marks pass through.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

#[inline]
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(v) = chars::vowel(c) {
        out.push(base_ascii(v.base));
        return;
    }
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        _ if crate::tokenize::is_mark(c) => {}
        _ => {
            for d in c.to_string().nfd() {
                if !crate::tokenize::is_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

fn base_ascii(base: u8) -> char {
    match base {
        0..=2 => 'a',
        3 | 4 => 'e',
        5 => 'i',
        6..=8 => 'o',
        9 | 10 => 'u',
        _ => 'y',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(
            fold("Cộng hoà XÃ HỘI Đường Ðức đức"),
            "cong hoa xa hoi duong duc duc"
        );
        assert_eq!(fold("Vie\u{323}\u{302}t Nam"), "viet nam");
        assert_eq!(fold("Ưng Ơn Ăn Ân"), "ung on an an");
        assert_eq!(fold("Zürich niño 東京"), "zurich nino 東京");
    }
}
