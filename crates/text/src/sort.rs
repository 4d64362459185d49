//! Vietnamese alphabetical order as plain ASCII sort keys.
//!
//! Order: a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z);
//! tones ngang < huyền < hỏi < ngã < sắc < nặng; letters decide before tones,
//! syllable by syllable ("mà cả" < "má ba"); numbers by value ("Tổ 2" < "Tổ 10");
//! case decides last (lower first).
//!
//! Keys are printable ASCII, so they compare the same bytewise everywhere:
//! store them in a TEXT column and compare with SQLite's default `BINARY`
//! collation or PostgreSQL's `COLLATE "C"` (never a locale collation).

use crate::chars;
use crate::tokenize;
use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// Letters in Vietnamese order, with the foreign letters f j w z in their Latin places.
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Key byte for the letter at `index` of [`ALPHABET`]: 'A'..'Z' then 'a'..'g'.
fn letter_code(index: usize) -> char {
    let i = u8::try_from(index).unwrap_or(32);
    if i < 26 {
        char::from(b'A' + i)
    } else {
        char::from(b'a' + (i - 26))
    }
}

const SYLLABLE_SEP: char = '-';
const TONE_SEP: char = '.';
const SECTION_SEP: char = '!';

/// Primary key (letters, then tone, per syllable) into `primary`; case bits into `case`.
fn build(s: &str, primary: &mut String, case: &mut String) {
    let mut first = true;
    for range in tokenize::syllables(s) {
        let Some(token) = s.get(range) else { continue };
        if !first {
            primary.push(SYLLABLE_SEP);
        }
        first = false;
        let mut tone = 0u8;
        let mut digits = String::new();
        for c in token.nfc() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            // Vietnamese thousands separator: 1.000 is one number.
            if c == '.' && !digits.is_empty() {
                continue;
            }
            push_number(&mut digits, primary);
            if let Some(v) = chars::vowel(c) {
                if v.tone > 0 && tone == 0 {
                    tone = v.tone;
                }
                push_letter(v.base_char(), primary);
                case.push(if v.upper { '1' } else { '0' });
            } else if chars::is_tone_mark(c) {
                if tone == 0 {
                    tone = match c {
                        '\u{300}' | '\u{340}' => 1,
                        '\u{309}' => 2,
                        '\u{303}' => 3,
                        '\u{301}' | '\u{341}' => 4,
                        _ => 5,
                    };
                }
            } else if tokenize::is_mark(c) {
                // Other marks do not change Vietnamese order.
            } else if matches!(c, '.' | ',' | '\'' | '\u{2019}') {
                // Joiners inside numbers and words: ignored at primary level.
            } else {
                let upper = c.is_uppercase();
                let lower = match c {
                    'Đ' | 'ð' | 'Ð' => 'đ',
                    _ => c.to_lowercase().next().unwrap_or(c),
                };
                if ALPHABET.contains(&lower) {
                    push_letter(lower, primary);
                } else {
                    // Foreign letters: by their base letter if Latin, else by code point.
                    let base = lower.to_string().nfd().next().unwrap_or(lower);
                    if base.is_ascii_lowercase() {
                        push_letter(base, primary);
                    } else {
                        primary.push('~');
                        primary.push_str(&format!("{:06X}", u32::from(lower)));
                    }
                }
                case.push(if upper { '1' } else { '0' });
            }
        }
        push_number(&mut digits, primary);
        primary.push(TONE_SEP);
        primary.push(char::from(b'0' + tone.min(5)));
    }
}

/// Numbers compare by value ("Tổ 2" < "Tổ 10"): a digit for the count of
/// significant digits (9 for nine or more), then the digits without leading zeros.
fn push_number(digits: &mut String, out: &mut String) {
    if digits.is_empty() {
        return;
    }
    let significant = digits.trim_start_matches('0');
    let significant = if significant.is_empty() {
        "0"
    } else {
        significant
    };
    let len = u8::try_from(significant.len().min(9)).unwrap_or(9);
    out.push(char::from(b'0' + len - 1));
    out.push_str(significant);
    digits.clear();
}

fn push_letter(c: char, out: &mut String) {
    if let Some(i) = ALPHABET.iter().position(|&a| a == c) {
        out.push(letter_code(i));
    }
}

/// Sort key of `s`: printable ASCII that compares bytewise in Vietnamese order.
pub fn sort_key(s: &str) -> String {
    let mut primary = String::with_capacity(s.len() + 8);
    let mut case = String::new();
    build(s, &mut primary, &mut case);
    primary.push(SECTION_SEP);
    primary.push_str(&case);
    primary
}

/// Sort key for a person's full name written family-first ("Nguyễn Văn An"):
/// orders by given name (last word), then middle name, then family name.
pub fn name_sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let (family, middle, given): (&[&str], &[&str], &[&str]) = match words.as_slice() {
        [] => (&[], &[], &[]),
        [one] => (&[], &[], std::slice::from_ref(one)),
        [f, m @ .., g] => (std::slice::from_ref(f), m, std::slice::from_ref(g)),
    };
    let mut key = String::with_capacity(full_name.len() + 16);
    let mut case = String::new();
    for part in [given, middle, family] {
        build(&part.join(" "), &mut key, &mut case);
        key.push(SECTION_SEP);
    }
    key.push_str(&case);
    key
}

/// Compares two strings in Vietnamese order (same result as comparing [`sort_key`]s).
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| (*s).to_owned()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn alphabet_and_tones() {
        let order = [
            "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o",
            "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
        ];
        let mut shuffled = order.to_vec();
        shuffled.reverse();
        assert_eq!(sorted(&shuffled), order);
        let tones = ["ma", "mà", "mả", "mã", "má", "mạ"];
        let mut shuffled = tones.to_vec();
        shuffled.rotate_left(3);
        assert_eq!(sorted(&shuffled), tones);
    }

    #[test]
    fn syllable_by_syllable() {
        assert_eq!(compare("mà cả", "má ba"), Ordering::Less);
        assert_eq!(compare("ma", "ma ba"), Ordering::Less);
        assert_eq!(compare("ma", "mai"), Ordering::Less);
        assert_eq!(compare("ạc", "ách"), Ordering::Less);
        assert_eq!(compare("anh", "Anh"), Ordering::Less);
        assert_eq!(compare("Đà Nẵng", "Dương"), Ordering::Greater);
        assert_eq!(compare("Vie\u{323}\u{302}t", "Việt"), Ordering::Equal);
        assert_eq!(compare("Ðức", "Đức"), Ordering::Equal);
        assert_eq!(compare("Tổ 2", "Tổ 10"), Ordering::Less);
        assert_eq!(compare("Tổ 02", "Tổ 2"), Ordering::Equal);
        assert_eq!(compare("Khu 9a", "Khu 10"), Ordering::Less);
        assert_eq!(compare("1.000", "999"), Ordering::Greater);
    }

    #[test]
    fn names_by_given_name() {
        let mut names = vec!["Nguyễn Văn Bình", "Trần Thị An", "Lê An", "Lê Văn An", "Ân"];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            ["Lê An", "Trần Thị An", "Lê Văn An", "Ân", "Nguyễn Văn Bình"]
        );
        assert!(
            name_sort_key("Nguyễn Văn An")
                .bytes()
                .all(|b| b.is_ascii_graphic())
        );
    }
}
