//! Spelling hints: flags tokens that cannot be Vietnamese syllables.
//!
//! The core is a rule-based validator of syllable structure (onset, glide,
//! nucleus, coda, tone; spelling rules such as k/c, gh/g, ngh/ng; stop codas
//! take only sắc or nặng; tone on the main vowel in either placement style).
//! It needs no data file. A syllable list (e.g. hunspell-vi's, GPL, loaded at
//! run time and never embedded) can be installed to also catch well-formed
//! syllables that no word uses, such as "nèn".

use crate::chars;
use crate::tokenize;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};
use unicode_normalization::UnicodeNormalization;

/// A token that is not a Vietnamese syllable, with suggestions (best first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Byte range of the token in the checked text.
    pub range: Range<usize>,
    /// The token as written.
    pub syllable: String,
    /// Valid syllables close to it, best first (at most 5).
    pub suggestions: Vec<String>,
}

const ONSETS: [&str; 28] = [
    "ngh", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const RHYMES: &[&str] = &[
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "ăc", "ăm",
    "ăn", "ăng", "ăp", "ăt", "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây", "e", "ec", "em",
    "en", "eng", "eo", "ep", "et", "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", "i", "ia",
    "ich", "im", "in", "inh", "ip", "it", "iu", "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu",
    "y", "yêm", "yên", "yêng", "yêt", "yêu", "o", "oc", "oi", "om", "on", "ong", "op", "ot", "ooc",
    "oong", "ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", "ơ", "ơi", "ơm", "ơn", "ơp", "ơt", "u",
    "ua", "uc", "ui", "um", "un", "ung", "up", "ut", "uôc", "uôi", "uôm", "uôn", "uông", "uôt",
    "ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm", "ươn", "ương",
    "ươp", "ươt", "ươu", "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap",
    "oat", "oay", "oăc", "oăm", "oăn", "oăng", "oăt", "oe", "oen", "oeo", "oet", "uân", "uâng",
    "uât", "uây", "uê", "uêch", "uênh", "uy", "uych", "uyên", "uyêt", "uynh", "uyt", "uya", "uyu",
    "uơ", "uyn", "uyp",
];

static RHYME_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| RHYMES.iter().copied().collect());

const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

fn is_vowel_base(c: char) -> bool {
    chars::VOWEL_BASES.contains(&c)
}

/// A syllable taken apart: toneless lower-case letters, tone, and where the tone sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Syllable {
    pub letters: Vec<char>,
    pub tone: u8,
    /// Index in `letters` of the toned vowel (when tone > 0).
    pub tone_at: Option<usize>,
    /// More than one tone mark (always invalid).
    pub extra_tone: bool,
}

/// Splits a token into toneless lower-case letters; `None` if it holds anything
/// outside the Vietnamese alphabet or more than one tone.
pub(crate) fn split(s: &str) -> Option<Syllable> {
    let mut letters = Vec::with_capacity(s.len());
    let mut tone = 0;
    let mut tone_at = None;
    let mut extra_tone = false;
    for c in s.chars() {
        if let Some(v) = chars::vowel(c) {
            if v.tone > 0 {
                if tone > 0 {
                    extra_tone = true;
                } else {
                    tone = v.tone;
                    tone_at = Some(letters.len());
                }
            }
            letters.push(v.base_char());
        } else if c.is_ascii_alphabetic()
            && !matches!(c.to_ascii_lowercase(), 'f' | 'j' | 'w' | 'z')
        {
            letters.push(c.to_ascii_lowercase());
        } else if matches!(c, 'đ' | 'Đ') {
            letters.push('đ');
        } else {
            return None;
        }
    }
    Some(Syllable {
        letters,
        tone,
        tone_at,
        extra_tone,
    })
}

/// Parsed structure: onset length, vowel range, coda start.
struct Parts {
    onset: &'static str,
    /// `gi` read as g + vowel i ("gì", "gìn").
    vowel_start: usize,
    coda_start: usize,
}

fn parts(letters: &[char]) -> Option<Parts> {
    let word: String = letters.iter().collect();
    let mut onset = ONSETS
        .iter()
        .copied()
        .find(|o| word.starts_with(o))
        .unwrap_or("");
    let mut vowel_start = onset.chars().count();
    if onset == "gi" && !letters.get(2).is_some_and(|&c| is_vowel_base(c)) {
        onset = "g(i)";
        vowel_start = 1;
    }
    if onset == "qu" && !letters.get(2).is_some_and(|&c| is_vowel_base(c)) {
        return None;
    }
    let mut coda_start = vowel_start;
    while letters.get(coda_start).is_some_and(|&c| is_vowel_base(c)) {
        coda_start += 1;
    }
    if coda_start == vowel_start {
        return None;
    }
    Some(Parts {
        onset,
        vowel_start,
        coda_start,
    })
}

