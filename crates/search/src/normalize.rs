//! Text preparation shared by documents and queries, so both sides of a match
//! see the same code points.

use hoithi_text::normalize::{LegacyMode, Options, ToneStyle, normalize_with};

/// Vietnamese text as the analyzers expect it: NFC (tantivy's SimpleTokenizer
/// splits NFD text at the marks), letter marks before tone marks, one tone
/// placement style (hòa and hoà become the same exact term), clean
/// whitespace. Legacy-encoding repair stays off: texts are repaired when they
/// enter the platform, and guessing an encoding from a two-word query could
/// turn a correct query into a wrong one.
pub(crate) fn prepare(text: &str) -> String {
    let options = Options {
        tone_style: ToneStyle::New,
        legacy: LegacyMode::Off,
    };
    normalize_with(text, &options)
}

#[cfg(test)]
mod tests {
    use super::prepare;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn nfd_and_both_tone_styles_meet() {
        let nfd: String = "hòa bình".nfd().collect();
        assert_eq!(prepare(&nfd), prepare("hoà bình"));
        assert_eq!(prepare("thúy"), prepare("thuý"));
        // Closed syllables and qu keep their place.
        assert_eq!(prepare("hoàn quý"), "hoàn quý");
    }
}
