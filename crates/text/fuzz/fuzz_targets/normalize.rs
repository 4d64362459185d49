#![no_main]
//! normalize never panics, is idempotent, maps every output offset into the
//! input on a char boundary; the other text functions never panic.

use hoithi_text::normalize::{LegacyMode, Options, ToneStyle, normalize, normalize_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for opts in [
        Options::default(),
        Options { tone_style: ToneStyle::Old, legacy: LegacyMode::Off },
    ] {
        let n = normalize(s, &opts);
        let again = normalize(&n.text, &Options { legacy: LegacyMode::Off, ..opts });
        assert_eq!(again.text, n.text, "not idempotent");
        for (i, _) in n.text.char_indices() {
            let o = n.original_offset(i);
            assert!(o <= s.len() && s.is_char_boundary(o));
        }
    }
    assert_eq!(normalize_str(s), normalize(s, &Options::default()).text);
    let _ = hoithi_text::fold::fold(s);
    let _ = hoithi_text::tokenize::syllables(s).count();
    let _ = hoithi_text::tokenize::word_count(s);
    let _ = hoithi_text::sort::sort_key(s);
    let _ = hoithi_text::sort::name_sort_key(s);
    let _ = hoithi_text::spell::check(s);
});