/// True when `s` (one token, NFC, any case) is a well-formed Vietnamese syllable.
pub fn is_valid_syllable(s: &str) -> bool {
    split(s).is_some_and(|syl| valid(&syl))
}

pub(crate) fn valid(syl: &Syllable) -> bool {
    let letters = &syl.letters;
    if syl.extra_tone {
        return false;
    }
    let Some(p) = parts(letters) else {
        return false;
    };
    let rhyme: String = letters
        .get(p.vowel_start..)
        .unwrap_or_default()
        .iter()
        .collect();
    let coda: String = letters
        .get(p.coda_start..)
        .unwrap_or_default()
        .iter()
        .collect();
    if !CODAS.contains(&coda.as_str()) {
        return false;
    }
    let first = letters.get(p.vowel_start).copied().unwrap_or(' ');
    let rhyme_ok = match p.onset {
        "qu" => {
            (!matches!(first, 'u' | 'ư' | 'o')
                || rhyme.starts_with("oa")
                || rhyme.starts_with("oă"))
                && (RHYME_SET.contains(rhyme.as_str())
                    || RHYME_SET.contains(format!("u{rhyme}").as_str()))
        }
        "gi" => {
            RHYME_SET.contains(rhyme.as_str()) || RHYME_SET.contains(format!("i{rhyme}").as_str())
        }
        _ => RHYME_SET.contains(rhyme.as_str()),
    };
    if !rhyme_ok {
        return false;
    }
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    let spelling_ok = match p.onset {
        // gi read as g + i ("gì", "gìn").
        "g(i)" => true,
        "c" | "g" | "ng" => !front,
        "k" | "gh" | "ngh" => front,
        _ => true,
    };
    if !spelling_ok {
        return false;
    }
    // y-initial rhymes other than plain y (yên, yêu) stand without an onset.
    if first == 'y' && rhyme.chars().count() > 1 && !matches!(p.onset, "" | "qu") {
        return false;
    }
    // iê without an onset is written yê.
    if p.onset.is_empty() && rhyme.starts_with("iê") {
        return false;
    }
    if matches!(coda.as_str(), "c" | "ch" | "p" | "t") && !matches!(syl.tone, 4 | 5) {
        return false;
    }
    if syl.tone > 0 {
        let Some(at) = syl.tone_at else { return false };
        if !tone_positions(letters, &p).contains(&at) {
            return false;
        }
    }
    true
}

/// Indexes where the tone mark may sit (either placement style).
fn tone_positions(letters: &[char], p: &Parts) -> Vec<usize> {
    let vowels: Vec<usize> = (p.vowel_start..p.coda_start).collect();
    let marked: Vec<usize> = vowels
        .iter()
        .copied()
        .filter(|&i| {
            letters
                .get(i)
                .is_some_and(|c| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư'))
        })
        .collect();
    if let Some(&last) = marked.last() {
        return vec![last];
    }
    let has_coda = p.coda_start < letters.len();
    if has_coda {
        return vowels.last().map(|&i| vec![i]).unwrap_or_default();
    }
    let pair: String = vowels.iter().filter_map(|&i| letters.get(i)).collect();
    match vowels.as_slice() {
        [one] => vec![*one],
        [a, b] if matches!(pair.as_str(), "oa" | "oe" | "uy") => vec![*a, *b],
        [a, _] => vec![*a],
        [_, b, _] => vec![*b],
        _ => Vec::new(),
    }
}

/// Where the tone goes in the new (default) style, for rendering suggestions.
fn render(letters: &[char], tone: u8) -> Option<String> {
    let p = parts(letters)?;
    let at = if tone == 0 {
        None
    } else {
        let pos = tone_positions(letters, &p);
        Some(*pos.last()?)
    };
    let mut out = String::with_capacity(letters.len() * 3);
    for (i, &c) in letters.iter().enumerate() {
        if Some(i) == at {
            let base = u8::try_from(chars::VOWEL_BASES.iter().position(|&b| b == c)?).ok()?;
            out.push(chars::compose(chars::Vowel {
                base,
                tone,
                upper: false,
            }));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// A list of attested syllables, e.g. hunspell-vi's `vi_VN.dic`, loaded at run time.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    words: HashSet<String>,
}

impl Dictionary {
    /// Reads a hunspell `.dic` file's text: a count line, then one word per line
    /// (affix flags after '/' are ignored). Words are normalized (NFC, new tone style, lower case).
    pub fn from_hunspell_dic(content: &str) -> Self {
        let mut words = HashSet::new();
        for line in content.lines().skip(1) {
            let word = line.split('/').next().unwrap_or("").trim();
            if word.is_empty() {
                continue;
            }
            words.insert(key(word));
        }
        Dictionary { words }
    }

    /// Loads the system's hunspell-vi list if installed (Debian: /usr/share/hunspell/vi_VN.dic).
    pub fn load_system() -> Option<Self> {
        let text = std::fs::read_to_string("/usr/share/hunspell/vi_VN.dic").ok()?;
        Some(Self::from_hunspell_dic(&text))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Case-, NFC- and tone-placement-insensitive membership.
    pub fn contains(&self, syllable: &str) -> bool {
        self.words.contains(&key(syllable))
    }

    /// Iterates the stored (normalized) entries.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }
}

fn key(word: &str) -> String {
    let nfc: String = word.nfc().collect();
    let lower = nfc.to_lowercase();
    match split(&lower) {
        Some(syl) => render(&syl.letters, syl.tone).unwrap_or(lower),
        None => lower,
    }
}

static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();

/// Installs a process-wide syllable list used by [`check`]; returns false if one
/// was already installed.
pub fn install_dictionary(dict: Dictionary) -> bool {
    DICTIONARY.set(dict).is_ok()
}

/// Flags tokens that are not Vietnamese syllables, using the installed
/// dictionary (if any) on top of the structural rules.
///
/// Skipped as likely foreign words, numbers or acronyms: tokens with digits,
/// tokens with letters outside the Vietnamese alphabet (f, j, w, z, other
/// accents), tokens with no Vietnamese diacritic at all, tokens with two tone
/// marks, and upper-case tokens without a toned or marked vowel (ĐBSCL).
pub fn check(text: &str) -> Vec<Flag> {
    check_with(text, DICTIONARY.get())
}

/// [`check`] with an explicit dictionary (or none: rules only).
pub fn check_with(text: &str, dict: Option<&Dictionary>) -> Vec<Flag> {
    let mut flags = Vec::new();
    for range in tokenize::syllables(text) {
        let Some(token) = text.get(range.clone()) else {
            continue;
        };
        let nfc: String = token.nfc().collect();
        let Some(syl) = split(&nfc) else { continue };
        let has_diacritic = !nfc.is_ascii();
        // Two tone marks (résumé, Élysée) mean a foreign word, not a typing slip.
        if !has_diacritic || syl.extra_tone {
            continue;
        }
        // Upper-case acronyms (ĐBSCL, THPT) unless they hold a toned or marked vowel.
        let vietnamese_vowel = syl.tone > 0
            || syl
                .letters
                .iter()
                .any(|c| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư'));
        if !vietnamese_vowel && nfc.chars().all(|c| !c.is_lowercase()) {
            continue;
        }
        let ok = valid(&syl) && dict.is_none_or(|d| d.contains(&nfc));
        if ok {
            continue;
        }
        flags.push(Flag {
            range,
            syllable: token.to_owned(),
            // Bounded work on hostile input: no syllable is longer than 7 letters
            // (nghiêng), and only the first flags of a text get suggestions.
            suggestions: if syl.letters.len() <= MAX_SYLLABLE_LETTERS + 1
                && flags.len() < MAX_SUGGESTED_FLAGS
            {
                suggest(&syl, &nfc.to_lowercase(), dict)
            } else {
                Vec::new()
            },
        });
    }
    flags
}

/// Longest Vietnamese syllable, in letters ("nghiêng").
const MAX_SYLLABLE_LETTERS: usize = 7;
/// Flags per text that get suggestions.
const MAX_SUGGESTED_FLAGS: usize = 200;

const FAMILIES: [&[char]; 6] = [
    &['a', 'ă', 'â'],
    &['e', 'ê'],
    &['o', 'ô', 'ơ'],
    &['u', 'ư'],
    &['i', 'y'],
    &['d', 'đ'],
];

fn variants_of(c: char) -> &'static [char] {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.contains(&c))
        .unwrap_or(&[])
}

/// Suggestions: one or two letter-mark changes, a deleted or swapped letter, a
/// different tone; valid (and attested, with a dictionary) results, fewest edits first.
fn suggest(syl: &Syllable, original: &str, dict: Option<&Dictionary>) -> Vec<String> {
    let letters = &syl.letters;
    let mut cands: Vec<(u32, Vec<char>)> = vec![(0, letters.clone())];
    for i in 0..letters.len() {
        for &v in variants_of(letters[i]) {
            if v == letters[i] {
                continue;
            }
            let mut l = letters.clone();
            l[i] = v;
            for j in i + 1..letters.len() {
                for &w in variants_of(letters[j]) {
                    if w != letters[j] {
                        let mut l2 = l.clone();
                        l2[j] = w;
                        cands.push((2, l2));
                    }
                }
            }
            cands.push((1, l));
        }
        let mut del = letters.clone();
        del.remove(i);
        cands.push((2, del));
        if i + 1 < letters.len() {
            let mut sw = letters.clone();
            sw.swap(i, i + 1);
            cands.push((2, sw));
        }
    }
    let mut scored: Vec<(u32, String)> = Vec::new();
    for (cost, l) in cands {
        for tone in 0..6u8 {
            // A missed letter mark (Telex 'nèn' for 'nền') is likelier than a wrong tone.
            let tone_cost = if tone == syl.tone { 0 } else { 2 };
            let cand = Syllable {
                letters: l.clone(),
                tone,
                tone_at: None,
                extra_tone: false,
            };
            let Some(text) = render(&cand.letters, tone) else {
                continue;
            };
            let Some(parsed) = split(&text) else { continue };
            if !valid(&parsed) || dict.is_some_and(|d| !d.contains(&text)) {
                continue;
            }
            scored.push((cost + tone_cost, text));
        }
    }
    scored.sort_by_key(|(cost, _)| *cost);
    let mut seen = HashSet::new();
    scored
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s != original)
        .filter(|s| seen.insert(s.clone()))
        .take(5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_syllables() {
        for s in [
            "việt", "nam", "nguyễn", "quốc", "quý", "quyết", "giữa", "gì", "gìn", "giếng",
            "nghiêng", "khuya", "khuỷu", "thuở", "hoà", "hòa", "thuý", "thúy", "hoàn", "thuyết",
            "được", "người", "yêu", "yên", "ỉa", "kỹ", "lý", "đẹp", "học", "xoong", "quặng",
            "khuếch", "huých", "oà", "uỷ", "ủy", "ông", "Việt", "VIỆT", "tuổi", "rượu", "gửi",
            "bâng", "khuâng", "hoặc", "nghĩa", "ngoẹo", "kềnh", "quên",
        ] {
            assert!(is_valid_syllable(s), "{s} should be valid");
        }
    }

    #[test]
    fn rejects_typos() {
        for s in [
            "nềnn", "viêt", "vịêt", "ngê", "kan", "cem", "ghà", "tiến1", "hóan", "quốcc", "bàt",
            "cáh", "nguời", "thưóc", "ăn0", "iên", "tyên", "ă", "qu", "đđ", "trẻê", "muốnn",
            "hoaf", "fa",
        ] {
            assert!(!is_valid_syllable(s), "{s} should be invalid");
        }
    }

    #[test]
    fn flags_and_suggests() {
        let flags = check_with("Tôi vịêt bài nàyy ở ĐBSCL, résumé VIÊT", None);
        let words: Vec<&str> = flags.iter().map(|f| f.syllable.as_str()).collect();
        assert_eq!(words, ["vịêt", "nàyy", "VIÊT"]);
        assert!(
            flags[0].suggestions.contains(&"việt".to_owned()),
            "{:?}",
            flags[0].suggestions
        );
        assert_eq!(&"Tôi vịêt bài nàỳ"[flags[0].range.clone()], "vịêt");
    }

    #[test]
    fn suggestion_work_is_bounded() {
        let text = vec!["vịêt"; 1000].join(" ");
        let flags = check_with(&text, None);
        assert_eq!(flags.len(), 1000);
        assert!(!flags[0].suggestions.is_empty());
        assert!(flags[999].suggestions.is_empty());
        assert!(check_with("nghiêngggggg", None)[0].suggestions.is_empty());
    }

    #[test]
    fn dictionary_catches_unattested_syllables() {
        let dict = Dictionary::from_hunspell_dic("3\nnền\nhèn\nthuỷ/AB\n");
        assert!(dict.contains("thủy"));
        let flags = check_with("nèn nền hèn", Some(&dict));
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].syllable, "nèn");
        assert!(flags[0].suggestions.contains(&"nền".to_owned()));
        // Foreign words, numbers and acronyms are not flagged.
        assert!(check_with("file PDF 2024 WTO Zürich", Some(&dict)).is_empty());
    }
}
